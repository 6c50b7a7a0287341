"""The referral's lifecycle as the domain decides it (ADR 0084): every step allowed or refused
from every state, the FHIR Task status of each state, and which shared data a release covers.
Seeds: DOMAIN.md §5 linking ("the CM keeps case responsibility and must know whether the client
arrived at the service and how the help stands"), §6 (the three modes), §4 (release per problem
area and per partner)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lotse_network.domain.referrals import (
    FHIR_STATUS,
    PARTNER_STEPS,
    STATES,
    STEPS,
    TRANSITIONS,
    ConsentCopy,
    IllegalTransition,
    Referral,
    ReferralIncomplete,
    missing_releases,
    released_categories,
    topics_needed,
)

TODAY = date(2026, 12, 7)
#: the SDOHCC-ValueSetReferralTaskStatus codes (TaskStatus without ready and received)
SDOHCC_TASK_STATUSES = {"draft", "requested", "accepted", "rejected", "cancelled", "in-progress",
                        "on-hold", "failed", "completed", "entered-in-error"}


def referral(mode: str = "warm_handover", status: str = "proposed") -> Referral:
    made = Referral.propose(by="cm-lea", by_org="org-stadt", today=TODAY, intake_id="i-1",
                            operator_org_id="", partner_org_id="org-abh", mode=mode,
                            topic_area="residence", reason="Aufenthalt klären",
                            urgency="normal", shared=[{"category": "contact",
                                                       "content": "Tel. 05271 1234"}])
    made.status = status
    return made


def test_every_state_maps_onto_one_fhir_task_status_and_no_two_share_one():
    """ADR 0084: a FHIR interface later is a mapping, not a redesign (issue 11)."""
    assert set(FHIR_STATUS) == set(STATES), "every state has a FHIR status"
    assert len(set(FHIR_STATUS.values())) == len(STATES), "one-to-one"
    assert set(FHIR_STATUS.values()) <= SDOHCC_TASK_STATUSES
    assert {FHIR_STATUS[s] for s in ("sent", "accepted", "declined", "arrived", "completed",
                                     "cancelled")} == {
        "requested", "accepted", "rejected", "in-progress", "completed", "cancelled"}


@pytest.mark.parametrize("state", STATES)
def test_every_step_not_allowed_from_a_state_is_refused_naming_the_allowed_ones(state):
    """DOMAIN.md §5 linking: each step in its order; an illegal one is a 409 with the list."""
    for step in STEPS:
        made = referral(mode="tandem", status=state)
        allowed = made.allowed_steps()
        if step in allowed:
            continue
        with pytest.raises(IllegalTransition) as refused:
            made.take(step, by="cm-lea", by_org="org-stadt", today=TODAY, text="x",
                      appointment_on=TODAY)
        assert refused.value.allowed == allowed
        assert made.status == state, "nothing changed"


def test_the_whole_warm_handover_with_who_and_when():
    """000 L162 "mit direkter „warmer“ Fallübergabe"; 001 L276 angekommen, Stand der Hilfe: the
    joint meeting, the arrival, feedback, closure."""
    made = referral()
    steps = [made.take("sent", by="cm-lea", by_org="org-stadt", today=TODAY),
             made.take("accepted", by="abh-aylin", by_org="org-abh", today=TODAY),
             made.take("appointment", by="abh-aylin", by_org="org-abh", today=TODAY,
                       appointment_on=TODAY + timedelta(days=3)),
             made.take("arrived", by="abh-aylin", by_org="org-abh",
                       today=TODAY + timedelta(days=3)),
             made.take("feedback", by="abh-aylin", by_org="org-abh",
                       today=TODAY + timedelta(days=10), text="Antrag gestellt"),
             made.take("feedback", by="abh-aylin", by_org="org-abh",
                       today=TODAY + timedelta(days=20), text="Titel erteilt"),
             made.take("completed", by="cm-lea", by_org="org-stadt",
                       today=TODAY + timedelta(days=21))]
    assert [s.step for s in steps] == ["sent", "accepted", "appointment", "arrived", "feedback",
                                       "feedback", "completed"]
    assert [s.by for s in steps][1] == "abh-aylin" and steps[0].on == TODAY
    assert made.status == "completed" and made.fhir_status == "completed"
    assert made.closed_on == TODAY + timedelta(days=21)


def test_a_decline_and_feedback_state_their_text_and_an_appointment_its_day():
    made = referral(status="sent")
    with pytest.raises(ReferralIncomplete):
        made.take("declined", by="x", by_org="org-abh", today=TODAY)
    made = referral(status="accepted")
    with pytest.raises(ReferralIncomplete):
        made.take("appointment", by="x", by_org="org-abh", today=TODAY)


def test_tandem_exchange_entries_only_in_a_tandem():
    """000 L201 "Beratung im Tandem: … gemeinsam mit den Fachberater*innen … und im regelmäßigen
    Austausch"."""
    assert "exchange" in referral(mode="tandem", status="arrived").allowed_steps()
    assert "exchange" not in referral(mode="referral_counselling",
                                      status="arrived").allowed_steps()


def test_the_partner_answers_but_never_sends_completes_or_cancels():
    assert not {"sent", "completed", "cancelled"} & set(PARTNER_STEPS)
    assert set(PARTNER_STEPS) <= set(STEPS)
    assert all(TRANSITIONS[s] == () for s in ("declined", "not_arrived", "completed",
                                              "cancelled"))


def release(partner: str, topics: list[str], **kw) -> ConsentCopy:
    return ConsentCopy(consent_id=f"c-{partner}-{'-'.join(topics)}", intake_id="i-1",
                       operator_org_id="", kind="release_of_confidentiality",
                       partner_org_id=partner, topic_areas=topics, **kw)


def test_each_shared_category_needs_a_release_covering_its_topic_area():
    """DOMAIN.md §4: release of confidentiality per problem area and per partner."""
    consents = [release("org-abh", ["residence"])]
    needed = topics_needed("residence", ["contact", "residence_status", "health"])
    assert needed == ["residence", "health"]
    assert missing_releases(consents, "org-abh", needed, TODAY) == [("org-abh", "health")]
    assert missing_releases(consents, "org-jobcenter", ["residence"], TODAY) == [
        ("org-jobcenter", "residence")]
    expired = [release("org-abh", ["residence"], valid_until=TODAY - timedelta(days=1))]
    assert missing_releases(expired, "org-abh", ["residence"], TODAY) == [
        ("org-abh", "residence")]


def test_the_partner_sees_only_what_a_valid_release_covers_and_nothing_once_withdrawn():
    shared = [{"category": "contact", "content": "Tel."},
              {"category": "languages", "content": "Arabisch C2"},
              {"category": "residence_status", "content": "Duldung"}]
    both = [release("org-abh", ["residence"]), release("org-abh", ["language"])]
    assert len(released_categories(shared, both, "org-abh", "residence", TODAY)) == 3
    language_withdrawn = [both[0], release("org-abh", ["language"], withdrawn_on=TODAY)]
    assert [i["category"] for i in released_categories(
        shared, language_withdrawn, "org-abh", "residence", TODAY)] == [
        "contact", "residence_status"]
    all_withdrawn = [release("org-abh", ["residence"], withdrawn_on=TODAY)]
    assert released_categories(shared, all_withdrawn, "org-abh", "residence", TODAY) == []
