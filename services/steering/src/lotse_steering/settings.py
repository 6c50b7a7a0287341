"""Environment → settings of the steering service (``LOTSE_STEERING_DATABASE_URL`` …).

Steering calls one other service: the coordinating service of a data subject's request, for
the phone number and e-mail address the request names (ADR 0108), with its machine token —
``LOTSE_TOKEN_URL`` with ``LOTSE_STEERING_CLIENT_ID`` / ``…_CLIENT_SECRET``; in embedded mode
identity in the same process and the demo client ``steering``."""

from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import CallerSettings

SERVICE = "steering"
DEMO_CLIENT_ID = "steering"
#: the embedded demo's machine client secret (demo data only; never used outside embedded mode)
DEMO_CLIENT_SECRET = "lotse-demo-steering-secret"


class SteeringSettings(CallerSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_STEERING_", extra="ignore", frozen=True, populate_by_name=True
    )

    def machine_client(self) -> tuple[str, str, str] | None:
        """(token URL, client id, secret) of steering's machine client, or None."""
        return self.machine_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
