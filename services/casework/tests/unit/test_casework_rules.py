"""The rules of case work, without database or broker: the phase machine, legal areas, the
caseload guideline, SMART goals, effort, home visits, releases, shares, the handover package."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from lotse_platform.audit import Purpose

from lotse_casework.domain import phases
from lotse_casework.domain.access import case_access
from lotse_casework.domain.caseload import CaseloadLine, norm
from lotse_casework.domain.contacts import Contact, effort
from lotse_casework.domain.errors import IllegalTransition, Incomplete, Refused
from lotse_casework.domain.handover import HandoverPackage, MalformedHandover
from lotse_casework.domain.model import Case, Consent, Share, derive_legal_areas
from lotse_casework.domain.planning import check_smart
from lotse_casework.domain.vocabulary import LEGAL_AREAS_BY_TOPIC, TOPIC_AREAS

TODAY = date(2026, 11, 24)


def a_case(**overrides) -> Case:
    values = dict(intake_id="i-1", operator_org_id="", area_id="a", organisation_id="org-cm",
                  case_manager_id="cm", opened_on=TODAY, topic_areas=["residence", "housing"],
                  target_group_ids=[])
    values.update(overrides)
    return Case.open(**values)


@pytest.mark.parametrize("current,allowed", [
    ("intake", ["assessment", "closed"]),
    ("assessment", ["goal_agreement", "closed"]),
    ("goal_agreement", ["linking", "reassessment", "closed"]),
    ("linking", ["monitoring", "reassessment", "closed"]),
    ("monitoring", ["reassessment", "evaluation", "closed"]),
    ("reassessment", ["monitoring", "goal_agreement", "closed"]),
    ("evaluation", ["reassessment", "closed"]),
    ("closed", []),
])
def test_each_phase_allows_exactly_the_next_steps_of_the_cycle(current, allowed):
    assert phases.allowed_transitions(current) == allowed


@pytest.mark.parametrize("entered_from", ["goal_agreement", "linking", "monitoring",
                                          "evaluation"])
def test_a_reassessment_may_come_at_any_time_after_the_assessment_and_returns_where_it_began(
        entered_from):
    # 000 L100: "nicht immer als chronologisch zu den anderen Schritten im Case Management zu
    # betrachten, da es immer wieder zu neuen Situationen kommen kann"
    case = a_case()
    path = ["assessment", "goal_agreement", "linking", "monitoring", "evaluation"]
    for phase in path[:path.index(entered_from) + 1]:
        case.change_phase(phase, "cm")
    case.change_phase("reassessment", "cm")
    assert case.allowed_transitions == list(dict.fromkeys(
        [entered_from, "goal_agreement", "closed"]))
    case.change_phase(entered_from, "cm")
    assert case.phase == entered_from
    with pytest.raises(IllegalTransition):
        a_case().change_phase("reassessment", "cm")  # nothing assessed yet


def test_skipping_a_phase_is_an_illegal_transition_naming_the_allowed_ones():
    case = a_case()
    with pytest.raises(IllegalTransition) as refused:
        case.change_phase("linking", "cm")
    assert refused.value.allowed == ["assessment", "closed"]
    assert case.phase == "intake"


def test_closing_early_needs_an_early_reason_and_the_regular_end_an_evaluation():
    case = a_case()
    with pytest.raises(IllegalTransition):
        case.close("goals_reached", None, "cm", TODAY)
    case.close("not_reachable", None, "cm", TODAY)
    assert case.phases_visited == ["intake", "closed"] and not case.is_open
    with pytest.raises(IllegalTransition):
        case.close("moved_away", None, "cm", TODAY)


def test_legal_areas_follow_the_topic_areas_assumed_legal_area_without_repeats():
    assert derive_legal_areas(["work_training", "livelihood", "housing"]) == ["sgb_ii",
                                                                              "tenancy_law"]
    assert derive_legal_areas(["residence", "health", "family_childcare", "debts",
                               "education"]) == ["residence_law", "sgb_v", "sgb_viii",
                                                 "school_law", "civil_law"]
    assert derive_legal_areas(["social_environment"]) == []
    assert set(LEGAL_AREAS_BY_TOPIC) == set(TOPIC_AREAS)


def test_a_case_manager_may_choose_other_legal_areas_of_the_topics_but_no_foreign_ones():
    case = a_case(topic_areas=["livelihood"])
    case.set_topics(["livelihood"], ["asylblg"])
    assert case.legal_areas == ["asylblg"]
    with pytest.raises(Incomplete):
        case.set_topics(["livelihood"], ["school_law"])


@pytest.mark.parametrize("fte,low,high", [(1.0, 50, 60), (0.75, 37, 45), (0.5, 25, 30),
                                          (0.25, 12, 15)])
def test_the_caseload_guideline_scales_with_the_fte_share(fte, low, high):
    assert norm(fte) == (low, high)


def test_a_caseload_above_the_range_is_flagged_and_below_it_only_shown():
    assert CaseloadLine.of("cm", "org", 0.5, 31).above_range
    assert not CaseloadLine.of("cm", "org", 0.5, 30).above_range
    assert CaseloadLine.of("cm", "org", 1.0, 12).below_range
    assert not CaseloadLine.of("cm", "org", None, 99).above_range, "unknown FTE: no guideline"


def test_a_goal_is_smart_only_with_all_five_parts():
    smart = {"statement": "s", "indicator": "i", "responsible": "client", "realism_note": "r",
             "due_on": TODAY + timedelta(days=1)}
    check_smart(smart, TODAY)
    for part in ("statement", "indicator", "responsible", "realism_note", "due_on"):
        with pytest.raises(Incomplete) as refused:
            check_smart({**smart, part: None}, TODAY)
        assert list(refused.value.fields) == [part]
    with pytest.raises(Incomplete) as refused:
        check_smart({**smart, "responsible": "somebody"}, TODAY)
    assert "responsible" in refused.value.fields


def contact(case, kind="appointment", purpose=None, **kw) -> Contact:
    return Contact.record(case, "cm", TODAY, type=kind, occurred_on=TODAY, duration_minutes=30,
                          topics=["residence"], purpose=purpose, **kw)


def test_effort_counts_appointments_and_follow_ups_per_phase_against_the_guideline():
    case = a_case()
    contacts = [contact(case) for _ in range(2)] + [contact(case, "phone_call")]
    lines = {line["phase"]: line for line in effort(contacts)}
    assert lines["intake"]["appointments"] == 2 and not lines["intake"]["beyond_guideline"]
    contacts.append(contact(case, "home_visit", client_agreement=True,
                            appointment_id=uuid.uuid4()))
    assert {line["phase"]: line for line in effort(contacts)}["intake"]["beyond_guideline"]

    case.phase = "linking"
    linking = [contact(case, purpose="referral") for _ in range(4)]
    linking += [contact(case, "email") for _ in range(6)]
    line = {line["phase"]: line for line in effort(linking)}["linking"]
    assert (line["referral_appointments"], line["follow_ups"]) == (4, 6)
    assert len(line["beyond"]) == 2


def test_a_home_visit_is_an_agreed_appointment_and_with_a_risk_made_by_two():
    # 001 L546: Hausbesuche werden "vorab verbindlich vereinbart"
    case = a_case()
    with pytest.raises(Incomplete) as refused:
        contact(case, "home_visit", client_agreement=True)
    assert list(refused.value.fields) == ["appointment_id"]
    agreed = uuid.uuid4()
    with pytest.raises(Incomplete) as refused:
        contact(case, "home_visit", appointment_id=agreed)
    assert list(refused.value.fields) == ["client_agreement"]
    case.risk_flagged = True
    with pytest.raises(Incomplete) as refused:
        contact(case, "home_visit", client_agreement=True, appointment_id=agreed)
    assert list(refused.value.fields) == ["second_staff_id"]
    assert contact(case, "home_visit", client_agreement=True, second_staff_id="cm-2",
                   appointment_id=agreed)


def test_a_home_visit_appointment_needs_the_agreement_and_ends_once():
    # 001 L134: "Das Case Management funktioniert in der Regel mit Terminabsprachen"
    from datetime import time

    from lotse_casework.domain.appointments import Appointment

    case = a_case()
    with pytest.raises(Incomplete) as refused:
        Appointment.plan(case, "cm", TODAY, kind="home_visit", on=TODAY, at=time(10),
                         duration_minutes=60, place="Wohnung der Familie")
    assert list(refused.value.fields) == ["client_agreement"]
    with pytest.raises(Incomplete) as refused:
        Appointment.plan(case, "cm", TODAY, kind="appointment", on=TODAY - timedelta(days=1),
                         at=time(10), duration_minutes=60, place="Kreishaus")
    assert list(refused.value.fields) == ["on"]
    visit = Appointment.plan(case, "cm", TODAY, kind="home_visit", on=TODAY + timedelta(days=1),
                             at=time(10), duration_minutes=60, place="Wohnung",
                             client_agreement=True)
    with pytest.raises(Refused):
        visit.no_show(TODAY, None)  # not before its day
    visit.no_show(TODAY + timedelta(days=1), None)
    assert visit.status == "no_show"
    with pytest.raises(Refused):
        visit.cancel(None)


def test_a_release_covers_only_its_partner_its_topics_and_its_time():
    from lotse_casework.domain.model import topics_without_release

    case = a_case()
    release = Consent(case_id=case.id, consent_id="c", kind="release_of_confidentiality",
                      partner_org_id="org-jc", topic_areas=["housing"],
                      valid_from=TODAY - timedelta(days=10), valid_until=TODAY + timedelta(days=10))
    assert topics_without_release(case, [release], "org-jc", ["housing"], TODAY) == []
    assert topics_without_release(case, [release], "org-jc", ["residence"], TODAY) == ["residence"]
    assert topics_without_release(case, [release], "org-abh", ["housing"], TODAY) == ["housing"]
    assert topics_without_release(case, [release], "org-jc", ["housing"],
                                  TODAY + timedelta(days=11)) == ["housing"]
    assert topics_without_release(case, [], "org-cm", ["housing"], TODAY) == [], "her own org"
    case.withdraw_consent("counselling_agreement", None)
    assert topics_without_release(case, [release], "org-jc", ["housing"], TODAY) == ["housing"]


def test_a_share_gives_access_only_to_the_named_colleague_while_it_runs():
    case = a_case()
    share = Share.grant(case, [], "cm-2", "deputy", TODAY, TODAY + timedelta(days=7), "cm")
    access = lambda who, day, **kw: case_access(case, who, [share], day,  # noqa: E731
                                                 is_case_manager=True, is_coordinator=False,
                                                 purpose=None)
    assert access("cm-2", TODAY).how == "shared"
    assert access("cm-2", TODAY + timedelta(days=8)) is None
    assert access("cm-3", TODAY) is None
    with pytest.raises(Incomplete):
        Share.grant(case, [], "cm-2", "deputy", TODAY, TODAY + timedelta(days=400), "cm")
    with pytest.raises(Incomplete):
        Share.grant(case, [], "cm", "tandem", TODAY, TODAY, "cm")


def test_supervision_reads_need_a_purpose_and_never_write():
    case = a_case()
    read = case_access(case, "ks", [], TODAY, is_case_manager=False, is_coordinator=True,
                       purpose=Purpose.quality_assurance)
    assert read.how == "supervision" and not read.may_write
    assert case_access(case, "ks", [], TODAY, is_case_manager=False, is_coordinator=True,
                       purpose=None) is None


def test_a_transfer_hands_the_case_to_the_receiver_and_ends_the_senders_shares():
    from lotse_casework.domain.model import Transfer

    case = a_case()
    share = Share.grant(case, [], "cm-2", "deputy", TODAY, TODAY + timedelta(days=7), "cm")
    transfer = Transfer.offer(case, [], "area-b", "cm-b", "org-b", "cm")
    with pytest.raises(Refused):
        transfer.accept(case, [], "cm", None, [share], TODAY)
    transfer.accept(case, [], "cm-b", TODAY, [share], TODAY)
    assert (case.case_manager_id, case.area_id, case.organisation_id) == ("cm-b", "area-b",
                                                                          "org-b")
    assert share.ended_at is not None and transfer.status == "accepted"


def test_the_handover_package_is_read_into_the_cases_own_copy():
    handover = HandoverPackage.parse({
        "intake_id": "i-1",
        "person": {"given_name": "Amal", "family_name": "Darwish", "date_of_birth": "1987-03-14",
                   "contact": {"phone": "1"}, "languages": ["ar"], "interpreter_needed": True},
        "consents": [{"id": "c1", "kind": "release_of_confidentiality", "partner_org_id": "o",
                      "topic_areas": ["housing", "nonsense"], "valid_from": "2026-01-01",
                      "valid_until": None, "withdrawn": True, "withdrawn_on": "2026-02-01"}],
        "counselling_history": [{"depth": "case_management"}]}, "i-1")
    case = a_case()
    person = handover.person_for(case.id)
    assert person.name == "Amal Darwish" and person.date_of_birth == date(1987, 3, 14)
    consent, = handover.consents_for(case.id, TODAY)
    assert consent.topic_areas == ["housing"] and consent.withdrawn_on == date(2026, 2, 1)
    for broken in ({}, {"person": {}}, {"person": {"name": "x"}, "consents": [{"kind": "?"}]},
                   {"person": {"name": "x"}, "intake_id": "other"}):
        with pytest.raises(MalformedHandover):
            handover_of(broken).consents_for(case.id, TODAY)


def handover_of(document):
    return HandoverPackage.parse(document, "i-1")
