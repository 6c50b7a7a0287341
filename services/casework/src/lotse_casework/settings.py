"""Environment → settings of the casework service (``LOTSE_CASEWORK_DATABASE_URL`` …).

``LOTSE_CASEWORK_INTAKE_URLS`` maps the operator of an intake instance (the ``operator_org_id``
of its events; ``""`` = the county's own intake) to the base URL of its API, as JSON:
``{"": "http://127.0.0.1:8102", "<org id>": "https://intake.awo.example"}``. Unset, it points
at the county's intake of the run mode: ``http://127.0.0.1:8102`` in the local cluster, and in
embedded mode the same process (``$LOTSE_PUBLIC_URL/api/v1/intake``, which the embedded runner
sets, else ``http://127.0.0.1:$LOTSE_PORT/api/v1/intake``).

The same URL answers the consent check at the moment of sharing (ADR 0053:
``GET …/intakes/<id>/consents/current``), with ``LOTSE_CASEWORK_CONSENT_CHECK_TIMEOUT`` seconds
(2) before casework refuses to share (503).

The machine token for the handover call and the consent check comes from ``LOTSE_TOKEN_URL`` with
``LOTSE_CASEWORK_CLIENT_ID`` / ``LOTSE_CASEWORK_CLIENT_SECRET`` (client credentials). In embedded
mode, and only there, they default to identity's token endpoint in the same process and the demo
client ``casework`` with the demo secret :data:`DEMO_CLIENT_SECRET` (demo data, like the demo
password).

Federation (ADR 0051): ``LOTSE_CASEWORK_PEERS`` maps the tenants served by *other* Lotse
deployments to their casework base URL, as JSON, like the platform's other maps:
``{"<tenant uuid>": "https://lotse.kreis-paderborn.example/api/v1/casework"}``. A case may be
offered to such a tenant; an offer *from* such a tenant is accepted from a machine token of a
trusted issuer (``LOTSE_TRUSTED_ISSUERS``) whose ``tenant`` is that peer tenant — every peer
needs one. ``LOTSE_CASEWORK_PUBLIC_URL`` is this deployment's casework base URL as peers reach
it (they fetch the handover package and report the acceptance there); required with peers.
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from lotse_platform.settings import CallerSettings, RunMode, json_variable

SERVICE = "casework"
_URL = re.compile(r"^https?://[^\s\"'\\]+$")
LOCAL_INTAKE_URL = "http://127.0.0.1:8102"
DEMO_CLIENT_ID = "casework"
#: the embedded demo's machine client secret (demo data only; never used outside embedded mode)
DEMO_CLIENT_SECRET = "lotse-demo-casework-secret"


class CaseworkSettings(CallerSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOTSE_CASEWORK_", extra="ignore", frozen=True, populate_by_name=True
    )

    intake_urls: dict[str, str] = Field(
        default_factory=dict, description="operator org id → intake base URL (JSON)")
    handover_timeout: float = Field(default=10.0, gt=0, le=60,
                                    description="seconds for the handover call to intake")
    consent_check_timeout: float = Field(
        default=2.0, gt=0, le=30,
        description="seconds for the consent check at the moment of sharing (ADR 0053); "
                    "intake slower than this: 503, nothing shared")
    #: this deployment's casework base URL as peer deployments reach it (federation)
    federation_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LOTSE_CASEWORK_PUBLIC_URL"),
        description="casework's own base URL that peer deployments call back")
    #: tenant id → casework base URL of the peer deployment serving it (JSON object)
    peers: Annotated[dict[uuid.UUID, str], NoDecode] = Field(
        default_factory=dict, description="tenant id → casework base URL of another deployment")
    federation_timeout: float = Field(default=10.0, gt=0, le=60,
                                      description="seconds for a call to a peer deployment")

    @field_validator("federation_url")
    @classmethod
    def _an_http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _URL.match(value):
            raise ValueError("not an http(s) URL")
        return value.rstrip("/")

    @field_validator("peers", mode="before")
    @classmethod
    def _peers_from_json(cls, value):
        return json_variable(value, shape=dict, looks_like='an object {"<tenant uuid>": "<casework URL>"}')

    @field_validator("peers")
    @classmethod
    def _peers_are_trusted(cls, value: dict[uuid.UUID, str],
                           info: ValidationInfo) -> dict[uuid.UUID, str]:
        for tenant, url in value.items():
            if not _URL.match(url):
                raise ValueError(f"{tenant}: not an http(s) URL")
        if value and not info.data.get("federation_url"):
            raise ValueError("peers need LOTSE_CASEWORK_PUBLIC_URL (the URL they call back)")
        trusted = {issuer.tenant for issuer in info.data.get("trusted_issuers") or ()}
        untrusted = sorted(str(t) for t in value if t not in trusted)
        if untrusted:
            raise ValueError("no trusted issuer (LOTSE_TRUSTED_ISSUERS) for peer tenant "
                             + ", ".join(untrusted))
        return {tenant: url.rstrip("/") for tenant, url in value.items()}

    def peer_url(self, tenant_id: uuid.UUID | str) -> str | None:
        """The casework base URL of the deployment serving ``tenant_id``, if another one."""
        try:
            return self.peers.get(uuid.UUID(str(tenant_id)))
        except ValueError:
            return None

    def intake_url(self, operator_org_id: str) -> str | None:
        """The base URL of the intake instance run by ``operator_org_id`` ("" = the county)."""
        urls = self.intake_urls or self.default_intake_urls()
        return urls.get(operator_org_id)

    def default_intake_urls(self) -> dict[str, str]:
        if self.mode is RunMode.embedded:
            return {"": f"{self.embedded_base()}/api/v1/intake"}
        return {"": LOCAL_INTAKE_URL}

    def machine_client(self) -> tuple[str, str, str] | None:
        """(token URL, client id, secret) of casework's machine client, or None."""
        return self.machine_credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
