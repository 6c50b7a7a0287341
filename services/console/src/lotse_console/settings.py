"""Environment → settings of the web console (``LOTSE_CONSOLE_…``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from lotse_platform.settings import ServiceSettings

SERVICE = "console"
#: where the console is served: behind the gateway and in embedded mode (``/`` redirects here)
PREFIX = "/console"
#: the public client identity registers for the console (identity's demo seed)
DEFAULT_CLIENT_ID = "lotse-console"


class ConsoleSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_CONSOLE_", extra="ignore", frozen=True, populate_by_name=True
    )

    #: the platform's address as the browser sees it (embedded mode sets it)
    public_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LOTSE_PUBLIC_URL"),
        pattern=r"^https?://[^\s\"'\\]+$")
    #: where the console calls the public APIs (the gateway); default: the public URL
    api_url: str | None = Field(default=None, pattern=r"^https?://[^\s\"'\\]+$")
    #: where the console itself calls identity (discovery, token, revocation); default
    #: <api_url>/api/v1/identity. The browser is sent to the login page that identity's
    #: discovery document names (its public URL).
    identity_url: str | None = Field(default=None, pattern=r"^https?://[^\s\"'\\]+$")
    client_id: str = Field(default=DEFAULT_CLIENT_ID, pattern=r"^[A-Za-z0-9._-]{1,100}$")
    #: a session unused this long ends (*Sitzung abgelaufen*); the page warns before
    session_idle_minutes: int = Field(default=30, ge=2, le=24 * 60)
    #: a session ends this long after the login, used or not
    session_max_hours: int = Field(default=12, ge=1, le=24)
    #: how long before the end the page warns (with JavaScript; without, it shows the time)
    session_warning_minutes: int = Field(default=5, ge=1, le=60)
    #: Secure cookies; default: when the public URL is https
    cookie_secure: bool | None = None
    #: seconds the console waits for an API
    api_timeout: float = Field(default=10.0, gt=0, le=120)

    def base_url(self) -> str:
        return (self.public_url or "http://localhost:8080").rstrip("/")

    def api_base(self) -> str:
        return (self.api_url or self.base_url()).rstrip("/")

    def identity_base(self) -> str:
        return (self.identity_url or f"{self.api_base()}/api/v1/identity").rstrip("/")

    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.base_url().startswith("https://")
