"""One function per command and per event, each reading like the rule it implements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol

from lotse.casework.v1 import events_pb2 as casework
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.steering.v1.events_pb2 import ReconstructionHeld, ThemeProposed
from lotse_platform import clock
from lotse_platform.auth import CASE_MANAGER
from lotse_platform.contracts import Envelope
from lotse_platform.errors import NotFound
from lotse_platform.references import USER, Wanted, check

from ..domain.cases import CLOSED, TRANSFERRED, CaseChange, CaseRecord, Facts
from ..domain.commands import AttachReportedTopics, HoldReconstruction
from ..domain.evidence import ReportedTopic, UnknownTopics, attach
from ..domain.reconstructions import hold
from .access import authorize_moderator
from .unit_of_work import SteeringUnitOfWork

# -- commands -------------------------------------------------------------------------------


def hold_reconstruction(cmd: HoldReconstruction, uow: SteeringUnitOfWork) -> uuid.UUID:
    """Record a session held by the coordinating office and the themes it proposes; publishes
    ``steering.reconstruction.held.v1`` and one ``steering.theme.proposed.v1`` per theme."""
    with uow:
        authorize_moderator(uow.principal)
        session, themes = hold(cmd.held_on, cmd.moderator_id, list(cmd.cases),
                               list(cmd.themes), clock.now())
        # the presenting case managers are the tenant's (ids from identity's directory)
        check(uow.references, [Wanted(f"cases.{i}.presented_by", USER, case.presented_by,
                                      role=CASE_MANAGER) for i, case in enumerate(cmd.cases)])
        uow.add_reconstruction(session)
        for theme in themes:
            uow.add_theme(theme)
        uow.publish(ReconstructionHeld(
            reconstruction_id=str(session.id), held_on=session.held_on.isoformat(),
            moderator_id=session.moderator_id, cases=len(session.cases),
            planned_minutes=session.planned_minutes, themes_proposed=len(themes)),
            aggregate_id=session.id, sequence=1)
        for theme in themes:
            uow.publish(ThemeProposed(theme_id=str(theme.id), reconstruction_id=str(session.id),
                                      evidence_cases=len(theme.case_ids),
                                      proposed_on=theme.proposed_on.isoformat()),
                        aggregate_id=theme.id, sequence=1)
        uow.audit("create", "reconstruction", session.id)
        uow.commit()
    return session.id


# -- casework's events: the case projection ---------------------------------------------------


class _Enum(Protocol):
    def Name(self, number: int) -> str: ...  # noqa: N802 (protobuf's name)


def _name(enum: _Enum, prefix: str, code: int) -> str:
    return str(enum.Name(code)).removeprefix(prefix).lower()


def _day(value: str) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def facts_of(case: casework.CaseFacts) -> Facts:
    return Facts(case_id=case.case_id, area_id=case.area_id,
                 case_manager_id=case.case_manager_id,
                 topic_areas=tuple(sorted({_name(kim.TopicArea, "TOPIC_AREA_", t)
                                           for t in case.topic_areas if t})),
                 legal_areas=tuple(sorted({_name(kim.LegalArea, "LEGAL_AREA_", a)
                                           for a in case.legal_areas if a})),
                 opened_on=_day(case.opened_on))


def change_of(event: Any, envelope: Envelope | None) -> CaseChange:
    """What a casework event says of its case, as the projection takes it."""
    facts = facts_of(event.case)
    sequence = envelope.sequence if envelope is not None else None
    kind = type(event)
    if kind is casework.CaseOpened:
        return CaseChange(facts, sequence, phase="intake", intake_id=event.intake_id or None)
    if kind is casework.PhaseChanged:
        phase = _name(casework.Phase, "PHASE_", event.to_phase)
        # casework moves a case to "closed" with its closure (and when it leaves the tenant):
        # whichever of the two events comes first ends it here
        return CaseChange(facts, sequence, phase=phase,
                          status=CLOSED if phase == "closed" else None)
    if kind is casework.GoalSet:
        return CaseChange(facts, sequence, goal_set=event.goal_id,
                          organisations=(event.responsible_org_id,))
    if kind in (casework.GoalReached, casework.GoalDropped):
        return CaseChange(facts, sequence, goal_ended=event.goal_id)
    if kind is casework.StepDone:
        return CaseChange(facts, sequence, organisations=(event.responsible_org_id,))
    if kind is casework.ContactRecorded:
        return CaseChange(facts, sequence, contact=True)
    if kind is casework.CaseConferenceHeld:
        return CaseChange(facts, sequence, organisations=tuple(event.participant_org_ids))
    if kind is casework.CaseClosed:
        return CaseChange(facts, sequence, phase="closed", status=CLOSED)
    if kind is casework.CaseTransferred:
        if event.to_tenant_id:
            return CaseChange(facts, sequence, status=TRANSFERRED)
        return CaseChange(facts, sequence,
                          with_new_case_manager_on=_day(event.transferred_on)
                          or (envelope.time.date() if envelope is not None else None))
    return CaseChange(facts, sequence)  # goal revised: the facts only


def project_case_event(event: Any, envelope: Envelope, uow: SteeringUnitOfWork) -> None:
    """Consumer of casework's case events: the case's row after the event. Runs in the
    consumer's transaction (the inbox row is written; the consumer commits)."""
    if not event.case.case_id:
        return
    change = change_of(event, envelope)
    record = uow.case_record(change.facts.case_id)
    if record is None:
        uow.add_case_record(CaseRecord.first(change))
    else:
        record.apply(change)


#: the casework events the projection takes (ids, codes, dates and counts only)
CASE_EVENTS = ("casework.case.opened.v1", "casework.case.phase_changed.v1",
               "casework.goal.set.v1", "casework.goal.reached.v1", "casework.goal.revised.v1",
               "casework.goal.dropped.v1", "casework.step.done.v1",
               "casework.contact.recorded.v1", "casework.case_conference.held.v1",
               "casework.case.closed.v1", "casework.case.transferred.v1")

# -- reporting's flagged topics: evidence for themes (issue 12, ADR 0089) ----------------------


def receive_reported_topic(event: Any, envelope: Envelope, uow: SteeringUnitOfWork) -> None:
    """Consumer of ``reporting.theme_candidate.flagged.v1``: keep the topic (id, period, topic
    area, day) for the office to attach to a theme; not who reported it."""
    if not event.candidate_id or uow.reported_topic(event.candidate_id) is not None:
        return
    uow.add_reported_topic(ReportedTopic(
        candidate_id=event.candidate_id, period=event.period,
        topic_area=_name(kim.TopicArea, "TOPIC_AREA_", event.topic_area),
        flagged_on=_day(event.flagged_on) or envelope.time.date()))


def attach_reported_topics(cmd: AttachReportedTopics, uow: SteeringUnitOfWork) -> int:
    """The coordinating office attaches topics of 2-week reports to a theme as its evidence;
    an unknown topic is a 422 naming ``candidate_ids.<i>`` (nothing attached)."""
    with uow:
        authorize_moderator(uow.principal)
        theme = uow.get_theme(cmd.theme_id)
        if theme is None:
            raise NotFound("no such theme")
        found = [uow.reported_topic(c) for c in cmd.candidate_ids]
        missing = [i for i, topic in enumerate(found) if topic is None]
        if missing:
            raise UnknownTopics(missing)
        added = attach(theme, [t for t in found if t is not None])
        uow.audit("update", "theme", theme.id, reason="evidence:period_report")
        uow.commit()
    return added


COMMAND_HANDLERS = {HoldReconstruction: hold_reconstruction,
                    AttachReportedTopics: attach_reported_topics}
EVENT_HANDLERS: dict[str, Any] = {
    **{event_type: project_case_event for event_type in CASE_EVENTS},
    "reporting.theme_candidate.flagged.v1": receive_reported_topic,
}
