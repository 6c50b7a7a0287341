"""Environment → settings of the network service (``LOTSE_NETWORK_DATABASE_URL`` …).

``LOTSE_NETWORK_INTAKE_URLS`` maps the operator of an intake instance (``""`` = the county's own
intake) to the base URL of its API, as JSON, like casework's: the consent check at the moment
of sharing a referral asks it (ADR 0053, ADR 0084), within
``LOTSE_NETWORK_CONSENT_CHECK_TIMEOUT`` seconds (2). Unset, it points at the county's intake of
the run mode (embedded: the same process). The machine token comes from ``LOTSE_TOKEN_URL`` with
``LOTSE_NETWORK_CLIENT_ID`` / ``_CLIENT_SECRET``; in embedded mode, and only there, identity's
token endpoint in the same process and the demo client ``network``.

``LOTSE_NETWORK_ARRIVAL_OVERDUE_DAYS`` (JSON, tenant id → days, default 14 for every tenant not
named): after how many days since sending a referral without arrival is on the case manager's
list, and feedback is due after an arrival or the last feedback.
"""

from __future__ import annotations

import uuid

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import CallerSettings, RunMode

SERVICE = "network"
LOCAL_INTAKE_URL = "http://127.0.0.1:8102"
DEMO_CLIENT_ID = "network"
#: the embedded demo's machine client secret (demo data only; never used outside embedded mode)
DEMO_CLIENT_SECRET = "lotse-demo-network-secret"
DEFAULT_ARRIVAL_OVERDUE_DAYS = 14


class NetworkSettings(CallerSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_NETWORK_", extra="ignore", frozen=True, populate_by_name=True
    )

    intake_urls: dict[str, str] = Field(
        default_factory=dict, description="operator org id → intake base URL (JSON)")
    consent_check_timeout: float = Field(
        default=2.0, gt=0, le=30,
        description="seconds for the consent check of a referral (ADR 0053); intake slower "
                    "than this: 503, nothing shared")
    arrival_overdue_days: dict[uuid.UUID, int] = Field(
        default_factory=dict,
        description="tenant id → days after which a referral without arrival is listed "
                    f"(default {DEFAULT_ARRIVAL_OVERDUE_DAYS})")

    @field_validator("arrival_overdue_days")
    @classmethod
    def _positive(cls, value: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
        for tenant, days in value.items():
            if not 1 <= days <= 365:
                raise ValueError(f"{tenant}: between 1 and 365 days")
        return value

    def arrival_overdue_days_of(self, tenant: uuid.UUID | None) -> int:
        chosen = self.arrival_overdue_days.get(tenant) if tenant else None
        return chosen or DEFAULT_ARRIVAL_OVERDUE_DAYS

    def intake_url(self, operator_org_id: str) -> str | None:
        urls = self.intake_urls or self.default_intake_urls()
        return urls.get(operator_org_id)

    def default_intake_urls(self) -> dict[str, str]:
        if self.mode is RunMode.embedded:
            return {"": f"{self.embedded_base()}/api/v1/intake"}
        return {"": LOCAL_INTAKE_URL}

    def machine_client(self) -> tuple[str, str, str] | None:
        return self.machine_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
