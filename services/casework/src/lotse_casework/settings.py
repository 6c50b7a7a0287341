"""Environment → settings of the casework service (``LOTSE_CASEWORK_DATABASE_URL`` …).

``LOTSE_CASEWORK_INTAKE_URLS`` maps the operator of an intake instance (the ``operator_org_id``
of its events; ``""`` = the county's own intake) to the base URL of its API, as JSON:
``{"": "http://127.0.0.1:8102", "<org id>": "https://intake.awo.example"}``. Unset, it points
at the county's intake of the run mode: ``http://127.0.0.1:8102`` in the local cluster, and in
embedded mode the same process (``$LOTSE_PUBLIC_URL/api/v1/intake``, which the embedded runner
sets, else ``http://127.0.0.1:$LOTSE_PORT/api/v1/intake``).

The machine token for the handover call comes from ``LOTSE_TOKEN_URL`` with
``LOTSE_CASEWORK_CLIENT_ID`` / ``LOTSE_CASEWORK_CLIENT_SECRET`` (client credentials). In embedded
mode, and only there, they default to identity's token endpoint in the same process and the demo
client ``casework`` with the demo secret :data:`DEMO_CLIENT_SECRET` (demo data, like the demo
password).
"""

from __future__ import annotations

import os

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import RunMode, ServiceSettings

SERVICE = "casework"
LOCAL_INTAKE_URL = "http://127.0.0.1:8102"
DEMO_CLIENT_ID = "casework"
#: the embedded demo's machine client secret (demo data only; never used outside embedded mode)
DEMO_CLIENT_SECRET = "lotse-demo-casework-secret"


class CaseworkSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_CASEWORK_", extra="ignore", frozen=True, populate_by_name=True
    )

    intake_urls: dict[str, str] = Field(
        default_factory=dict, description="operator org id → intake base URL (JSON)")
    handover_timeout: float = Field(default=10.0, gt=0, le=60,
                                    description="seconds for the handover call to intake")
    public_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LOTSE_PUBLIC_URL", "LOTSE_EMBEDDED_URL"),
        description="base URL of the embedded platform (set by the embedded runner)")
    token_url: str | None = Field(default=None, validation_alias=AliasChoices("LOTSE_TOKEN_URL"))
    client_id: str | None = Field(default=None, description="casework's machine client")
    client_secret: str | None = Field(default=None, repr=False)

    def intake_url(self, operator_org_id: str) -> str | None:
        """The base URL of the intake instance run by ``operator_org_id`` ("" = the county)."""
        urls = self.intake_urls or self.default_intake_urls()
        return urls.get(operator_org_id)

    def default_intake_urls(self) -> dict[str, str]:
        if self.mode is RunMode.embedded:
            return {"": f"{self._embedded_base()}/api/v1/intake"}
        return {"": LOCAL_INTAKE_URL}

    def _embedded_base(self) -> str:
        base = self.public_url or f"http://127.0.0.1:{os.environ.get('LOTSE_PORT', '8080')}"
        return base.rstrip("/")

    def machine_client(self) -> tuple[str, str, str] | None:
        """(token URL, client id, secret) of casework's machine client, or None."""
        if self.mode is RunMode.embedded:
            return (self.token_url or f"{self._embedded_base()}/api/v1/identity/oauth/token",
                    self.client_id or DEMO_CLIENT_ID, self.client_secret or DEMO_CLIENT_SECRET)
        if self.token_url and self.client_id and self.client_secret:
            return self.token_url, self.client_id, self.client_secret
        return None
