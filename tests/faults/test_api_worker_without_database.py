"""An API worker that starts while its database is away starts all the same and answers 503.

gunicorn builds the app in every worker it starts, also in one replacing a crashed worker. The
fault drills killed an API worker just before PostgreSQL went down: the replacement's start-up
check could not reach the database, the worker failed to boot, and gunicorn shut the whole API
down — connections refused until the supervisor started it again, where a 503 with Retry-After
was due (reliability invariant 4). An unsafe database is still refused at the worker's start.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lotse_example.bootstrap import ExampleService
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.db.safety import UnsafeDatabase
from lotse_platform.settings import RunMode
from lotse_platform.testing import free_port

pytestmark = pytest.mark.integration


def service_on(example_settings, database_url: str) -> tuple[ExampleService, str]:
    issuer = DevIssuer()
    service = ExampleService(example_settings.model_copy(update={
        "database_url": database_url, "mode": RunMode.local}))
    service.trust(issuer.keys(), issuer.issuer)
    token = issuer.issue("cm-1", uuid.uuid4(), "org-1", ["case_manager"], areas=["nord"])
    return service, token


def test_an_api_worker_started_while_the_database_is_away_answers_503_with_retry_after(
        example_settings):
    nobody_listens = f"postgresql+psycopg://lotse_app@127.0.0.1:{free_port()}/lotse_example"
    service, token = service_on(example_settings, nobody_listens)

    app = service.create_app()  # the start-up check cannot run: the worker starts anyway
    response = app.test_client().post("/notes", json={"area_id": "nord", "text": "Rückruf"},
                                      headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["type"] == "urn:lotse:problem:unavailable"
    service.engine.dispose()


def test_an_api_worker_still_refuses_an_unsafe_database_at_its_start(example, example_settings,
                                                                       example_db):
    owner = sa.create_engine(example_db.owner_url, poolclass=sa.pool.NullPool)
    with owner.begin() as connection:
        connection.execute(sa.text("ALTER TABLE notes NO FORCE ROW LEVEL SECURITY"))
    owner.dispose()
    service, _ = service_on(example_settings, example_settings.database_url)

    with pytest.raises(UnsafeDatabase, match="does not FORCE row-level security"):
        service.create_app()
    service.engine.dispose()
