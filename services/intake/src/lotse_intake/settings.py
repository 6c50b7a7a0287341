"""Environment → settings of the intake service (``LOTSE_INTAKE_DATABASE_URL`` …).

``LOTSE_INTAKE_OPERATOR``: set when a welfare provider runs its own intake instance — the id of
its organisation. Such an instance must publish under its own routing key suffix
(``LOTSE_ROUTING_KEY_SUFFIX``, e.g. ``awo``), the one its broker user may write
(docs/provider-intake.md).
"""

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "intake"


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_INTAKE_", extra="ignore", frozen=True, populate_by_name=True
    )

    operator: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
        description="organisation id of the welfare provider running this instance; "
                    "unset for the county's own intake")
    expiring_consent_days: int = Field(
        default=30, ge=1, le=365,
        description="default window of the list of consents expiring soon")

    @model_validator(mode="after")
    def _a_provider_instance_publishes_under_its_suffix(self):
        if self.operator and not self.routing_key_suffix:
            raise ValueError("LOTSE_INTAKE_OPERATOR is set, so LOTSE_ROUTING_KEY_SUFFIX must "
                             "be set too (the routing key suffix the provider may publish)")
        if self.routing_key_suffix and not self.operator:
            # a provider's instance without its operator would publish as the county's intake
            # (operator_org_id ""), and casework would fetch its handovers from the county
            raise ValueError("LOTSE_ROUTING_KEY_SUFFIX is set, so LOTSE_INTAKE_OPERATOR must be "
                             "set too (the organisation id of the provider running the instance)")
        return self

    @property
    def operator_org_id(self) -> str:
        return self.operator or ""
