"""Environment → settings of the example service (``LOTSE_EXAMPLE_DATABASE_URL`` …)."""

from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "example"


class ExampleSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_EXAMPLE_", extra="ignore", frozen=True, populate_by_name=True
    )
