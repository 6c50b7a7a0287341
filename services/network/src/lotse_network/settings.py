"""Environment → settings of the network service (``LOTSE_NETWORK_DATABASE_URL`` …)."""

from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "network"


class NetworkSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_NETWORK_", extra="ignore", frozen=True, populate_by_name=True
    )
