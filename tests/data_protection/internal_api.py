"""A service's calls to another service's internal API in these tests: made against that
service's Flask app (the URL's host names the app) with a machine token (role ``service``) of
the tenant, as the deployed client would send them."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from lotse_platform.auth import SERVICE
from lotse_platform.auth.devtokens import DevIssuer


class InternalApi:
    def __init__(self, apps, issuer: DevIssuer, tenant: uuid.UUID, client: str,
                 org: str) -> None:
        self.apps, self.calls = apps, []
        self.token = issuer.issue(f"client:{client}", tenant, org, [SERVICE], client_id=client)

    def call(self, method: str, url: str, body=None) -> tuple[int, bytes]:
        parts = urlsplit(url)
        self.calls.append((parts.netloc, parts.path))
        response = self.apps[parts.netloc].test_client().open(
            parts.path, method=method, headers={"Authorization": f"Bearer {self.token}"})
        return response.status_code, response.get_data()

    def close(self) -> None:
        self.calls.clear()
