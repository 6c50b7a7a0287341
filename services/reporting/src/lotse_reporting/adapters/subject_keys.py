"""How reporting finds a person's records (subject access and erasure, ADR 0103, ADR 0108):
from the events it stores, by her intake id.

Reporting's read models are keyed by the pseudonymous ids the events carry — an intake's, a
case's, a referral's — and its monthly facts by the id of the event they were counted from.
None of its tables says which case belongs to which intake; the events do: casework's
``case.opened`` names the intake a case came from, network's referral events name the case
and intake a referral was made for, intake's ``case_proposal.submitted`` the intake a proposal
was made for. So the keys follow from the store, in this order (each a
:class:`~lotse_platform.subject_rights.Found` of ``SUBJECT_KEYS``):

1. ``case_id``: the cases opened from her intake;
2. ``referral_id``: the referrals made for her intake or one of her cases;
3. ``proposal_id``: the case proposals made for her intake;
4. ``event_id``: every stored event whose subject (the aggregate it is about) is one of those
   ids — her intake's, her cases', her referrals', her proposals' events;
5. ``fact_id``: the monthly facts counted from those events (a fact's id is its event's id,
   the event's id and a target group, or ``depth:<intake id>`` for the counselling depth).

A stored event's payload is protobuf; the part shows it decoded as well (``event``, the
contract's field names), so that the person can read what the event says (:func:`readable`).

The events of one type are read by the store's index on (tenant, type); a request is rare, and
a county's cases, referrals and proposals are thousands, not millions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping

import base64
from typing import Any

import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import DecodeError, Message

from lotse.casework.v1 import events_pb2 as casework
from lotse.intake.v1 import events_pb2 as intake
from lotse.network.v1 import events_pb2 as network
from lotse_platform.contracts import EventRegistry
from lotse_platform.subject_rights.export import chunks, holds

from .orm import event_store, report_fact

#: the contracts of the events reporting stores (to show a stored event decoded)
_STORED = EventRegistry.from_modules(intake, casework, network)

#: network's referral events: each carries the referral's facts (case and intake ids)
REFERRAL_EVENTS: dict[str, type[Message]] = {
    "network.referral.sent.v1": network.ReferralSent,
    "network.referral.accepted.v1": network.ReferralAccepted,
    "network.referral.declined.v1": network.ReferralDeclined,
    "network.referral.arrived.v1": network.ReferralArrived,
    "network.referral.not_arrived.v1": network.ReferralNotArrived,
    "network.referral.completed.v1": network.ReferralCompleted,
    "network.referral.cancelled.v1": network.ReferralCancelled,
}
#: the keys whose records' events reporting stores under their id as the event's subject
SUBJECTS = ("intake_id", "case_id", "referral_id", "proposal_id")
#: how many event ids one query's prefix match of fact ids names
_PREFIXES = 100


def _events(session: sa.orm.Session, tenant_id: uuid.UUID,
            types: Mapping[str, type[Message]]) -> Iterator[Message]:
    query = (sa.select(event_store.c.type, event_store.c.payload)
             .where(event_store.c.tenant_id == tenant_id,
                    event_store.c.type.in_(sorted(types)))
             .order_by(event_store.c.position)
             .execution_options(yield_per=1000))
    for event_type, payload in session.execute(query):
        yield types[event_type].FromString(bytes(payload))


def cases(session: sa.orm.Session, tenant_id: uuid.UUID,
          values: Mapping[str, set[str]]) -> set[str]:
    """The cases opened from her intake (casework's ``case.opened`` names it)."""
    intakes = values["intake_id"]
    return {event.case.case_id
            for event in _events(session, tenant_id,
                                 {"casework.case.opened.v1": casework.CaseOpened})
            if event.intake_id in intakes and event.case.case_id}


def referrals(session: sa.orm.Session, tenant_id: uuid.UUID,
              values: Mapping[str, set[str]]) -> set[str]:
    """The referrals made for her intake or one of her cases."""
    intakes, her_cases = values["intake_id"], values.get("case_id", set())
    return {event.referral.referral_id
            for event in _events(session, tenant_id, REFERRAL_EVENTS)
            if event.referral.referral_id and (event.referral.intake_id in intakes
                                               or event.referral.case_id in her_cases)}


def proposals(session: sa.orm.Session, tenant_id: uuid.UUID,
              values: Mapping[str, set[str]]) -> set[str]:
    """The case proposals made for her intake (a provider's proposal, ADR 0079)."""
    intakes = values["intake_id"]
    return {event.proposal_id
            for event in _events(session, tenant_id, {
                "intake.case_proposal.submitted.v1": intake.CaseProposalSubmitted})
            if event.intake_id in intakes and event.proposal_id}


def events(session: sa.orm.Session, tenant_id: uuid.UUID,
           values: Mapping[str, set[str]]) -> set[str]:
    """The stored events about her records: their subject is one of her ids."""
    ids = set().union(*(values.get(key, set()) for key in SUBJECTS))
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(str(v) for v in session.execute(sa.select(event_store.c.event_id).where(
            event_store.c.tenant_id == tenant_id, holds(event_store.c.subject, chunk)))
            .scalars())
    return found


def facts(session: sa.orm.Session, tenant_id: uuid.UUID,
          values: Mapping[str, set[str]]) -> set[str]:
    """The monthly facts counted from her events, and her intake's counselling depth."""
    found: set[str] = set()
    fact_id = report_fact.c.fact_id

    def query(condition: sa.ColumnElement[bool]) -> sa.Select[tuple[str]]:
        return sa.select(fact_id).where(report_fact.c.tenant_id == tenant_id, condition)

    depth = [f"depth:{intake_id}" for intake_id in values["intake_id"]]
    found.update(session.execute(query(fact_id.in_(depth))).scalars())
    ordered = sorted(values.get("event_id", set()))
    for chunk in chunks(ordered):
        found.update(session.execute(query(fact_id.in_(chunk))).scalars())
    # an admission counts once per target group: "<event id>:<group>"
    for start in range(0, len(ordered), _PREFIXES):
        prefixes = ordered[start:start + _PREFIXES]
        found.update(session.execute(query(sa.or_(
            *(fact_id.startswith(f"{event_id}:", autoescape=True) for event_id in prefixes))))
            .scalars())
    return found


def readable(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event as its part shows it beside its columns: ``event``, the payload decoded
    with the contract's field names (None for a type this release no longer knows)."""
    message_class = _STORED.message_class(str(row.get("type")))
    payload = row.get("payload")
    if message_class is None or not isinstance(payload, dict) or "base64" not in payload:
        return {"event": None}
    try:
        message = message_class.FromString(base64.b64decode(payload["base64"]))
    except DecodeError:
        return {"event": None}
    return {"event": MessageToDict(message, preserving_proto_field_name=True)}
