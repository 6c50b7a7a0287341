"""The projections read and written in bulk on PostgreSQL (ADR 0087, amendment "Speed"): the
consumer's batches (appended with one statement, projected together at the commit) and a rebuild
in small batches (rows kept from batch to batch, a fact revised in a later batch read back) give
the same rows, row for row, in every projection table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lotse.casework.v1 import events_pb2 as casework
from lotse.identity.v1 import events_pb2 as identity
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform.contracts import Envelope, event_type_of

from lotse_reporting.service_layer import projections

from reporting_events import case_story, referral_story

pytestmark = pytest.mark.integration

#: every projection table and the columns that order its rows (the case steps' serial id left out)
TABLES = {"case_projection": "case_id", "referral_projection": "referral_id",
          "intake_report_projection": "intake_id", "case_report_projection": "case_id",
          "staff_projection": "user_id", "report_fact": "fact_id",
          "phase_entry": "case_id, sequence", "referral_rate_projection": "referral_id",
          "period_figure": "case_manager_id, period, figure",
          "period_case_step": "case_id, sequence, day"}


def rows(superuser, tenant) -> dict[str, list[tuple]]:
    with superuser.connect() as connection:
        found = {}
        for table, order in TABLES.items():
            result = connection.execute(sa.text(
                f"SELECT * FROM {table} WHERE tenant_id = :t ORDER BY {order}"), {"t": tenant})
            keys = [k for k in result.keys() if k != "id"]
            found[table] = [tuple(r[k] for k in keys) for r in result.mappings()]
        return found


def envelope(event, tenant, *, sequence=None) -> Envelope:
    service = event_type_of(event).split(".", 1)[0]
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source=f"/lotse/{service}",
                    time=datetime(2025, 3, 4, 10, tzinfo=UTC), data=event.SerializeToString(),
                    tenant=tenant, sequence=sequence)


def story(tenant) -> list[Envelope]:
    """Intakes (one decision's revision arriving long before it), cases, contacts, referrals
    and staffing."""
    decided = [envelope(intake.CounsellingDepthDecided(
        intake_id=f"i-{n}", area_id="area-hilden", depth=kim.COUNSELLING_DEPTH_GUIDANCE,
        revision=1, decided_by="cm-1", decided_on="2025-02-03"), tenant) for n in range(3)]
    contacts = [envelope(intake.ContactRecorded(
        intake_id=f"i-{n}", area_id="area-hilden", access_path=kim.ACCESS_PATH_SELF_REFERRAL,
        recorded_by="cm-1", contact_date="2025-02-01"), tenant) for n in range(3)]
    cases = [e for n in range(4) for e, _ in case_story(
        tenant, f"c-{n}", "area-hilden", casework.PHASE_LINKING, closed=n % 2 == 0)]
    facts = casework.CaseFacts(case_id="c-1", area_id="area-hilden", case_manager_id="cm-1")
    worked = [envelope(casework.ContactRecorded(
        case=facts, contact_id=f"k-{n}", type=casework.CONTACT_TYPE_APPOINTMENT,
        duration_minutes=45, phase=casework.PHASE_ASSESSMENT, contact_on="2025-03-04"), tenant,
        sequence=10 + n) for n in range(5)]
    referrals = [e for outcome in ("completed", "declined", "not_arrived")
                 for e, _ in referral_story(tenant, "org-jobcenter", outcome)]
    staffing = [envelope(identity.UserCreated(user_id="cm-1", organisation_id="org-kreis",
                                              roles=["case_manager"], fte=0.5, version=1),
                         tenant)]
    revised = [envelope(intake.CounsellingDepthDecided(
        intake_id="i-1", area_id="area-hilden", depth=kim.COUNSELLING_DEPTH_CASE_MANAGEMENT,
        revision=2, decided_by="cm-1", decided_on="2025-03-10"), tenant)]
    # the revision first, the decision it revised late (out of order, many batches apart): the
    # revision's fact, written batches before, must be read back so the late one cannot replace it
    late = [decided.pop(1)]
    return contacts + revised + decided + staffing + cases + worked + referrals + late


def test_consumer_batches_and_a_rebuild_in_small_batches_give_the_same_rows(
        reporting, superuser, tenant):
    events = story(tenant)
    consumer = reporting.consumer()
    delivered = [(e, e.decode(reporting.registry)) for e in events]
    # batches as the broker hands them over; an event delivered twice within one batch
    batches = [delivered[:9] + delivered[3:4], delivered[9:20], delivered[20:]]
    outcomes = [o for batch in batches for o in consumer.process_batch(tenant, batch)]
    assert outcomes.count("processed") == len(events)
    consumed = rows(superuser, tenant)
    assert ("i-1", "case_management") in [(r[1], r[6]) for r in consumed["intake_report_projection"]]

    projections.rebuild(reporting.uow, reporting.catalogue(), stream=None, batch_size=4)
    assert rows(superuser, tenant) == consumed
    with superuser.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT count(*) FROM event_store WHERE tenant_id = :t"), {"t": tenant}).scalar_one()
    assert stored == len(events)
