"""The event store and the projections on the real database and broker (issue 12, "Read
models, replay and rebuild"): the worker stores every event once and projects it, whatever the
order and however often it is delivered; ``rebuild`` gives the same rows, row for row; the
coordinating office reads the figures, a steering member only suppressed ones."""

from __future__ import annotations

import io
import random
import uuid

import pytest
import sqlalchemy as sa
from kombu import Connection

from lotse.casework.v1 import events_pb2 as casework
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import put_directory
from lotse_platform.auth import CASE_MANAGER, STEERING_MEMBER
from lotse_platform.testing import Running, poll, publish_raw

from lotse_reporting.service_layer.projections import store_event

from reporting_events import case_story, referral_story

pytestmark = pytest.mark.integration

PROJECTED = {"case_projection": "case_id", "referral_projection": "referral_id",
             "referral_rate_projection": "referral_id"}


def rows(superuser, tenant) -> dict[str, list[tuple]]:
    """Every projection's rows of the tenant, as the database holds them."""
    with superuser.connect() as connection:
        return {table: [tuple(r) for r in connection.execute(sa.text(
            f"SELECT * FROM {table} WHERE tenant_id = :t ORDER BY {key}"), {"t": tenant})]
                for table, key in PROJECTED.items()}


def stored(superuser, tenant) -> int:
    with superuser.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM event_store WHERE tenant_id = :t"),
                                  {"t": tenant}).scalar_one()


def story(tenant):
    return (case_story(tenant, "c-1", "area-hoexter", casework.PHASE_LINKING)
            + case_story(tenant, "c-2", "area-hoexter", closed=True)
            + case_story(tenant, "c-3", "area-brakel", moved_to="area-hoexter")
            + [e for _ in range(6) for e in referral_story(tenant, "org-jobcenter", "completed")]
            + referral_story(tenant, "org-jobcenter", "not_arrived")
            + referral_story(tenant, "org-caritas", "declined"))


def publish(broker_url, delivered) -> None:
    with Connection(broker_url) as connection:
        for envelope, _event in delivered:
            publish_raw(connection, "lotse.events", envelope.type, envelope.data,
                        headers=envelope.headers(), message_id=str(envelope.id))


def test_the_worker_stores_each_event_once_and_projects_it_in_any_order(
        reporting, broker_url, superuser, tenant):
    """001 L355 (the office records the cases' numbers): events published on the broker, late,
    overtaking each other and delivered twice, count once and in their case's order."""
    events = story(tenant)
    with Running(reporting.consumer().run):
        publish(broker_url, events)
        poll(lambda: stored(superuser, tenant) == len(events))
    ordered_rows = rows(superuser, tenant)

    other = uuid.uuid4()
    again = story(other)
    shuffled = again + again[::2]
    random.Random(7).shuffle(shuffled)
    with Running(reporting.consumer().run):
        publish(broker_url, shuffled)
        poll(lambda: stored(superuser, other) == len(again))
    mixed_rows = rows(superuser, other)

    def without_ids(found):
        return {t: sorted(r[2:] for r in rs) for t, rs in found.items()}

    assert without_ids(mixed_rows) == without_ids(ordered_rows)
    with reporting.uow(tenant) as uow:
        assert uow.cases_by_area_and_phase() == [("area-hoexter", "assessment", 1),
                                                 ("area-hoexter", "closed", 1),
                                                 ("area-hoexter", "linking", 1)]


def test_a_duplicate_of_a_stored_event_appends_nothing(reporting, superuser, tenant):
    """001 L355 ("Zahlen statistisch erfasst"), issue 12: a late or repeated event changes nothing
    twice (inbox, then the store)."""
    [(envelope, event)] = case_story(tenant, "c-9", "area-brakel")[:1]
    consumer = reporting.consumer()
    assert consumer.process(envelope, event) == "processed"
    assert consumer.process(envelope, event) == "duplicate"
    with reporting.uow(tenant) as uow:
        store_event(event, envelope, uow)  # past the inbox: the store's own guard
        uow.commit()
    assert stored(superuser, tenant) == 1
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), reporting.engine.begin() as db:
        db.execute(sa.text("SELECT set_config('lotse.tenant_id', :t, true)"), {"t": str(tenant)})
        db.execute(sa.text("DELETE FROM event_store"))


def test_rebuilding_twice_gives_the_same_rows_row_for_row(reporting, superuser, tenant):
    """001 L355 ("Zahlen statistisch erfasst"), issue 12: "Rebuilding twice gives identical
    results (a test compares them)"."""
    consumer = reporting.consumer()
    for envelope, event in story(tenant):
        consumer.process(envelope, event)
    built = rows(superuser, tenant)
    progress = io.StringIO()
    replayed = reporting.rebuild(stream=progress)
    assert replayed >= len(story(tenant))
    assert "events" in progress.getvalue() and "/s" in progress.getvalue()
    first = rows(superuser, tenant)
    reporting.rebuild(stream=io.StringIO())
    assert rows(superuser, tenant) == first == built


def test_a_new_projection_is_built_from_past_events_on_deployment(reporting, superuser, tenant):
    """001 L355 ("Zahlen statistisch erfasst"), issue 12: a projection added in a release is built
    from the past events on deployment (its version is behind: ``migrate`` rebuilds it)."""
    consumer = reporting.consumer()
    for envelope, event in story(tenant):
        consumer.process(envelope, event)
    built = rows(superuser, tenant)
    with superuser.begin() as connection:
        connection.execute(sa.text("DELETE FROM case_projection WHERE tenant_id = :t"),
                           {"t": tenant})
        connection.execute(sa.text("DELETE FROM projection_versions "
                                   "WHERE name = 'cases_by_area_and_phase'"))
    reporting.migrate()
    assert rows(superuser, tenant) == built


def test_the_office_reads_exact_figures_and_steering_members_suppressed_ones(
        reporting, as_user, tenant):
    """002 L230 (the office prepares data for the steering group): counts only; 1 to 4 shown
    as "<5" to a steering member; a case manager reads nothing here."""
    consumer = reporting.consumer()
    for envelope, event in story(tenant):
        consumer.process(envelope, event)
    # identity published the Jobcenter with its name (ADR 0086); Caritas' has not arrived
    put_directory(reporting, tenant, [Known(ORGANISATION, "org-jobcenter", version=1,
                                            name="Jobcenter Kreis Höxter")])

    office = as_user("ks-1").get("/referrals/by-partner")
    assert office.status_code == 200, office.json
    jobcenter = [r for r in office.json["rows"] if r["partner_org_id"] == "org-jobcenter"]
    assert jobcenter == [{"partner_org_id": "org-jobcenter",
                          "partner_name": "Jobcenter Kreis Höxter", "topic_area": "work_training",
                          "outcomes": {"completed": 6, "not_arrived": 1}, "referrals": 7,
                          "arrived": 6, "arrival_rate": round(6 / 7, 3)}]
    steering = as_user("lg-1", roles=(STEERING_MEMBER,))
    cases = steering.get("/cases/by-area-and-phase").json
    assert cases["suppressed"] is True
    assert {r["cases"] for r in cases["rows"]} == {"<5"}
    [caritas] = [r for r in steering.get("/referrals/by-partner").json["rows"]
                 if r["partner_org_id"] == "org-caritas"]
    assert caritas["referrals"] == "<5" and caritas["arrival_rate"] is None
    assert caritas["partner_name"] is None
    assert as_user("cm-1", roles=(CASE_MANAGER,)).get("/cases/by-area-and-phase").status_code == 403


def test_a_rebuild_while_the_worker_consumes_loses_no_event(
        reporting, broker_url, superuser, tenant):
    """001 L355 ("Zahlen statistisch erfasst"): a rebuild and the worker take turns per tenant,
    so the figures after both are those of every event, rebuilt or not."""
    events = story(tenant) + story(tenant)
    with Running(reporting.consumer().run):
        publish(broker_url, events[: len(events) // 2])
        for _ in range(3):
            reporting.rebuild(stream=None)
        publish(broker_url, events[len(events) // 2:])
        for _ in range(3):
            reporting.rebuild(stream=None)
        poll(lambda: stored(superuser, tenant) == len(events))
    live = rows(superuser, tenant)
    reporting.rebuild(stream=None)
    assert rows(superuser, tenant) == live
    assert sum(1 for r in live["referral_projection"]) == 16
    assert sum(1 for r in live["referral_rate_projection"]) == 16
