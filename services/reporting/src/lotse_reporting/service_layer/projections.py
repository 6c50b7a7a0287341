"""The event store and the projections built from it (issue 12, "Read models, replay and
rebuild"; ARCHITECTURE.md reliability invariant 3).

The consumer appends every event it is given to the store (once: the inbox deduplicates
deliveries, and an id already stored appends nothing) and applies it to the projections in the
same transaction. ``rebuild`` drops a projection's rows and replays the store into it, tenant by
tenant in store order; ``catch_up`` rebuilds what was built with an older version than
:data:`~lotse_reporting.domain.projections.PROJECTIONS` says (a new projection is built from the
past events on deployment, not only from new ones). The rows are pure functions of the events
(:mod:`lotse_reporting.domain.projections`), so a rebuild gives the rows the consumer built.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from typing import Any, TextIO

from google.protobuf.message import Message

from lotse.casework.v1 import events_pb2 as casework
from lotse.identity.v1 import events_pb2 as identity
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.contracts import EventRegistry

from ..domain.projections import (PROJECTIONS, CaseChange, ReferralChange, apply_case_change,
                                  apply_referral_change)
from . import periods
from . import standard
from .projection_batch import BatchRows, ReplayRows
from .unit_of_work import (ProjectionCatalogue, ProjectionRows, ReportingUnitOfWork, StoredEvent,
                           batches)

#: the services whose events reporting keeps: every event type of these modules is stored
#: (identity's: the staffing of the caseload report, ADR 0090; the directory replica handles
#: its organisation, area and user events beside)
EVENT_MODULES = (intake, casework, network, identity)
REGISTRY = EventRegistry.from_modules(*EVENT_MODULES)

PHASE_NAMES = {value: name.removeprefix("PHASE_").lower()
               for name, value in casework.Phase.items()}

#: casework event type → the phase it says (None: it says none but the case's area)
CASE_EVENTS: dict[str, Callable[[Any], str | None]] = {
    "casework.case.opened.v1": lambda _event: "intake",
    "casework.case.phase_changed.v1": lambda event: PHASE_NAMES.get(event.to_phase) or None,
    "casework.case.closed.v1": lambda _event: "closed",
    "casework.case.transferred.v1": lambda event: "transferred" if event.to_tenant_id else None,
}

#: network event type → the referral's state it reports
REFERRAL_EVENTS = {
    "network.referral.sent.v1": "sent",
    "network.referral.accepted.v1": "accepted",
    "network.referral.declined.v1": "declined",
    "network.referral.arrived.v1": "arrived",
    "network.referral.not_arrived.v1": "not_arrived",
    "network.referral.completed.v1": "completed",
    "network.referral.cancelled.v1": "cancelled",
}


def _topic(value: int) -> str:
    return kim.TopicArea.Name(value).removeprefix("TOPIC_AREA_").lower()


def project(uow: ProjectionRows, event_type: str, event: Any, sequence: int | None,
            names: Collection[str] = tuple(PROJECTIONS),
            stored: StoredEvent | None = None) -> None:
    """Apply one event to the projections ``names`` (those it concerns)."""
    periods.project(uow, event_type, event, sequence, names)  # the 2-week reports (ADR 0089)
    if stored is not None:
        standard.project(uow, event_type, event, event_id=str(stored.event_id),
                         sequence=sequence, occurred_at=stored.occurred_at, names=names)
    if event_type in CASE_EVENTS and "cases_by_area_and_phase" in names:
        facts = event.case
        if facts.case_id:
            change = CaseChange(facts.case_id, facts.area_id, CASE_EVENTS[event_type](event),
                                sequence)
            uow.put_case_row(apply_case_change(uow.case_row(facts.case_id), change))
    elif event_type in REFERRAL_EVENTS and "referrals_by_partner" in names:
        facts = event.referral
        if facts.referral_id:
            step = ReferralChange(facts.referral_id, facts.partner_org_id,
                                  _topic(facts.topic_area), REFERRAL_EVENTS[event_type])
            uow.put_referral_row(apply_referral_change(uow.referral_row(facts.referral_id),
                                                       step))


def store_event(event: Message, envelope: Any, uow: ReportingUnitOfWork) -> None:
    """The consumer's handler of every event type reporting keeps: append and project at the
    commit — the events of a consumer's batch (one transaction) together: appended with one
    statement, those that were new projected with the rows they touch read once and written
    once (:func:`replay`)."""
    stored = StoredEvent(event_id=envelope.id, type=envelope.type, source=envelope.source,
                         subject=envelope.subject, sequence=envelope.sequence,
                         occurred_at=envelope.time, payload=bytes(envelope.data))
    uow.lock_projections()
    uow.store_at_commit(stored, event, replay)


def decode(stored: StoredEvent) -> Message | None:
    """The stored event's protobuf message (None: a type this release no longer knows)."""
    message_class = REGISTRY.message_class(stored.type)
    if message_class is None:
        return None
    message = message_class()
    message.ParseFromString(stored.payload)
    return message


class Progress:
    """Plain periodic lines on a stream: events replayed, of how many, and the rate."""

    def __init__(self, total: int, stream: TextIO | None, every: float = 1.0) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.done = 0
        self.started = self.shown = time.monotonic()

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self.show()

    def show(self) -> None:
        if self.stream is None:
            return
        elapsed = max(time.monotonic() - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        filled = int(share * 30)
        print(f"rebuild [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} events "
              f"{self.done / elapsed:,.0f}/s", file=self.stream, flush=True)


def rebuild(units: Callable[..., ReportingUnitOfWork], catalogue: ProjectionCatalogue,
            names: Iterable[str] = tuple(PROJECTIONS), *, stream: TextIO | None = None,
            batch_size: int = 5000) -> int:
    """Drop the projections ``names`` and replay the store into them, tenant by tenant (one
    transaction each), ``batch_size`` events at a time, the rows in memory
    (:class:`.projection_batch.ReplayRows`): each batch's facts and entries written in bulk
    with it, the rows that change and the period counts once at the end; then record their
    versions. The number of events replayed."""
    chosen = [name for name in names if name in PROJECTIONS]
    tenants = catalogue.tenants()
    total = 0
    for tenant in tenants:
        with units(tenant) as uow:
            total += uow.stored_count()
    progress = Progress(total, stream)
    for tenant in tenants:
        with units(tenant) as uow:
            uow.lock_projections()
            for name in chosen:
                uow.clear_projection(name)
            # the projections are empty now and this transaction alone writes them: the rows
            # stay in memory from batch to batch, each batch's changes written in bulk
            rows = ReplayRows(uow.tenant_id, uow.fact)
            for found in batches(uow, batch_size):
                for stored, message in _decoded(found):
                    project(rows, stored.type, message, stored.sequence, chosen, stored)
                uow.write_projection_rows(rows.written())
                progress.advance(len(found))
            uow.write_projection_rows(rows.remaining())
            uow.commit()
    for name in chosen:
        catalogue.set_version(name, PROJECTIONS[name])
    progress.show()
    return progress.done


def replay(uow: ReportingUnitOfWork, events: list[tuple[StoredEvent, Message]],
           names: Collection[str] = tuple(PROJECTIONS)) -> None:
    """Apply stored events (in store order) to the projections ``names`` as :func:`project`
    one at a time would, with the rows they touch read once and written once
    (:mod:`.projection_batch`)."""
    touched = BatchRows(uow.tenant_id)  # which rows: a function of the events' ids alone
    for stored, message in events:
        project(touched, stored.type, message, stored.sequence, names, stored)
    batch = BatchRows(uow.tenant_id, uow.projection_rows(touched.wanted))
    for stored, message in events:
        project(batch, stored.type, message, stored.sequence, names, stored)
    uow.write_projection_rows(batch.changes)


def _decoded(found: list[StoredEvent]) -> list[tuple[StoredEvent, Message]]:
    return [(stored, message) for stored in found if (message := decode(stored)) is not None]


def behind(catalogue: ProjectionCatalogue) -> list[str]:
    """The projections built with an older version than this release's (or never)."""
    versions = catalogue.versions()
    return [name for name, version in PROJECTIONS.items() if versions.get(name, 0) < version]


def catch_up(units: Callable[..., ReportingUnitOfWork], catalogue: ProjectionCatalogue, *,
             stream: TextIO | None = None) -> list[str]:
    """Rebuild what is behind (on deployment); the names rebuilt."""
    names = behind(catalogue)
    if names:
        rebuild(units, catalogue, names, stream=stream)
    return names
