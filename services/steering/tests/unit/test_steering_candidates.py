"""The candidate rule for a case reconstruction (seed 001 L452–L458, ADR 0094) as a pure
function, and the projection that feeds it from casework's events — criterion by criterion."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from steering_events import CaseStory
from steering_fakes import FakeSteeringUnitOfWork

from lotse.casework.v1 import events_pb2 as casework
from lotse_steering.domain.candidates import (
    Band,
    CountyProfile,
    assess,
    candidates,
    frequent_combinations,
    percentile,
)
from lotse_steering.domain.cases import CaseRecord
from lotse_steering.service_layer.handlers import project_case_event

TODAY = date(2026, 12, 7)


def record(case_id: str = "c-1", *, weeks: int = 12, topics=("housing", "work_training"),
           legal=("tenancy_law", "sgb_ii"), goals: int = 2, contacts: int = 4,
           organisations: int = 2, phases=("intake", "linking", "monitoring"),
           case_manager: str = "cm-lea", status: str = "open") -> CaseRecord:
    return CaseRecord(case_id=case_id, area_id="area-hoexter", case_manager_id=case_manager,
                      topic_areas=list(topics), legal_areas=list(legal),
                      opened_on=TODAY - timedelta(weeks=weeks), status=status,
                      phases=list(phases), goals_set=[f"{case_id}-g{n}" for n in range(goals)],
                      organisations=[f"org-{n}" for n in range(organisations)],
                      contacts=contacts)


def county(*extra: CaseRecord) -> list[CaseRecord]:
    """Four alike cases of the county (the middle of every band) and ``extra``."""
    return [record(f"c-{n}") for n in range(1, 5)] + list(extra)


def reasons(candidate) -> dict[str, bool]:
    return {r.criterion: r.met for r in candidate.reasons}


def test_percentiles_interpolate_linearly_between_the_closest_ranks():
    assert percentile([1, 2, 3, 4, 5], 25) == 2
    assert percentile([1, 2, 3, 4, 5], 75) == 4
    assert percentile([0, 10], 25) == 2.5
    assert percentile([7], 25) == percentile([7], 75) == 7
    assert percentile([5, 1, 3], 50) == 3, "unsorted input"


def test_a_case_meeting_every_criterion_is_a_candidate_with_its_reasons():
    found = candidates(county(), TODAY)

    assert [c.case_id for c in found] == ["c-1", "c-2", "c-3", "c-4"]
    first = found[0]
    assert reasons(first) == {"with_case_manager": True, "topic_areas": True,
                              "legal_areas": True, "past_linking": True,
                              "medium_difficulty": True, "typical": True}
    by = {r.criterion: r for r in first.reasons}
    assert by["with_case_manager"].value == "12 weeks"
    assert "Wochen" in by["with_case_manager"].message_de
    assert by["typical"].value == "housing+work_training: 4 cases"


@pytest.mark.parametrize("weeks, met", [(7, False), (8, True)])
def test_not_new_means_at_least_eight_weeks_with_the_case_manager(weeks, met):
    case = record("c-new", weeks=weeks)
    profile = CountyProfile.of(county(case))

    assert reasons(assess(case, profile, TODAY))["with_case_manager"] is met


def test_a_transfer_inside_the_county_starts_the_eight_weeks_again():
    case = record("c-moved", weeks=20)
    case.transferred_on = TODAY - timedelta(weeks=3)

    candidate = assess(case, CountyProfile.of(county(case)), TODAY)

    assert candidate.with_case_manager_since == TODAY - timedelta(weeks=3)
    assert reasons(candidate)["with_case_manager"] is False


@pytest.mark.parametrize("topics, met", [
    (("housing",), False), (("housing", "health"), True),
    (("housing", "health", "language"), True), (("housing", "health", "language", "debts"), False)])
def test_two_or_three_topic_areas_in_parallel(topics, met):
    case = record("c-x", topics=topics)

    assert reasons(assess(case, CountyProfile.of(county(case)), TODAY))["topic_areas"] is met


@pytest.mark.parametrize("legal, met", [((), False), (("sgb_ii",), False),
                                        (("sgb_ii", "residence_law"), True)])
def test_problems_from_at_least_two_legal_areas(legal, met):
    case = record("c-x", legal=legal)

    assert reasons(assess(case, CountyProfile.of(county(case)), TODAY))["legal_areas"] is met


def test_help_planning_and_linking_must_be_done():
    case = record("c-x", phases=("intake", "assessment", "linking"))
    later = record("c-y", phases=("intake", "monitoring", "reassessment"))
    profile = CountyProfile.of(county(case, later))

    assert reasons(assess(case, profile, TODAY))["past_linking"] is False
    assert reasons(assess(later, profile, TODAY))["past_linking"] is True


def test_medium_difficulty_is_the_middle_band_of_the_countys_open_cases():
    """Open goals 0..8 over nine cases: the band is 2–6 (25th and 75th percentile); the bounds
    are in it, what lies outside on any measure is not of medium difficulty."""
    cases = [record(f"c-{n}", goals=n) for n in range(9)]
    profile = CountyProfile.of(cases)

    assert profile.bands["open_goals"] == Band(2, 6)
    medium = {c.case_id for c in cases if reasons(assess(c, profile, TODAY))["medium_difficulty"]}
    assert medium == {"c-2", "c-3", "c-4", "c-5", "c-6"}
    outside = next(r for r in assess(cases[8], profile, TODAY).reasons
                   if r.criterion == "medium_difficulty")
    assert "open_goals" in outside.message and "open_goals 8 in 2–6" in outside.value


def test_the_bands_count_open_cases_only_and_a_reached_goal_is_not_open():
    closed = [record(f"c-closed-{n}", goals=9, contacts=40, organisations=9, status="closed")
              for n in range(10)]
    case = record("c-x")
    case.goals_ended = [case.goals_set[0]]
    profile = CountyProfile.of(county(case, *closed))

    assert profile.open_cases == 5
    assert case.open_goals == 1
    assert profile.bands["contacts"] == Band(4, 4)


def test_typical_means_a_frequent_combination_of_topic_areas_in_the_county():
    rare = record("c-rare", topics=("debts", "health"), legal=("civil_law", "sgb_v"))
    profile = CountyProfile.of(county(rare))

    assert reasons(assess(rare, profile, TODAY))["typical"] is False
    assert ("housing", "work_training") in profile.frequent


def test_frequent_combinations_are_shared_and_among_the_five_most_common():
    from collections import Counter

    counted = Counter({("a", "b"): 9, ("a", "c"): 7, ("b", "c"): 7, ("c", "d"): 5,
                       ("d", "e"): 4, ("e", "f"): 3, ("f", "g"): 3, ("x", "y"): 1})

    frequent = frequent_combinations(counted)

    # five combinations rank above ("e", "f") and ("f", "g"): they are out; a single case never
    assert frequent == {("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e")}
    assert frequent_combinations(Counter({("a", "b"): 1})) == frozenset()


def test_closed_and_transferred_cases_are_no_candidates():
    found = candidates(county(record("c-5", status="closed"),
                              record("c-6", status="transferred")), TODAY)

    assert {c.case_id for c in found} == {"c-1", "c-2", "c-3", "c-4"}


# -- the projection from casework's events ----------------------------------------------------

def project(uow, story_events) -> None:
    with uow:
        for envelope, event in story_events:
            project_case_event(event, envelope, uow)
        uow.commit()


def test_casework_events_make_the_case_record_the_rule_reads():
    tenant = uuid.uuid4()
    story = CaseStory(TODAY, weeks=10, goals=3, contacts=5, organisations=2)
    uow = FakeSteeringUnitOfWork(tenant)
    reached = casework.GoalReached(case=story.facts(), goal_id=f"{story.case_id}-g0")

    project(uow, story.enveloped(tenant, [reached]))

    kept = uow.case_record(story.case_id)
    assert (kept.topic_areas, kept.legal_areas) == (["housing", "work_training"],
                                                    ["sgb_ii", "tenancy_law"])
    assert (kept.open_goals, kept.contacts, kept.organisations) == (2, 5, ["org-0", "org-1"])
    assert kept.with_case_manager_since == TODAY - timedelta(weeks=10)
    assert "monitoring" in kept.phases and kept.is_open


def test_the_same_events_in_any_order_give_the_same_record():
    tenant = uuid.uuid4()
    story = CaseStory(TODAY)
    events = story.enveloped(tenant)
    shuffled = events[:]
    random.Random(3).shuffle(shuffled)
    ordered, mixed = FakeSteeringUnitOfWork(tenant), FakeSteeringUnitOfWork(tenant)

    project(ordered, events)
    project(mixed, shuffled)

    assert ordered.case_record(story.case_id) == mixed.case_record(story.case_id)


def test_a_late_older_event_does_not_overwrite_newer_facts_and_closed_stays_closed():
    tenant = uuid.uuid4()
    story = CaseStory(TODAY)
    uow = FakeSteeringUnitOfWork(tenant)
    events = story.enveloped(tenant, [story.closed()])
    newer = replace(story, topics=("housing", "health", "language"))
    newer_events = newer.enveloped(tenant)

    project(uow, [events[-1]])  # closed first (sequence high)
    project(uow, events[:2] + [(replace(newer_events[0][0], sequence=1), newer_events[0][1])])

    kept = uow.case_record(story.case_id)
    assert kept.status == "closed"
    assert kept.topic_areas == ["housing", "work_training"], "the closing event is the newest"


def test_a_transfer_to_another_case_manager_and_one_to_another_tenant():
    tenant = uuid.uuid4()
    story = CaseStory(TODAY, weeks=30)
    moved = casework.CaseFacts()
    moved.CopyFrom(story.facts())
    moved.case_manager_id = "cm-tobias"
    inside = casework.CaseTransferred(case=moved, from_case_manager_id="cm-lea",
                                      transferred_on=(TODAY - timedelta(weeks=2)).isoformat())
    uow = FakeSteeringUnitOfWork(tenant)

    project(uow, story.enveloped(tenant, [inside]))
    kept = uow.case_record(story.case_id)
    assert (kept.case_manager_id, kept.with_case_manager_since, kept.status) == (
        "cm-tobias", TODAY - timedelta(weeks=2), "open")

    away = casework.CaseTransferred(case=moved, to_tenant_id=str(uuid.uuid4()))
    project(uow, [(story.enveloped(tenant, [away])[-1][0], away)])
    assert uow.case_record(story.case_id).status == "transferred"


def test_a_phase_change_to_closed_ends_the_case_even_before_its_closure_event():
    tenant = uuid.uuid4()
    story = CaseStory(TODAY)
    to_closed = casework.PhaseChanged(case=story.facts(), from_phase=casework.PHASE_EVALUATION,
                                      to_phase=casework.PHASE_CLOSED)
    uow = FakeSteeringUnitOfWork(tenant)

    project(uow, story.enveloped(tenant, [to_closed]))

    assert uow.case_record(story.case_id).status == "closed"
    assert candidates(uow.case_records(), TODAY) == []
