"""Case conferences (Fallkonferenzen) with partners outside the case-management team — on the
town level, convened by the case manager, and on the county level, convened by the coordinating
office (seed 002 L347–L348; 002 L430 "Initiierung von kreisweiten Fallkonferenzen"), including
the office's round for every active case of one case manager with the immigration office's
liaison (Borken, 003 L35: "Einmal im Quartal … zu jedem aktiven Fall").

Who acts (:meth:`~lotse_casework.domain.contacts.Conference.may_be_run_by`): the case manager of
the case (own or shared) on every conference of it; the coordinating office only on the county
conferences it convenes — it still writes nothing else in a case. Partner organisations join
only with a release intake confirms at this moment (ADR 0053); their staff (the liaison,
provider staff) read the conferences they take part in while the release holds, confirmed again
at every read. Every command and every read is audited; events carry ids, codes and counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lotse.casework.v1 import events_pb2 as ev
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal
from lotse_platform.references import ORGANISATION, USER, Wanted, check

from ..domain.access import case_access
from ..domain.commands import (
    AddParticipant,
    AddPerson,
    HoldConference,
    PlanConference,
    PlanConferenceRound,
)
from ..domain.contacts import Conference
from ..domain.errors import NotVisible, Refused
from ..domain.model import Case, Notice, topics_without_release
from . import consent_check
from .access import SupervisionReadsOnly, caller
from .consent_check import ConsentOwner
from .events import case_facts, publish, to_iso, topic_code
from .unit_of_work import CaseworkUnitOfWork

#: the notice the case manager gets when the office convenes a conference on her case
CONVENED_NOTICE = "conference_convened"
#: the calendar's default window around today
CALENDAR_DAYS = 92

_LEVEL_CODES = {"town": ev.CONFERENCE_LEVEL_TOWN, "county": ev.CONFERENCE_LEVEL_COUNTY}


@dataclass(frozen=True)
class Convener:
    """How the caller reaches a case for its conferences: as its case manager (own or shared)
    or as the coordinating office."""

    case: Case
    is_case_manager_of_case: bool
    is_coordinator: bool

    @property
    def level(self) -> str:
        """The level of a conference this caller convenes (002 L347–L348)."""
        return "town" if self.is_case_manager_of_case else "county"

    def require(self, conference: Conference) -> None:
        if not conference.may_be_run_by(is_case_manager_of_case=self.is_case_manager_of_case,
                                        is_coordinator=self.is_coordinator):
            raise SupervisionReadsOnly("the coordinating office runs the county conferences it "
                                       "convenes; a town conference is the case manager's")


def _convener(uow: CaseworkUnitOfWork, principal: Principal, case_id: uuid.UUID) -> Convener:
    case = uow.case(case_id, lock=True)
    if case is None:
        raise NotVisible("no such case")
    own = case.case_manager_id == principal.subject
    access = case_access(case, principal.subject, [] if own else uow.shares(case.id), uow.today(),
                         is_case_manager=principal.has_any_role(CASE_MANAGER),
                         is_coordinator=False, purpose=None)
    if access is not None:
        return Convener(case, True, principal.has_any_role(COORDINATOR))
    if principal.has_any_role(COORDINATOR) and case.handed_over_at is None:
        return Convener(case, False, True)
    raise NotVisible("no such case")


def _conference(uow: CaseworkUnitOfWork, convener: Convener,
                conference_id: uuid.UUID) -> Conference:
    conference = uow.conference(convener.case.id, conference_id)
    if conference is None:
        raise NotVisible("no such conference")
    convener.require(conference)
    return conference


def _audit(uow: CaseworkUnitOfWork, action: str, conference: Conference, convener: Convener,
           what: str | None = None) -> None:
    by_office = None if convener.is_case_manager_of_case else "coordinating office"
    reason = ", ".join(r for r in (what, by_office) if r) or None
    uow.audit(action, "conference", conference.id, reason=reason)


def _tell_case_manager(uow: CaseworkUnitOfWork, convener: Convener,
                       conference: Conference) -> None:
    if not convener.is_case_manager_of_case:
        uow.add(Notice(recipient_id=convener.case.case_manager_id, kind=CONVENED_NOTICE,
                       case_id=convener.case.id, reference=str(conference.id)))


# -- commands -------------------------------------------------------------------------------------
def plan_conference(cmd: PlanConference, uow: CaseworkUnitOfWork,
                    consent_owner: ConsentOwner) -> uuid.UUID:
    """Plan a conference; partner organisations among its participants join only with releases
    intake confirms at this moment (ADR 0053)."""
    principal = caller(uow)
    with uow:
        convener = _convener(uow, principal, cmd.case_id)
        case = convener.case
        check(uow.references, [Wanted(f"participants.{index}.organisation_id", ORGANISATION,
                                      p.get("organisation_id"))
                               for index, p in enumerate(cmd.participants)])

        def plan(consents: list) -> Conference:
            return Conference.plan(case, consents, principal.subject, uow.today(),
                                   planned_on=cmd.planned_on, topics=cmd.topics,
                                   agenda=cmd.agenda, participants=cmd.participants,
                                   persons=cmd.persons, level=convener.level)

        kept = uow.consents(case.id)
        plan(kept)  # what the copy refuses is refused without asking intake
        conference = plan(consent_check.for_partners(
            uow, consent_owner, case, kept,
            [p["organisation_id"] for p in cmd.participants], cmd.topics))
        uow.add(conference)
        _tell_case_manager(uow, convener, conference)
        _audit(uow, "create", conference, convener)
        uow.commit()
        return conference.id


def add_participant(cmd: AddParticipant, uow: CaseworkUnitOfWork,
                    consent_owner: ConsentOwner) -> None:
    """A partner organisation joins a planned conference with the releases intake confirms at
    this moment (ADR 0053); the case manager's own organisation needs none."""
    participant = {"organisation_id": cmd.organisation_id, "role": cmd.role}
    with uow:
        convener = _convener(uow, caller(uow), cmd.case_id)
        case = convener.case
        conference = _conference(uow, convener, cmd.conference_id)
        check(uow.references, [Wanted("organisation_id", ORGANISATION, cmd.organisation_id)])
        kept = uow.consents(case.id)
        conference.check_participant(case, kept, participant, uow.today())
        consents = consent_check.for_partners(uow, consent_owner, case, kept,
                                              [cmd.organisation_id], conference.topics)
        conference.add_participant(case, consents, participant, uow.today())
        _audit(uow, "update", conference, convener, "participant added")
        uow.commit()


def add_person(cmd: AddPerson, uow: CaseworkUnitOfWork) -> None:
    """A person without an organisation joins with the client's agreement (001 L622)."""
    with uow:
        convener = _convener(uow, caller(uow), cmd.case_id)
        conference = _conference(uow, convener, cmd.conference_id)
        conference.add_person(convener.case, uow.consents(convener.case.id),
                              {"role": cmd.role, "name": cmd.name,
                               "client_agreed": cmd.client_agreed})
        _audit(uow, "update", conference, convener, "person added")
        uow.commit()


def hold_conference(cmd: HoldConference, uow: CaseworkUnitOfWork) -> None:
    with uow:
        convener = _convener(uow, caller(uow), cmd.case_id)
        case = convener.case
        conference = _conference(uow, convener, cmd.conference_id)
        check(uow.references, [Wanted(f"actions.{index}.responsible_org_id", ORGANISATION,
                                      a.get("responsible_org_id"))
                               for index, a in enumerate(cmd.actions or ())])
        conference.hold(case, uow.today(), cmd.held_on, cmd.minutes, cmd.actions,
                        cmd.duration_minutes)
        publish(uow, case, ev.CaseConferenceHeld(
            case=case_facts(case), conference_id=str(conference.id),
            participant_org_ids=[p["organisation_id"] for p in conference.participants],
            topics=[topic_code(t) for t in conference.topics],
            agreed_actions=len(conference.actions), held_on=to_iso(conference.held_on),
            level=_LEVEL_CODES[conference.level],
            persons_without_organisation=len(conference.persons),
            round_id=str(conference.round_id) if conference.round_id else ""))
        _audit(uow, "update", conference, convener, "held")
        uow.commit()


def plan_conference_round(cmd: PlanConferenceRound, uow: CaseworkUnitOfWork,
                          consent_owner: ConsentOwner) -> dict[str, Any]:
    """One county conference for every active case of the case manager on ``planned_on``
    (003 L35). Each invited organisation joins the conferences whose case has a release for
    every topic, as intake confirms it now; where it has none, the conference is planned
    without it and the answer says so — the round is not refused for one case's release."""
    principal = caller(uow)
    with uow:
        check(uow.references, [
            Wanted("case_manager_id", USER, cmd.case_manager_id, role=CASE_MANAGER),
            *(Wanted(f"organisation_ids.{index}", ORGANISATION, org)
              for index, org in enumerate(cmd.organisation_ids))])
        cases = [c for c in uow.cases_of(cmd.case_manager_id) if c.handed_over_at is None]
        if not cases:
            raise Refused("the case manager has no active case to review")
        round_id = uuid.uuid4()
        invited = list(dict.fromkeys(cmd.organisation_ids))
        planned = []
        for listed in cases:
            case = uow.case(listed.id, lock=True)
            assert case is not None
            consents = consent_check.for_partners(uow, consent_owner, case, uow.consents(case.id),
                                                  invited, cmd.topics)
            planned.append(plan_review(uow, principal.subject, case, consents, round_id,
                                       planned_on=cmd.planned_on, topics=cmd.topics,
                                       agenda=cmd.agenda, invited=invited))
        uow.commit()
        return {"round_id": round_id, "planned_on": cmd.planned_on, "conferences": planned}


def plan_review(uow: CaseworkUnitOfWork, by: str, case: Case, consents: list,
                round_id: uuid.UUID, *, planned_on: date, topics: list[str], agenda: str,
                invited: list[str]) -> dict[str, Any]:
    """One case's county conference of a review round, with the ``invited`` organisations that
    ``consents`` release every topic to; the case manager is told."""
    without = [org for org in invited
               if topics_without_release(case, consents, org, topics, uow.today())]
    conference = Conference.plan(
        case, consents, by, uow.today(), planned_on=planned_on, topics=topics, agenda=agenda,
        level="county", round_id=round_id,
        participants=[{"organisation_id": org, "role": None}
                      for org in invited if org not in without])
    uow.add(conference)
    convener = Convener(case, False, True)
    _tell_case_manager(uow, convener, conference)
    _audit(uow, "create", conference, convener, "review round")
    return {"case_id": case.id, "conference_id": conference.id,
            "organisations_without_release": without}


# -- reading --------------------------------------------------------------------------------------
def calendar(uow: CaseworkUnitOfWork, principal: Principal, consent_owner: ConsentOwner, *,
             start: date | None = None, end: date | None = None, level: str | None = None,
             round_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """The conferences the caller takes part in between ``start`` and ``end`` (default: three
    months either side of today), oldest first:

    - a case manager: those of her own and shared cases;
    - the coordinating office: the county conferences it convenes;
    - a partner's staff (the immigration office's liaison, provider staff): those its
      organisation takes part in, each only while the release for every topic holds, confirmed
      with intake at this read (ADR 0053) — withdrawn, and the conference is not listed.

    Each listed conference is audited as a read (its agenda and minutes are case content)."""
    with uow:
        today = uow.today()
        start = start or today - timedelta(days=CALENDAR_DAYS)
        end = end or today + timedelta(days=CALENDAR_DAYS)
        listed = []
        for conference in uow.conferences_between(start, end):
            if level and conference.level != level:
                continue
            if round_id and conference.round_id != round_id:
                continue
            case = uow.case(conference.case_id)
            if case is None or case.handed_over_at is not None:
                continue
            how = _how_open(uow, principal, consent_owner, case, conference, today)
            if how is None:
                continue
            person = uow.person(case.id)
            listed.append({**_answer(conference), "case_manager_id": case.case_manager_id,
                           "client_name": person.name if person else None})
            uow.audit("read", "conference", conference.id, reason=None if how == "own" else how)
        uow.commit()
        return listed


def _how_open(uow: CaseworkUnitOfWork, principal: Principal, consent_owner: ConsentOwner,
              case: Case, conference: Conference, today: date) -> str | None:
    """Why the caller may read the conference (the audit entry's reason), or None."""
    if principal.has_any_role(CASE_MANAGER):
        own = case.case_manager_id == principal.subject
        if case_access(case, principal.subject, [] if own else uow.shares(case.id), today,
                       is_case_manager=True, is_coordinator=False, purpose=None) is not None:
            return "own" if own else "shared"
    if principal.has_any_role(COORDINATOR) and conference.level == "county":
        return "coordinating office"
    organisation = principal.organisation
    if conference.open_to_organisation(organisation) and organisation != case.organisation_id:
        consents = consent_check.for_partners(uow, consent_owner, case, uow.consents(case.id),
                                              [organisation], conference.topics)
        if not topics_without_release(case, consents, organisation, conference.topics, today):
            return "participant"
    return None


def _answer(conference: Conference) -> dict[str, Any]:
    return {"id": conference.id, "case_id": conference.case_id, "level": conference.level,
            "round_id": conference.round_id, "planned_on": conference.planned_on,
            "topics": conference.topics, "agenda": conference.agenda,
            "created_by": conference.created_by, "participants": conference.participants,
            "persons": conference.persons, "status": conference.status,
            "held_on": conference.held_on, "minutes": conference.minutes,
            "actions": conference.actions}
