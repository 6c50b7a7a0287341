"""Decision proposals (*Beschlussvorlagen*) of the steering group, the votes on them and their
outcome (DOMAIN.md §8 steps 3 and 5; seed 001 L505/L515 "Dokumentationsvorlage:
Beschlussvorlagen Lenkungsgremium KIM"; 004 L61, L119–L130).

A proposal has a subject, the proposed text, a kind — establish a theme, mandate a project group,
adopt a project group's result, change the target groups, other — attachments (references to
documents, ADR 0095), the theme it concerns where its kind needs one, and what the kind decides:
the project group's mandate (subject, objective, composition, working form, expected form of the
result, special requirements: seed 001 L511) or the target-group change (create with name,
criteria and validity, or end).

Each voting member votes yes, no or abstains — herself, or her deputy for her when she does not.
The coordinating office then records the decision: with the tenant's quorum rule met, approved
or rejected by the majority the rule names; without it (or when the group postpones it)
deferred. The outcome is recorded with the tenant's day; a vote after it is a 409.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lotse_platform.errors import Conflict, Forbidden, Unprocessable

from .steering_group import Member, QuorumRule

ESTABLISH_THEME = "establish_theme"
MANDATE_PROJECT_GROUP = "mandate_project_group"
ADOPT_RESULT = "adopt_result"
CHANGE_TARGET_GROUPS = "change_target_groups"
OTHER = "other"
KINDS = (ESTABLISH_THEME, MANDATE_PROJECT_GROUP, ADOPT_RESULT, CHANGE_TARGET_GROUPS, OTHER)
#: the kinds that concern a theme (and need one)
THEME_KINDS = (ESTABLISH_THEME, MANDATE_PROJECT_GROUP, ADOPT_RESULT)
KIND_LABELS_DE = {ESTABLISH_THEME: "Generatives Thema feststellen",
                  MANDATE_PROJECT_GROUP: "Projektarbeitsgruppe beauftragen",
                  ADOPT_RESULT: "Ergebnis der Projektarbeitsgruppe beschließen",
                  CHANGE_TARGET_GROUPS: "Zielgruppen ändern", OTHER: "Sonstiges"}

YES, NO, ABSTAIN = "yes", "no", "abstain"
VOTES = (YES, NO, ABSTAIN)

APPROVED, REJECTED, DEFERRED = "approved", "rejected", "deferred"
OUTCOMES = (APPROVED, REJECTED, DEFERRED)
OUTCOME_LABELS_DE = {APPROVED: "angenommen", REJECTED: "abgelehnt", DEFERRED: "vertagt"}

CREATE, END = "create", "end"
#: the conditions of intake's target groups (its vocabulary; intake checks the values)
CONDITION_NAMES = frozenset({
    "residence_statuses", "min_age", "max_age", "years_in_germany_under",
    "unaccompanied_minor_at_entry", "regions_of_origin", "multiple_support_need_established",
    "disadvantaged", "arrived_in_county_since", "households", "international_family_history"})

#: the mandate of a project group (*Arbeitsauftrag*, seed 001 L511): required, then optional
MANDATE_REQUIRED = ("subject", "objective", "composition")
MANDATE_OPTIONAL = ("working_form", "expected_result", "special_requirements")


class InvalidProposal(Unprocessable):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


class AlreadyDecided(Conflict):
    def __init__(self, field_name: str = "vote") -> None:
        super().__init__("the steering group has decided this proposal already",
                         errors=[{"field": field_name,
                                  "message": "decided: no more votes, no second decision"}])


class VoteRefused(Conflict):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass(frozen=True)
class TargetGroupChange:
    """Create a target group (name, criteria, validity, areas) or end one (its id, the last
    valid day)."""

    change: str
    name: str | None = None
    criteria: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    area_ids: tuple[str, ...] = ()
    target_group_id: str | None = None
    #: create: machine-checkable conditions in intake's vocabulary (intake checks the values)
    conditions: dict[str, Any] | None = None

    def check(self) -> None:
        prefix = "target_group_change"
        if self.change == CREATE:
            if not (self.name or "").strip():
                raise InvalidProposal(f"{prefix}.name", "a new target group needs a name")
            if not (self.criteria or "").strip():
                raise InvalidProposal(f"{prefix}.criteria", "a new target group needs criteria")
            if self.valid_from is None:
                raise InvalidProposal(f"{prefix}.valid_from", "a new target group needs the "
                                                              "day it applies from")
            if self.valid_until is not None and self.valid_until < self.valid_from:
                raise InvalidProposal(f"{prefix}.valid_until", "must not be before valid_from")
            if self.conditions is not None and not set(self.conditions) <= CONDITION_NAMES:
                raise InvalidProposal(f"{prefix}.conditions", "intake's condition names only")
        elif self.change == END:
            if self.conditions:
                raise InvalidProposal(f"{prefix}.conditions", "only for a new target group")
            if not self.target_group_id:
                raise InvalidProposal(f"{prefix}.target_group_id", "the target group to end")
            if self.valid_until is None:
                raise InvalidProposal(f"{prefix}.valid_until", "the last day it applies")
        else:
            raise InvalidProposal(f"{prefix}.change", "create or end")

    def document(self) -> dict[str, Any]:
        return {"change": self.change, "name": self.name, "criteria": self.criteria,
                "valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "area_ids": list(self.area_ids), "target_group_id": self.target_group_id,
                "conditions": self.conditions}

    @classmethod
    def of(cls, document: dict[str, Any]) -> TargetGroupChange:
        def day(name: str) -> date | None:
            value = document.get(name)
            return date.fromisoformat(value) if value else None

        return cls(change=document["change"], name=document.get("name"),
                   criteria=document.get("criteria"), valid_from=day("valid_from"),
                   valid_until=day("valid_until"), area_ids=tuple(document.get("area_ids") or ()),
                   target_group_id=document.get("target_group_id"),
                   conditions=document.get("conditions"))


@dataclass
class Tally:
    yes: int
    no: int
    abstentions: int
    voting_members: int

    @property
    def taking_part(self) -> int:
        return self.yes + self.no + self.abstentions


@dataclass
class Vote:
    """One voting member's vote on a proposal, cast by herself or by her deputy."""

    proposal_id: uuid.UUID
    member_id: uuid.UUID
    vote: str
    cast_by: str  # the user id of who cast it (the member, or her deputy)
    as_deputy: bool
    cast_at: datetime
    tenant_id: uuid.UUID | None = None


@dataclass
class DecisionProposal:
    subject: str
    text: str
    kind: str
    created_on: date
    created_by: str
    theme_id: uuid.UUID | None = None
    reference: str | None = None  # the proposal's number (*Vorlagennummer*), if the county uses one
    attachments: list[dict[str, str]] = field(default_factory=list)
    mandate: dict[str, str] | None = None
    target_group_change: dict[str, Any] | None = None
    outcome: str | None = None
    decided_on: date | None = None
    tally: dict[str, int] | None = None
    project_group_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def draft(cls, *, subject: str, text: str, kind: str, created_on: date, created_by: str,
              theme_id: uuid.UUID | None = None, reference: str | None = None,
              attachments: list[dict[str, str]] | None = None,
              mandate: dict[str, str] | None = None,
              target_group_change: TargetGroupChange | None = None) -> DecisionProposal:
        """A proposal as the coordinating office puts it to the group (422 naming the field)."""
        if kind not in KINDS:
            raise InvalidProposal("kind", f"one of {', '.join(KINDS)}")
        if not subject.strip():
            raise InvalidProposal("subject", "a proposal needs a subject")
        if kind in THEME_KINDS and theme_id is None:
            raise InvalidProposal("theme_id", f"a proposal to {kind} concerns a theme")
        if kind == MANDATE_PROJECT_GROUP:
            if mandate is None:
                raise InvalidProposal("mandate", "a project group needs its mandate")
            for name in MANDATE_REQUIRED:
                if not (mandate.get(name) or "").strip():
                    raise InvalidProposal(f"mandate.{name}", "required in a mandate")
            mandate = {name: (mandate.get(name) or "").strip()
                       for name in MANDATE_REQUIRED + MANDATE_OPTIONAL}
        elif mandate is not None:
            raise InvalidProposal("mandate", f"only a proposal to {MANDATE_PROJECT_GROUP}")
        if kind == CHANGE_TARGET_GROUPS:
            if target_group_change is None:
                raise InvalidProposal("target_group_change", "what changes in the target groups")
            target_group_change.check()
        elif target_group_change is not None:
            raise InvalidProposal("target_group_change",
                                  f"only a proposal to {CHANGE_TARGET_GROUPS}")
        return cls(subject=subject.strip(), text=text, kind=kind, created_on=created_on,
                   created_by=created_by, theme_id=theme_id, reference=reference,
                   attachments=list(attachments or []), mandate=mandate,
                   target_group_change=(target_group_change.document()
                                        if target_group_change else None))

    @property
    def decided(self) -> bool:
        return self.outcome is not None

    @property
    def change(self) -> TargetGroupChange | None:
        return TargetGroupChange.of(self.target_group_change) if self.target_group_change else None


def cast(proposal: DecisionProposal, member: Member, caller: Member, vote: str,
         existing: Vote | None, at: datetime) -> Vote:
    """``caller`` votes for ``member``: her own vote, or as her deputy when she has not voted.
    A member replaces her own vote until the decision; a deputy never overrides the member."""
    if proposal.decided:
        raise AlreadyDecided()
    if vote not in VOTES:
        raise InvalidProposal("vote", f"one of {', '.join(VOTES)}")
    as_deputy = caller.id != member.id
    if as_deputy and member.deputy_id != caller.id:
        raise Forbidden("only the member's deputy votes for her")
    if not member.voting:
        raise VoteRefused("member_id", "an advisory member does not vote")
    if existing is not None and existing.as_deputy != as_deputy:
        raise VoteRefused("member_id", "the member has voted herself" if as_deputy
                          else "your deputy has voted for you")
    return Vote(proposal_id=proposal.id, member_id=member.id, vote=vote,
                cast_by=caller.user_id, as_deputy=as_deputy, cast_at=at)


def count_votes(votes: list[Vote], voting_member_ids: set[uuid.UUID]) -> Tally:
    """The votes of the group's voting members (a vote of a member who left does not count)."""
    counted = [v for v in votes if v.member_id in voting_member_ids]
    return Tally(yes=sum(v.vote == YES for v in counted), no=sum(v.vote == NO for v in counted),
                 abstentions=sum(v.vote == ABSTAIN for v in counted),
                 voting_members=len(voting_member_ids))


def decide(proposal: DecisionProposal, counted: Tally, rule: QuorumRule, on: date, *,
           defer: bool = False) -> str:
    """Record the outcome on ``on``: deferred when the group postpones it or is not quorate,
    otherwise approved or rejected by the rule's majority. A second decision is a 409."""
    if proposal.decided:
        raise AlreadyDecided("outcome")
    if defer or not rule.quorate(counted.voting_members, counted.taking_part):
        outcome = DEFERRED
    elif rule.passes(counted.yes, counted.no, counted.abstentions):
        outcome = APPROVED
    else:
        outcome = REJECTED
    proposal.outcome, proposal.decided_on = outcome, on
    proposal.tally = {"yes": counted.yes, "no": counted.no, "abstentions": counted.abstentions,
                      "voting_members": counted.voting_members}
    return outcome
