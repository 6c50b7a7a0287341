"""The one place that wires the identity service: the platform's container with its own parts.

Identity starts first (``start_order``): it issues the tokens every other service verifies. In
embedded mode (``make run``) the platform asks it for its keys (:meth:`Identity.token_keys`)
and every service verifies tokens with them in process; in the cluster they fetch its JWKS.
"""

from __future__ import annotations

import logging
import threading
import uuid
from functools import cached_property
from pathlib import Path

from lotse.identity.v1 import events_pb2
from lotse_platform.auth import JWKSCache
from lotse_platform.auth.issuers import verifier_from_settings
from lotse_platform.service import Service

from .adapters import orm
from .adapters.unit_of_work import SqlAlchemyIdentityUnitOfWork
from .oauth.tokens import CurrentTokensOnly
from .service_layer.handlers import COMMAND_HANDLERS
from .settings import SERVICE, IdentitySettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = logging.getLogger("lotse.identity")


class IdentityService(Service):
    name = SERVICE
    title = "Lotse identity"
    settings_class = IdentitySettings
    migrations = MIGRATIONS
    metadata = orm.metadata
    tables = orm.platform
    event_modules = (events_pb2,)
    command_handlers = COMMAND_HANDLERS
    uow_class = SqlAlchemyIdentityUnitOfWork
    start_order = 10
    local_port = 8101

    settings: IdentitySettings

    def start_mappers(self) -> None:
        orm.start_mappers()

    # -- tokens ----------------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.settings.token_issuer_url

    @cached_property
    def key_encryption(self):
        from .adapters.crypto import key_encryption_from_settings

        return key_encryption_from_settings(self.settings)

    @cached_property
    def keyring(self):
        from .service_layer.keys import KeyRing

        return KeyRing(self.uow, lambda: self.key_encryption, self.settings)

    def token_keys(self):
        return self.keyring, self.issuer

    @cached_property
    def verifier(self) -> CurrentTokensOnly:
        # identity's own API verifies its tokens with its own keys, read in process (no JWKS
        # round trip), and those of LOTSE_TRUSTED_ISSUERS like every service; a person's token
        # only while no password change or reset, no disabling ended her sessions (ADR 0063)
        issuer = self._token_issuer or self.issuer
        platform = verifier_from_settings(self.settings, keys=self._keys or self.keyring,
                                          issuer=issuer)
        return CurrentTokensOnly(platform, issuer, self._token_generation)

    def _token_generation(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> int | None:
        with self.uow(tenant_id) as uow:
            user = uow.get_user(user_id)
            return None if user is None else user.token_generation

    def dependencies(self):
        # what the handlers name beyond command and unit of work (set_password: the lockout)
        return {"settings": lambda: self.settings}

    @cached_property
    def authorization_server(self):
        from .oauth.server import LotseAuthorizationServer

        return LotseAuthorizationServer(self)

    def rotate_keys(self, *, force: bool = False, at=None):
        from .service_layer.keys import rotate_keys

        plan = rotate_keys(self.uow(), self.key_encryption, self.settings, at=at, force=force)
        self.keyring.invalidate()
        return plan

    # -- external identity providers -------------------------------------------------------------
    @cached_property
    def _external_keys(self) -> dict[str, JWKSCache]:
        return {}

    def external_issuer(self, issuer: str):
        for config in self.settings.exchange_issuers:
            if config.issuer == issuer:
                return config, uuid.UUID(str(config.tenant))
        return None

    def external_keys(self, config) -> JWKSCache:
        cache = self._external_keys.get(config.issuer)
        if cache is None:
            cache = self._external_keys[config.issuer] = JWKSCache(config.jwks_uri)
        return cache

    # -- HTTP, worker, demo ----------------------------------------------------------------------
    def register_api(self, api) -> None:
        from .entrypoints.api import (
            areas,
            clients,
            oauth,
            organisations,
            qualifications,
            tenants,
            users,
        )

        for module in (oauth, tenants, organisations, areas, users, clients, qualifications):
            api.register_blueprint(module.blp)

    def worker_loops(self):
        loops = super().worker_loops()
        loops["key-rotation"] = self._rotation_loop
        return loops

    def _rotation_loop(self, stop: threading.Event) -> None:
        """Rotate on schedule: publish, promote, retire and remove keys as they fall due."""
        while not stop.is_set():
            try:
                self.rotate_keys()
            except Exception:  # the database may be away for a while: try again next round
                log.exception("identity.key_rotation_failed")
            stop.wait(self.settings.key_check_interval)

    def seed_demo(self, county) -> int:
        from .service_layer.seed import seed_demo

        return seed_demo(self, county)

    def embedded_login_hint(self, base_url: str) -> str:
        from lotse_demo import DEMO_PASSWORD

        from .service_layer.seed import CONSOLE_CLIENT_ID

        api = f"{base_url}/api/v1/{self.name}"
        if not self.settings.password_grant_enabled:
            return f"the web console's login page (authorization code + PKCE): {api}/oauth/authorize"
        return (f"identity — every demo user (admin, ks.koch, cm.hoexter, admin.awo …) has the "
                f"password {DEMO_PASSWORD}; get a token with the password grant (DEVELOPMENT "
                f"ONLY, on in embedded mode):\n"
                f"    curl -s {api}/oauth/token -d grant_type=password -d client_id="
                f"{CONSOLE_CLIENT_ID} -d username=cm.hoexter -d password={DEMO_PASSWORD}\n"
                f"  and send its access_token as 'Authorization: Bearer <token>'")


def bootstrap(settings: IdentitySettings | None = None) -> IdentityService:
    return IdentityService(settings)
