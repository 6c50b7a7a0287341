"""Environment → settings of the reporting service (``LOTSE_REPORTING_DATABASE_URL`` …).

``LOTSE_REPORTING_EXACT_ROLES`` (comma-separated, default ``coordinator``): the roles that see
exact counts — internally, in the coordinating office. Every other caller of a figure, and every
export or chart unless an exact role asks for ``?exact=true``, gets small cells suppressed
(ADR 0091). ``steering_member`` may not be one of them: the steering group sees suppressed
figures only (issue 12)."""

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from lotse_platform.auth import COORDINATOR, ROLES, STEERING_MEMBER
from lotse_platform.settings import ServiceSettings

SERVICE = "reporting"


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_REPORTING_", extra="ignore", frozen=True, populate_by_name=True
    )

    #: the roles that may see exact counts (the coordinating office, internally)
    exact_roles: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(COORDINATOR,), description="roles that see exact counts, comma-separated")

    @field_validator("exact_roles", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("exact_roles")
    @classmethod
    def _known_roles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown} (known: {', '.join(sorted(ROLES))})")
        if STEERING_MEMBER in value:
            raise ValueError("steering members see suppressed figures only (issue 12)")
        return value
