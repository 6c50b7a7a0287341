"""Integration events of casework (``lotse.casework.v1``), built from the domain.

Ids, codes, dates, counts: never names, notes, minutes, assessment content or free text. Every
event carries :func:`case_facts` — the case's area, case manager, topic and legal areas — so
steering can find candidates for case reconstruction without opening a case file. The domain's
names become the contract's enum values with ``<vocabulary>_code`` (``phase_code("linking")``),
dates and times ISO strings with :func:`to_iso`.
"""

from __future__ import annotations

from datetime import date, datetime

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from ..domain.appointments import Appointment
from ..domain.contacts import Contact
from ..domain.model import Case
from ..domain.planning import Assessment
from ..domain.vocabulary import CERTIFIED_EVIDENCE
from ..domain.team import TeamDiscussion


def topic_code(name: str) -> int:
    return kim.TopicArea.Value(f"TOPIC_AREA_{name.upper()}")


def legal_area_code(name: str) -> int:
    return kim.LegalArea.Value(f"LEGAL_AREA_{name.upper()}")


def phase_code(name: str) -> int:
    return ev.Phase.Value(f"PHASE_{name.upper()}")


def contact_type_code(name: str) -> int:
    return ev.ContactType.Value(f"CONTACT_TYPE_{name.upper()}")


def responsible_code(name: str) -> int:
    return ev.Responsible.Value(f"RESPONSIBLE_{name.upper()}")


def closure_reason_code(name: str) -> int:
    return ev.ClosureReason.Value(f"CLOSURE_REASON_{name.upper()}")


def to_iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def case_facts(case: Case) -> ev.CaseFacts:
    return ev.CaseFacts(case_id=str(case.id), area_id=case.area_id,
                        case_manager_id=case.case_manager_id,
                        topic_areas=[topic_code(t) for t in case.topic_areas],
                        legal_areas=[legal_area_code(a) for a in case.legal_areas],
                        opened_on=to_iso(case.opened_on),
                        target_group_ids=list(case.target_group_ids),
                        primary_topic_area=topic_code(case.primary_topic_area)
                        if case.primary_topic_area else 0)


def publish(uow, case: Case, event) -> None:
    """Into the outbox, in this transaction, numbered in the case's own sequence."""
    uow.publish(event, aggregate_id=case.id, sequence=case.next_sequence())


def contact_recorded(case: Case, contact: Contact) -> ev.ContactRecorded:
    return ev.ContactRecorded(
        case=case_facts(case), contact_id=str(contact.id), type=contact_type_code(contact.type),
        duration_minutes=contact.duration_minutes, topics=[topic_code(t) for t in contact.topics],
        phase=phase_code(contact.phase), contact_on=to_iso(contact.occurred_on),
        appointment_id=str(contact.appointment_id) if contact.appointment_id else "",
        children_present=contact.children_present,
        child_protection_concern=contact.child_protection_concern)


def appointment_missed(case: Case, appointment: Appointment) -> ev.AppointmentMissed:
    return ev.AppointmentMissed(case=case_facts(case), appointment_id=str(appointment.id),
                                kind=contact_type_code(appointment.kind),
                                appointment_on=to_iso(appointment.on))


def team_discussion_held(discussion: TeamDiscussion) -> ev.TeamDiscussionHeld:
    """Counts and topics only: who took part and what was said stay in casework."""
    return ev.TeamDiscussionHeld(
        discussion_id=str(discussion.id),
        kind=ev.TeamDiscussionKind.Value(f"TEAM_DISCUSSION_KIND_{discussion.kind.upper()}"),
        held_on=to_iso(discussion.held_on), participants=len(discussion.participant_ids),
        cases_discussed=len(discussion.case_ids), topics=[topic_code(t) for t in discussion.topics],
        structural_issues_seen=discussion.structural_issues is not None,
        recorded_by=discussion.recorded_by)


def language_level_assessed(case: Case, assessment: Assessment, level: dict,
                            previous: str | None) -> ev.LanguageLevelAssessed:
    """One language of an assessment, with the level known before (progress, 004 L144)."""
    return ev.LanguageLevelAssessed(
        case=case_facts(case), assessment_id=str(assessment.id),
        assessment_version=assessment.version, language=level["language"],
        level=kim.CefrLevel.Value(f"CEFR_LEVEL_{level['level']}"),
        evidence=kim.LanguageEvidence.Value(f"LANGUAGE_EVIDENCE_{level['evidence'].upper()}"),
        previous_level=kim.CefrLevel.Value(f"CEFR_LEVEL_{previous}") if previous else 0,
        certified=level["evidence"] in CERTIFIED_EVIDENCE)
