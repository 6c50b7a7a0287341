"""Integration events of casework (``lotse.casework.v1``), built from the domain.

Ids, codes, dates, counts: never names, notes, minutes, assessment content or free text. Every
event carries :func:`facts` — the case's area, case manager, topic and legal areas — so steering
can find candidates for case reconstruction without opening a case file.
"""

from __future__ import annotations

from datetime import date, datetime

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from ..domain.model import Case


def topic(name: str) -> int:
    return kim.TopicArea.Value(f"TOPIC_AREA_{name.upper()}")


def legal(name: str) -> int:
    return kim.LegalArea.Value(f"LEGAL_AREA_{name.upper()}")


def phase(name: str) -> int:
    return ev.Phase.Value(f"PHASE_{name.upper()}")


def contact_type(name: str) -> int:
    return ev.ContactType.Value(f"CONTACT_TYPE_{name.upper()}")


def responsible(name: str) -> int:
    return ev.Responsible.Value(f"RESPONSIBLE_{name.upper()}")


def closure_reason(name: str) -> int:
    return ev.ClosureReason.Value(f"CLOSURE_REASON_{name.upper()}")


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def facts(case: Case) -> ev.CaseFacts:
    return ev.CaseFacts(case_id=str(case.id), area_id=case.area_id,
                        case_manager_id=case.case_manager_id,
                        topic_areas=[topic(t) for t in case.topic_areas],
                        legal_areas=[legal(a) for a in case.legal_areas],
                        opened_on=iso(case.opened_on),
                        target_group_ids=list(case.target_group_ids))


def publish(uow, case: Case, event) -> None:
    """Into the outbox, in this transaction, numbered in the case's own sequence."""
    uow.publish(event, aggregate_id=case.id, sequence=case.next_sequence())
