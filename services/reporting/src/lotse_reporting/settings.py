"""Environment → settings of the reporting service (``LOTSE_REPORTING_DATABASE_URL`` …)."""

from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "reporting"


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_REPORTING_", extra="ignore", frozen=True, populate_by_name=True
    )
