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

from ..domain.model import Case


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
