"""Fixtures of the intake tests: the county's intake on one fresh PostgreSQL database of this
run (migrated once), its API with tokens from a development issuer, and a fresh tenant per test
— the tenant is what keeps tests apart (the same isolation that keeps counties apart)."""

from __future__ import annotations

import uuid

import pytest

from intake_helpers import BORKEN_TENANT, HOEXTER_CRITERIA, HOEXTER_TENANT

from intake_helpers import AREAS, CASE_MANAGERS, ORGANISATIONS, Api, Actors
from lotse_intake.bootstrap import IntakeService
from lotse_intake.settings import IntakeSettings
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import known_directory, put_directory


@pytest.fixture(scope="session")
def issuer() -> DevIssuer:
    return DevIssuer(issuer="http://localhost/intake-tests")


@pytest.fixture(scope="session")
def intake_database(databases):
    return databases.create("intake")


@pytest.fixture(scope="session")
def intake_settings(intake_database, broker_url, tmp_path_factory) -> IntakeSettings:
    return IntakeSettings(database_url=intake_database.app_url,
                          key_dir=tmp_path_factory.mktemp("intake-keys"),
                          migration_database_url=intake_database.owner_url,
                          broker_url=broker_url, relay_poll_interval=0.02,
                          admission_criteria={HOEXTER_TENANT: HOEXTER_CRITERIA},
                          case_proposals={HOEXTER_TENANT: "case_manager",
                                          BORKEN_TENANT: "case_conference"},
                          form_languages={HOEXTER_TENANT: ("uk", "en")})


@pytest.fixture(scope="session")
def intake(intake_settings, issuer) -> IntakeService:
    """The county's own intake (no operator), migrated; it connects as the app role."""
    service = IntakeService(intake_settings, keys=issuer.keys(), token_issuer=issuer.issuer)
    service.migrate()
    yield service
    service.engine.dispose()


@pytest.fixture(scope="session")
def intake_app(intake):
    return intake.create_app()


@pytest.fixture
def tenant() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture(autouse=True)
def directory(request, tenant) -> None:
    """The tenant's organisations, areas and case managers as identity published them, in the
    intake's replica (tests on the database only)."""
    if "intake" not in request.fixturenames and "api" not in request.fixturenames:
        return
    intake = request.getfixturevalue("intake")
    put_directory(intake, tenant, known_directory(
        organisations=ORGANISATIONS, areas=AREAS,
        users=[(user, org, ["case_manager"]) for user, org in CASE_MANAGERS]))


@pytest.fixture
def county_api(intake, intake_app, issuer):
    """The API as callers of one of the configured counties (``HOEXTER_TENANT`` …), whose
    directory is in the replica. Such a tenant is shared by the tests that use it."""
    def api_of(tenant: uuid.UUID) -> Api:
        put_directory(intake, tenant, known_directory(
            organisations=ORGANISATIONS, areas=AREAS,
            users=[(user, org, ["case_manager"]) for user, org in CASE_MANAGERS]))
        return Api(intake_app.test_client(), Actors(issuer, tenant))
    return api_of


@pytest.fixture
def actors(issuer, tenant) -> Actors:
    return Actors(issuer, tenant)


@pytest.fixture
def api(intake_app, actors) -> Api:
    return Api(intake_app.test_client(), actors)


@pytest.fixture
def county_flow(intake_settings):
    """A queue of the county bound to every intake event as casework binds its own
    (``<type>`` and ``<type>.#``), empty at the start; yields (connection, queue name)."""
    from kombu import Connection

    from intake_helpers import INTAKE_EVENT_TYPES
    from lotse_platform.bus import Topology

    with Connection(intake_settings.broker_url) as connection:
        Topology.from_settings(intake_settings).declare_service(
            connection, "countyflow", INTAKE_EVENT_TYPES)
        connection.default_channel.queue_purge("countyflow.events")
        yield connection, "countyflow.events"
