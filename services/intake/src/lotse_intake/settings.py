"""Environment → settings of the intake service (``LOTSE_INTAKE_DATABASE_URL`` …).

``LOTSE_INTAKE_OPERATOR``: set when a welfare provider runs its own intake instance — the id of
its organisation. Such an instance must publish under its own routing key suffix
(``LOTSE_ROUTING_KEY_SUFFIX``, e.g. ``awo``), the one its broker user may write
(docs/provider-intake.md).

At admission the intake asks casework for the responsible case manager's caseload after the
case (``GET <casework>/caseload/<id>?taking=1``, ``LOTSE_INTAKE_CASEWORK_URL``, within
``LOTSE_INTAKE_CASELOAD_TIMEOUT`` seconds) with its machine token: ``LOTSE_TOKEN_URL`` with
``LOTSE_INTAKE_CLIENT_ID`` / ``_SECRET``; in embedded mode, and only there, identity in the same
process and the demo client ``intake``. Without an answer the admission still succeeds and says
the caseload is unknown.
"""

import uuid

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import CallerSettings, RunMode

from .domain.vocabulary import DEFAULT_ADMISSION_CRITERIA, AdmissionCriterion, ProposalRouting

SERVICE = "intake"
LOCAL_CASEWORK_URL = "http://127.0.0.1:8103"
DEMO_CLIENT_ID = "intake"
#: the embedded demo's machine client secret (demo data only; never used outside embedded mode)
DEMO_CLIENT_SECRET = "lotse-demo-intake-secret"


class IntakeSettings(CallerSettings):
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
    casework_url: str | None = Field(
        default=None, pattern=r"^https?://[^\s\"'\\]+$",
        description="casework's base URL, asked for the caseload at admission")
    caseload_timeout: float = Field(
        default=2.0, gt=0, le=30,
        description="seconds for casework's caseload answer at admission; slower: the "
                    "admission answers without it")

    admission_criteria: dict[uuid.UUID, list[AdmissionCriterion]] = Field(
        default_factory=dict,
        description="per tenant (id) the admission criteria its screening form asks, as JSON "
                    "{\"<tenant id>\": [\"multiple_dimensions\", …]}; a tenant not named asks "
                    "the five default criteria")

    case_proposals: dict[uuid.UUID, ProposalRouting] = Field(
        default_factory=dict,
        description="per tenant (id) who decides its case proposals, as JSON "
                    "{\"<tenant id>\": \"case_conference\"}: `coordinating_office` (default), "
                    "`case_conference` (the office, in a scheduled case conference whose date "
                    "it records) or `case_manager` (the case manager of the person's area)")

    @field_validator("admission_criteria")
    @classmethod
    def _each_list_names_distinct_criteria(
        cls, value: dict[uuid.UUID, list[AdmissionCriterion]]
    ) -> dict[uuid.UUID, list[AdmissionCriterion]]:
        for tenant, criteria in value.items():
            if not criteria or len(set(criteria)) != len(criteria):
                raise ValueError(f"LOTSE_INTAKE_ADMISSION_CRITERIA for tenant {tenant}: name "
                                 "at least one criterion, each once")
        return value

    def admission_criteria_of(self, tenant: uuid.UUID | None) -> tuple[AdmissionCriterion, ...]:
        """The admission criteria the tenant's screening form asks, in the tenant's order."""
        chosen = self.admission_criteria.get(tenant) if tenant else None
        return tuple(chosen) if chosen else DEFAULT_ADMISSION_CRITERIA

    def case_proposal_routing_of(self, tenant: uuid.UUID | None) -> ProposalRouting:
        """Who decides the tenant's case proposals."""
        chosen = self.case_proposals.get(tenant) if tenant else None
        return chosen or ProposalRouting.COORDINATING_OFFICE

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

    def casework_base_url(self) -> str:
        """Casework of the run mode: ``LOTSE_INTAKE_CASEWORK_URL``, else the same process
        (embedded) or the local cluster's."""
        if self.casework_url:
            return self.casework_url.rstrip("/")
        if self.mode is RunMode.embedded:
            return f"{self.embedded_base()}/api/v1/casework"
        return LOCAL_CASEWORK_URL

    def machine_client(self) -> tuple[str, str, str] | None:
        """(token URL, client id, secret) of intake's machine client, or None."""
        return self.machine_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
