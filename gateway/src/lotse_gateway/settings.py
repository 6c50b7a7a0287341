"""Environment → the gateway's settings (``LOTSE_GATEWAY_…`` and the platform-wide token ones).

The trusted issuers are the same variables the services read: identity from ``LOTSE_JWKS_URL``
and ``LOTSE_TOKEN_ISSUER`` (audience ``LOTSE_TOKEN_AUDIENCE``), external issuers from
``LOTSE_TRUSTED_ISSUERS`` — so the gateway lets through exactly the tokens the services accept.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from lotse_platform.settings import TrustedIssuerSettings, parse_trusted_issuers

from .keys import Issuer

#: the route table shipped beside the package (gateway/routes.yaml)
DEFAULT_ROUTES = Path(__file__).resolve().parents[2] / "routes.yaml"
_ADDRESS = r"^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$"


def _platform(name: str, **kwargs):
    return Field(validation_alias=AliasChoices(name), **kwargs)


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOTSE_GATEWAY_", extra="ignore", frozen=True,
                                      populate_by_name=True)

    routes: Path = Field(default=DEFAULT_ROUTES, description="the route table (YAML)")
    #: where clients connect (HAProxy)
    bind: str = Field(default="127.0.0.1:8080", pattern=_ADDRESS)
    #: HAProxy's Prometheus exporter (/metrics); keep it off the public network
    metrics_bind: str = Field(default="127.0.0.1:8405", pattern=_ADDRESS)
    #: the control plane's own HTTP server (aggregated OpenAPI, Swagger UI), behind HAProxy
    docs_bind: str = Field(default="127.0.0.1:8099", pattern=_ADDRESS)
    #: rendered haproxy.cfg, key files, master socket, status.json
    state_dir: Path = Field(default=Path(tempfile.gettempdir()) / "lotse-gateway")
    #: how often the JWKS of every trusted issuer is fetched
    jwks_poll_interval: float = Field(default=10.0, ge=0.05, le=3600)
    jwks_timeout: float = Field(default=5.0, gt=0, le=60)
    haproxy: str = Field(default="haproxy", description="the haproxy binary")
    threads: int = Field(default=1, ge=1, le=64, description="HAProxy's nbthread")
    #: clock skew allowed on exp / nbf / iat, as the services' verifier allows (seconds)
    token_leeway: int = Field(default=30, ge=0, le=300)
    #: how long the aggregated OpenAPI description is reused before the services are asked again
    openapi_cache_seconds: float = Field(default=10.0, ge=0, le=3600)
    hard_stop_after: int = Field(default=60, ge=1, le=3600)

    # platform-wide: who issues the tokens the gateway lets through
    jwks_url: str | None = _platform("LOTSE_JWKS_URL", default=None)
    token_issuer: str | None = _platform("LOTSE_TOKEN_ISSUER", default=None)
    token_audience: str = _platform("LOTSE_TOKEN_AUDIENCE", default="lotse")
    trusted_issuers: Annotated[tuple[TrustedIssuerSettings, ...], NoDecode] = _platform(
        "LOTSE_TRUSTED_ISSUERS", default=())
    log_level: str = _platform("LOTSE_LOG_LEVEL", default="INFO",
                               pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    log_format: str = _platform("LOTSE_LOG_FORMAT", default="json", pattern=r"^(json|text)$")

    _parse_trusted_issuers = field_validator("trusted_issuers", mode="before")(
        parse_trusted_issuers)

    @model_validator(mode="after")
    def _some_issuer(self):
        if bool(self.jwks_url) != bool(self.token_issuer):
            raise ValueError("LOTSE_JWKS_URL and LOTSE_TOKEN_ISSUER go together")
        return self

    def issuers(self) -> tuple[Issuer, ...]:
        """Identity (when configured) and every external issuer, as the renderer needs them."""
        found = []
        if self.jwks_url and self.token_issuer:
            found.append(Issuer(self.token_issuer, self.jwks_url, self.token_audience))
        found.extend(Issuer(t.issuer, t.jwks_uri, t.audience or self.token_audience,
                            tuple(t.algorithms)) for t in self.trusted_issuers)
        return tuple(found)
