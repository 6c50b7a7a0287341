"""The projections are pure functions of the stored events: the same events in any order, any
of them repeated, give the same rows, and a rebuild from the store gives what the consumer built
(issue 12, "Read models, replay and rebuild"; ARCHITECTURE.md reliability invariant 3)."""

from __future__ import annotations

import random
import uuid

from lotse.casework.v1 import events_pb2 as casework
from lotse_reporting.domain.projections import (CaseChange, CaseRow, apply_case_change,
                                                suppressed)
from lotse_reporting.service_layer import projections
from lotse_reporting.service_layer.handlers import EVENT_HANDLERS

from reporting_events import case_story, referral_story
from reporting_fakes import Memory


def deliver(memory: Memory, tenant: uuid.UUID, delivered) -> None:
    for envelope, event in delivered:
        with memory.units(tenant) as uow:
            projections.store_event(event, envelope, uow)
            uow.commit()


def stream(tenant: uuid.UUID):
    return (case_story(tenant, "c-1", "area-hoexter", casework.PHASE_LINKING)
            + case_story(tenant, "c-2", "area-hoexter", closed=True)
            + case_story(tenant, "c-3", "area-brakel", moved_to="area-hoexter")
            + referral_story(tenant, "org-jobcenter", "completed")
            + referral_story(tenant, "org-jobcenter", "not_arrived")
            + referral_story(tenant, "org-caritas", "declined"))


def test_every_event_type_of_intake_casework_network_and_identity_is_stored():
    """001 L355: the coordinating office records the numbers "statistisch" — every event the
    services publish is kept, a new type without a change of code (identity's: the staffing
    the caseload report needs, ADR 0090)."""
    from lotse.identity.v1 import events_pb2 as identity
    from lotse.intake.v1 import events_pb2 as intake
    from lotse.network.v1 import events_pb2 as network

    assert "casework.case.opened.v1" in EVENT_HANDLERS
    assert "network.referral.arrived.v1" in EVENT_HANDLERS
    assert "identity.user.staffing_changed.v1" in EVENT_HANDLERS
    declared = [m for module in (intake, casework, network, identity)
                for m in module.DESCRIPTOR.message_types_by_name]
    assert len(EVENT_HANDLERS) >= 20 and len(declared) >= len(EVENT_HANDLERS)
    assert all(handler is projections.store_event for handler in EVENT_HANDLERS.values())


def test_out_of_order_and_duplicated_events_give_the_rows_of_the_ordered_ones():
    """001 L355 (numbers the office records): events late, overtaking each other or delivered
    twice count once and in their case's order."""
    tenant = uuid.uuid4()
    events = stream(tenant)
    in_order = Memory()
    deliver(in_order, tenant, events)
    shuffled = Memory()
    mixed = events + events[::3]
    random.Random(12).shuffle(mixed)
    deliver(shuffled, tenant, mixed)

    assert shuffled.cases == in_order.cases
    assert shuffled.referrals == in_order.referrals
    assert len(shuffled.events[tenant]) == len(events)
    with in_order.units(tenant) as uow:
        figures = uow.cases_by_area_and_phase()
    assert sorted(figures) == [("area-hoexter", "assessment", 1), ("area-hoexter", "closed", 1),
                               ("area-hoexter", "linking", 1)]


def test_a_late_event_of_a_case_changes_neither_its_area_nor_its_phase():
    """001 L355 ("Zahlen statistisch erfasst"), ARCHITECTURE.md invariant 3: casework's per-case
    sequence orders the case's events."""
    row = apply_case_change(None, CaseChange("c", "area-b", "monitoring", 5))
    assert apply_case_change(row, CaseChange("c", "area-a", "intake", 1)) == row
    transferred_first = apply_case_change(None, CaseChange("c", "area-b", None, 3))
    opened_late = apply_case_change(transferred_first, CaseChange("c", "area-a", "intake", 1))
    assert opened_late == CaseRow("c", "area-b", "intake", 3, 1)


def test_rebuilding_twice_gives_the_rows_the_consumer_built():
    """001 L355 ("Zahlen statistisch erfasst"), issue 12: "Rebuilding twice gives identical
    results" — and the consumer's rows."""
    memory, tenant = Memory(), uuid.uuid4()
    deliver(memory, tenant, stream(tenant))
    built = (dict(memory.cases[tenant]), dict(memory.referrals[tenant]))
    assert projections.rebuild(memory.units, memory) == len(memory.events[tenant])
    first = (dict(memory.cases[tenant]), dict(memory.referrals[tenant]))
    projections.rebuild(memory.units, memory)
    assert first == built == (memory.cases[tenant], memory.referrals[tenant])


def test_a_projection_behind_its_version_is_built_from_past_events_on_deployment():
    """001 L355 ("Zahlen statistisch erfasst"), issue 12: a new projection is built from the past
    events on deployment."""
    memory, tenant = Memory(), uuid.uuid4()
    deliver(memory, tenant, stream(tenant))
    memory.cases[tenant].clear()
    memory.built = {name: version for name, version in projections.PROJECTIONS.items()
                    if name != "cases_by_area_and_phase"}
    assert projections.catch_up(memory.units, memory) == ["cases_by_area_and_phase"]
    assert len(memory.cases[tenant]) == 3
    assert memory.built == projections.PROJECTIONS
    assert projections.catch_up(memory.units, memory) == []


def test_steering_members_see_small_cells_as_fewer_than_five():
    """002 L230: the steering group gets prepared data (Aufbereitung von Daten) — counts 1 to 4
    are shown as "<5", the coordinating office sees them exactly."""
    assert [suppressed(n, exact=False) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert suppressed(3, exact=True) == 3
