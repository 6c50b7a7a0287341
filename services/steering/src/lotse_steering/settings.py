"""Environment → settings of the steering service (``LOTSE_STEERING_DATABASE_URL`` …)."""

from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "steering"


class SteeringSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_STEERING_", extra="ignore", frozen=True, populate_by_name=True
    )
