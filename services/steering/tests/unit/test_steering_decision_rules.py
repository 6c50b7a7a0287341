"""The steering group's rules as plain functions (ADR 0095): the quorum rule and the majorities,
who casts a member's vote, the outcome of a decision, and the theme's lifecycle."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from lotse_platform.errors import Conflict, Forbidden, Unprocessable
from lotse_steering.domain.decisions import (
    ABSTAIN,
    APPROVED,
    DEFERRED,
    NO,
    REJECTED,
    YES,
    DecisionProposal,
    TargetGroupChange,
    Vote,
    cast,
    count_votes,
    decide,
)
from lotse_steering.domain.reconstructions import Theme
from lotse_steering.domain.steering_group import Meeting, Member, QuorumRule
from lotse_steering.domain.themes import IllegalTransition, move

AT = datetime(2023, 5, 10, 10, tzinfo=UTC)
DAY = date(2023, 5, 10)


def proposal(kind: str = "other", **fields) -> DecisionProposal:
    return DecisionProposal.draft(subject="Vorlage", text="Beschluss", kind=kind,
                                  created_on=DAY, created_by="ks", **fields)


def member(voting: bool = True, deputy: Member | None = None) -> Member:
    return Member(organisation_id="org", user_id=str(uuid.uuid4()), voting=voting,
                  deputy_id=deputy.id if deputy else None)


@pytest.mark.parametrize(("percent", "members", "taking_part", "quorate"), [
    (50, 4, 2, True), (50, 4, 1, False), (75, 4, 3, True), (75, 4, 2, False),
    (50, 0, 0, False), (100, 3, 3, True)])
def test_the_quorum_is_a_share_of_the_voting_members_taking_part(percent, members, taking_part,
                                                                 quorate):
    assert QuorumRule(percent).quorate(members, taking_part) is quorate


@pytest.mark.parametrize(("majority", "votes", "passes"), [
    ("simple", (2, 1, 5), True), ("simple", (1, 1, 0), False),
    ("absolute", (2, 1, 1), False), ("absolute", (3, 1, 1), True),
    ("two_thirds", (4, 2, 0), True), ("two_thirds", (3, 2, 0), False)])
def test_the_majority_counts_abstentions_where_the_rule_says(majority, votes, passes):
    assert QuorumRule(50, majority).passes(*votes) is passes


def test_a_quorum_rule_out_of_range_names_its_field():
    with pytest.raises(Unprocessable) as refused:
        QuorumRule(0)
    assert refused.value.errors[0]["field"] == "min_participation_percent"
    with pytest.raises(Unprocessable):
        QuorumRule(50, "loudest")


def test_a_deputy_votes_only_while_the_member_has_not_and_never_overrides_her():
    deputy = member(voting=False)
    seat = member(deputy=deputy)
    stranger = member()
    open_proposal = proposal()
    by_deputy = cast(open_proposal, seat, deputy, YES, None, AT)
    assert by_deputy.as_deputy and by_deputy.member_id == seat.id
    with pytest.raises(Conflict):
        cast(open_proposal, seat, seat, NO, by_deputy, AT)
    own = cast(open_proposal, seat, seat, NO, None, AT)
    with pytest.raises(Conflict):
        cast(open_proposal, seat, deputy, YES, own, AT)
    assert cast(open_proposal, seat, seat, YES, own, AT).vote == YES, "she changes her vote"
    with pytest.raises(Forbidden):
        cast(open_proposal, seat, stranger, YES, None, AT)
    with pytest.raises(Conflict):
        cast(open_proposal, deputy, deputy, YES, None, AT)  # advisory


def test_a_decision_is_deferred_without_quorum_and_final_once_taken():
    seats = [member() for _ in range(4)]
    voting = {s.id for s in seats}
    first = proposal()

    def votes(*values: str) -> list[Vote]:
        return [Vote(first.id, s.id, v, s.user_id, False, AT)
                for s, v in zip(seats, values, strict=False)]

    assert decide(first, count_votes(votes(YES), voting), QuorumRule(50), DAY) == DEFERRED
    with pytest.raises(Conflict):
        cast(first, seats[0], seats[0], YES, None, AT)
    with pytest.raises(Conflict):
        decide(first, count_votes(votes(YES, YES), voting), QuorumRule(50), DAY)
    assert decide(proposal(), count_votes(votes(YES, NO, ABSTAIN), voting), QuorumRule(50),
                  DAY) == REJECTED
    passed = proposal()
    assert decide(passed, count_votes(votes(YES, YES, NO), voting), QuorumRule(50), DAY) \
        == APPROVED
    assert (passed.decided_on, passed.tally) == (DAY, {"yes": 2, "no": 1, "abstentions": 0,
                                                       "voting_members": 4})
    gone = Vote(first.id, uuid.uuid4(), YES, "left", False, AT)
    assert count_votes([gone], voting).yes == 0, "a member who left no longer counts"


def test_what_a_kind_needs_is_named():
    for kwargs, field in (({"kind": "establish_theme"}, "theme_id"),
                          ({"kind": "mandate_project_group", "theme_id": uuid.uuid4()},
                           "mandate"),
                          ({"kind": "change_target_groups"}, "target_group_change"),
                          ({"kind": "other", "target_group_change": TargetGroupChange(
                              "end", target_group_id=str(uuid.uuid4()), valid_until=DAY)},
                           "target_group_change"),
                          ({"kind": "change_target_groups", "target_group_change":
                              TargetGroupChange("create", name="G", criteria="c")},
                           "target_group_change.valid_from")):
        with pytest.raises(Unprocessable) as refused:
            proposal(**kwargs)
        assert refused.value.errors[0]["field"] == field


def test_a_theme_moves_only_along_its_lifecycle():
    theme = Theme(title="T", description="", evidence=[], proposed_on=DAY)
    with pytest.raises(IllegalTransition):
        move(theme, "result_adopted", DAY)
    for status in ("established", "in_project_group", "result_adopted", "implemented"):
        assert move(theme, status, DAY).to_status == status
    with pytest.raises(IllegalTransition):
        move(theme, "escalated", DAY)
    other = Theme(title="U", description="", evidence=[], proposed_on=DAY)
    step = move(other, "escalated", DAY, by="ks", write_up="kein Konsens")
    assert (step.from_status, other.status, step.write_up) == ("proposed", "escalated",
                                                                "kein Konsens")


def test_minutes_come_once_and_after_the_meeting():
    meeting = Meeting.plan(DAY, [])
    with pytest.raises(Conflict):
        meeting.record_minutes("zu früh", date(2023, 5, 9), AT, "ks")
    meeting.record_minutes("angenommen", DAY, AT, "ks")
    with pytest.raises(Conflict):
        meeting.record_minutes("noch einmal", DAY, AT, "ks")
