"""In-memory stand-ins for the service layer's ports, for fast tests of its rules (no PostgreSQL,
no broker): :class:`FakeCaseworkUnitOfWork` implements
:class:`lotse_casework.service_layer.unit_of_work.CaseworkUnitOfWork`, :class:`FakeCasework`
the container — units of work of any tenant over one :class:`FakeDatabase`, the dependencies
casework's handlers name (``Casework.dependencies()``), and its message bus with casework's own
handler maps — :class:`FakePeers` the client for peer deployments, :class:`FakeIntake` the
handover call to intake and :class:`FakeConsentOwner` intake's consent check at the moment of
sharing (ADR 0053).

Like a database, the fake keeps each tenant's rows apart, writes what was added, published
and audited only at ``commit()`` and drops it when the block ends without one. Unlike a
database it hands out the stored objects themselves, so a change to a loaded entity is kept
even without a commit: a test checks what was committed through :attr:`FakeDatabase.outbox`,
:attr:`FakeDatabase.audit_log` and what a new unit of work finds.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from lotse_platform import clock
from lotse_platform.audit.purposes import Purpose
from lotse_platform.auth import Principal
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.messagebus import Dependencies, MessageBus
from lotse_platform.testing import FakeReferences

from lotse_casework.adapters.federation_client import PeerRefused
from lotse_casework.adapters.intake_client import ConsentCheckUnavailable, HandoverRefused
from lotse_casework.bootstrap import CaseworkService
from lotse_casework.domain.consent_check import CurrentConsent
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.appointments import Appointment, ConsultationHours
from lotse_casework.domain.child_protection import ChildProtectionConcern
from lotse_casework.domain.team import TeamDiscussion
from lotse_casework.domain.referrals import CaseReferral
from lotse_casework.domain.contacts import Conference, Contact
from lotse_casework.domain.model import (
    AwaitingHandover,
    Case,
    CaseManager,
    Consent,
    InboundTransfer,
    Notice,
    Person,
    PhaseTransition,
    Share,
    Transfer,
)
from lotse_casework.domain.planning import Assessment, Goal, HelpPlan, Step
from lotse_casework.settings import CaseworkSettings


@dataclass
class Published:
    """An event as it went into the outbox."""

    tenant_id: uuid.UUID
    event: object
    aggregate_id: str
    sequence: int | None


@dataclass
class Audited:
    tenant_id: uuid.UUID
    actor: str
    action: str
    record_type: str
    record_id: str | None
    reason: str | None
    #: kept beside the entry (the real one's audit_note), never in the trail
    note: str | None = None


def _published_directory() -> FakeReferences:
    from casework_support import published_directory

    references = FakeReferences()
    references.put_all(published_directory())
    return references


@dataclass
class FakeDatabase:
    """The committed state of a deployment: every tenant's rows, the outbox, the audit log."""

    rows: dict[uuid.UUID, list] = field(default_factory=lambda: defaultdict(list))
    outbox: list[Published] = field(default_factory=list)
    audit_log: list[Audited] = field(default_factory=list)
    #: identity's directory as every tenant's replica holds it (the tests' organisations, staff)
    references: FakeReferences = field(default_factory=lambda: _published_directory())

    def events(self, tenant_id=None, kind: type | None = None) -> list:
        """The published events (of one tenant, of one message type), oldest first."""
        return [p.event for p in self.outbox
                if (tenant_id is None or p.tenant_id == _tenant(tenant_id))
                and (kind is None or isinstance(p.event, kind))]

    def all(self, tenant_id, kind: type) -> list:
        return [row for row in self.rows[_tenant(tenant_id)] if isinstance(row, kind)]


def _tenant(tenant_id) -> uuid.UUID:
    return uuid.UUID(str(tenant_id))


def _among(entity, entities: list) -> bool:
    """Whether this very object is in ``entities`` (dataclasses compare equal by value)."""
    return any(entity is other for other in entities)


class FakeCaseworkUnitOfWork:
    """One tenant's unit of work over a :class:`FakeDatabase`."""

    def __init__(self, database: FakeDatabase, tenant_id, principal: Principal | None = None):
        self.database = database
        self.tenant_id = _tenant(tenant_id)
        self.principal = principal
        self.references = database.references
        self.committed = False
        self._added: list = []
        self._deleted: list = []
        self._published: list[Published] = []
        self._audited: list[Audited] = []

    # -- the transaction -------------------------------------------------------------------------
    def __enter__(self) -> FakeCaseworkUnitOfWork:
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def commit(self) -> None:
        stored = self.database.rows[self.tenant_id]
        stored.extend(self._added)
        stored[:] = [row for row in stored if not _among(row, self._deleted)]
        self.database.outbox.extend(self._published)
        self.database.audit_log.extend(self._audited)
        self.committed = True
        self.rollback()

    def rollback(self) -> None:
        self._added, self._deleted, self._published, self._audited = [], [], [], []

    def publish(self, event, *, aggregate_id, sequence: int | None = None,
                subject: str | None = None) -> uuid.UUID:
        self._published.append(Published(self.tenant_id, event, str(aggregate_id), sequence))
        return uuid.uuid4()

    def audit(self, action: str, record_type: str, record_id=None, *,
              reason: str | None = None, purpose: Purpose | None = None,
              note: str | None = None) -> None:
        actor = self.principal.subject if self.principal else "system:/lotse/casework"
        if purpose is not None:
            reason = purpose.reason
        self._audited.append(Audited(self.tenant_id, actor, action, record_type,
                                     str(record_id) if record_id is not None else None, reason,
                                     note))

    def today(self) -> date:
        return clock.today(self.tenant_id)

    def alongside(self, other: FakeCaseworkUnitOfWork) -> FakeCaseworkUnitOfWork:
        return other

    # -- writes ----------------------------------------------------------------------------------
    def add(self, *entities) -> None:
        for entity in entities:
            if getattr(entity, "tenant_id", None) is None:
                entity.tenant_id = self.tenant_id
            elif entity.tenant_id != self.tenant_id:
                raise AssertionError(f"a {type(entity).__name__} of another tenant")
            self._added.append(entity)

    def flush(self) -> None:
        """Nothing to send ahead: the records are in memory."""

    def delete(self, entity) -> None:
        self._deleted.append(entity)

    def _all(self, kind: type) -> list:
        return [row for row in [*self.database.rows[self.tenant_id], *self._added]
                if isinstance(row, kind) and not _among(row, self._deleted)]

    def _one(self, kind: type, **equal):
        found = [row for row in self._all(kind)
                 if all(getattr(row, k) == v for k, v in equal.items())]
        return found[0] if found else None

    # -- cases -----------------------------------------------------------------------------------
    def case(self, case_id, *, lock: bool = False) -> Case | None:
        return self._one(Case, id=case_id)

    def case_by_intake(self, operator_org_id: str, intake_id: str) -> Case | None:
        return self._one(Case, operator_org_id=operator_org_id, intake_id=intake_id)

    def cases_of(self, case_manager_id: str, *, include_closed: bool = False) -> list[Case]:
        return sorted((c for c in self._all(Case) if c.case_manager_id == case_manager_id
                       and (include_closed or c.phase != "closed")), key=lambda c: c.opened_on)

    def cases_shared_with(self, colleague_id: str, today: date) -> list[Case]:
        shared = {s.case_id for s in self._all(Share) if s.colleague_id == colleague_id
                  and s.ended_at is None and s.valid_from <= today <= s.valid_until}
        return sorted((c for c in self._all(Case) if c.id in shared and c.phase != "closed"),
                      key=lambda c: c.opened_on)

    def open_cases(self) -> list[Case]:
        return sorted((c for c in self._all(Case) if c.phase != "closed"),
                      key=lambda c: c.opened_on)

    def cases_in_household(self, household_id: str) -> list[Case]:
        return sorted((c for c in self._all(Case) if c.household_id == household_id),
                      key=lambda c: (c.opened_on, str(c.id)))

    def open_case_counts(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for case in self.open_cases():
            counts[(case.case_manager_id, case.organisation_id)] += 1
        return dict(counts)

    def person(self, case_id) -> Person | None:
        return self._one(Person, case_id=case_id)

    def consents(self, case_id) -> list[Consent]:
        return [c for c in self._all(Consent) if c.case_id == case_id]

    def consents_of_cases(self, case_ids) -> list[Consent]:
        return [c for c in self._all(Consent) if c.case_id in case_ids]

    def transitions(self, case_id) -> list[PhaseTransition]:
        return sorted((t for t in self._all(PhaseTransition) if t.case_id == case_id),
                      key=lambda t: t.changed_at)

    def shares(self, case_id) -> list[Share]:
        return [s for s in self._all(Share) if s.case_id == case_id]

    def share(self, share_id) -> Share | None:
        return self._one(Share, id=share_id)

    # -- planning --------------------------------------------------------------------------------
    def assessments(self, case_id) -> list[Assessment]:
        return sorted((a for a in self._all(Assessment) if a.case_id == case_id),
                      key=lambda a: a.version)

    def goals(self, case_id) -> list[Goal]:
        return sorted((g for g in self._all(Goal) if g.case_id == case_id),
                      key=lambda g: g.set_on)

    def goal(self, case_id, goal_id) -> Goal | None:
        return self._one(Goal, id=goal_id, case_id=case_id)

    def goals_of_cases(self, case_ids) -> list[Goal]:
        return [g for g in self._all(Goal) if g.case_id in case_ids]

    def help_plans(self, case_id) -> list[HelpPlan]:
        return sorted((p for p in self._all(HelpPlan) if p.case_id == case_id),
                      key=lambda p: p.version)

    def help_plans_of_cases(self, case_ids) -> list[HelpPlan]:
        return [p for p in self._all(HelpPlan) if p.case_id in case_ids]

    def steps(self, case_id) -> list[Step]:
        return sorted((s for s in self._all(Step) if s.case_id == case_id),
                      key=lambda s: s.due_on)

    def step(self, case_id, step_id) -> Step | None:
        return self._one(Step, id=step_id, case_id=case_id)

    def steps_of_cases(self, case_ids) -> list[Step]:
        return [s for s in self._all(Step) if s.case_id in case_ids]

    # -- contacts and conferences ----------------------------------------------------------------
    def contacts(self, case_id) -> list[Contact]:
        return sorted((c for c in self._all(Contact) if c.case_id == case_id),
                      key=lambda c: (c.occurred_on, c.recorded_at))

    def last_contact_dates(self, case_ids) -> dict:
        last: dict = {}
        for contact in self._all(Contact):
            if contact.case_id in case_ids:
                last[contact.case_id] = max(last.get(contact.case_id, contact.occurred_on),
                                            contact.occurred_on)
        return last

    def conferences(self, case_id) -> list[Conference]:
        return sorted((c for c in self._all(Conference) if c.case_id == case_id),
                      key=lambda c: c.planned_on)

    def case_referral(self, referral_id):
        return self._one(CaseReferral, referral_id=referral_id)

    def case_referrals(self, case_id):
        return sorted((r for r in self._all(CaseReferral) if r.case_id == case_id),
                      key=lambda r: (r.sent_on or date.min, r.referral_id))

    def conferences_between(self, start, end) -> list[Conference]:
        return sorted((c for c in self._all(Conference) if start <= c.planned_on <= end),
                      key=lambda c: (c.planned_on, c.id))

    def conference(self, case_id, conference_id) -> Conference | None:
        return self._one(Conference, id=conference_id, case_id=case_id)

    def appointments(self, case_id) -> list[Appointment]:
        return sorted((a for a in self._all(Appointment) if a.case_id == case_id),
                      key=lambda a: (a.on, a.at))

    def appointment(self, case_id, appointment_id) -> Appointment | None:
        return self._one(Appointment, id=appointment_id, case_id=case_id)

    def appointments_on(self, case_ids, day) -> list[Appointment]:
        return sorted((a for a in self._all(Appointment)
                       if a.case_id in set(case_ids) and a.on == day), key=lambda a: a.at)

    def consultation_hours(self) -> list[ConsultationHours]:
        return sorted((h for h in self._all(ConsultationHours) if h.ended_at is None),
                      key=lambda h: (h.weekday, h.starts))

    def consultation_hour(self, hours_id) -> ConsultationHours | None:
        return self._one(ConsultationHours, id=hours_id)

    def team_discussions(self) -> list[TeamDiscussion]:
        return sorted(self._all(TeamDiscussion), key=lambda d: (d.held_on, d.recorded_at),
                      reverse=True)

    def child_protection_concerns(self) -> list[ChildProtectionConcern]:
        return sorted(self._all(ChildProtectionConcern), key=lambda c: c.raised_at,
                      reverse=True)

    # -- transfers, notices, case managers, admissions -------------------------------------------
    def transfer(self, transfer_id, *, lock: bool = False) -> Transfer | None:
        return self._one(Transfer, id=transfer_id)

    def transfers(self, case_id) -> list[Transfer]:
        return [t for t in self._all(Transfer) if t.case_id == case_id]

    def incoming_transfers(self, case_manager_id: str) -> list[Transfer]:
        return sorted((t for t in self._all(Transfer) if t.to_case_manager_id == case_manager_id
                       and t.status == "pending"), key=lambda t: t.requested_at)

    def inbound(self, transfer_id, *, lock: bool = False) -> InboundTransfer | None:
        return self._one(InboundTransfer, id=uuid.UUID(str(transfer_id)))

    def inbound_for_areas(self, areas) -> list[InboundTransfer]:
        return sorted((t for t in self._all(InboundTransfer)
                       if t.status == "pending" and t.to_area_id in set(areas)),
                      key=lambda t: t.offered_at)

    def notices(self, recipient_id: str, *, unread_only: bool = True) -> list[Notice]:
        return sorted((n for n in self._all(Notice) if n.recipient_id == recipient_id
                       and (n.read_at is None or not unread_only)), key=lambda n: n.created_at)

    def unread_notices(self, kind: str, reference: str) -> list[Notice]:
        return sorted((n for n in self._all(Notice) if n.kind == kind
                       and n.reference == reference and n.read_at is None),
                      key=lambda n: n.created_at)

    def notice(self, notice_id) -> Notice | None:
        return self._one(Notice, id=notice_id)

    def case_manager(self, user_id: str) -> CaseManager | None:
        return self._one(CaseManager, user_id=user_id)

    def case_managers(self) -> list[CaseManager]:
        return sorted(self._all(CaseManager), key=lambda m: (m.organisation_id, m.user_id))

    def awaiting(self, operator_org_id: str, intake_id: str) -> AwaitingHandover | None:
        return self._one(AwaitingHandover, operator_org_id=operator_org_id, intake_id=intake_id)

    def awaiting_for(self, case_manager_id: str) -> list[AwaitingHandover]:
        return sorted((a for a in self._all(AwaitingHandover)
                       if a.case_manager_id == case_manager_id), key=lambda a: a.since)


class FakePeers:
    """The client for peer deployments: records what was sent; ``refuse`` makes a call answer
    with that status (404/409/422, as :class:`PeerRefused`)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, object]] = []
        self.refuse: int | None = None

    def _call(self, what: str, url: str, body) -> None:
        self.calls.append((what, url, body))
        if self.refuse:
            raise PeerRefused(self.refuse, "refused by the fake peer")

    def deliver_offer(self, peer_url: str, offer: dict) -> None:
        self._call("offer", peer_url, offer)

    def report_cancelled(self, peer_url: str, transfer_id, cancel: dict) -> None:
        self._call("cancelled", peer_url, {"transfer_id": str(transfer_id), **cancel})

    def report_erasure(self, peer_url: str, transfer_id, erasure: dict) -> None:
        self._call("erasure", peer_url, {"transfer_id": str(transfer_id), **erasure})

    def report_accepted(self, peer_url: str, transfer_id, acceptance: dict) -> None:
        self._call("accepted", peer_url, {"transfer_id": str(transfer_id), **acceptance})

    def fetch_package(self, peer_url: str, transfer_id, *, from_tenant_id: str,
                      case_manager_id: str) -> dict:
        raise AssertionError("these tests fetch no package from a peer")


class FakeIntake:
    """The handover call to intake: answers with the package put in ``packages`` (parsed as
    intake's answer would be), refuses (409) the intake ids in ``refused``; records the calls."""

    def __init__(self) -> None:
        self.packages: dict[str, dict] = {}
        self.refused: set[str] = set()
        self.calls: list[tuple[str, str]] = []  # (operator, intake id)

    def fetch_handover(self, operator_org_id: str, intake_id: str) -> HandoverPackage:
        self.calls.append((operator_org_id, intake_id))
        if intake_id in self.refused:
            raise HandoverRefused(409, "no consent to hand over")
        return HandoverPackage.parse(self.packages[intake_id], intake_id)


class FakeConsentOwner:
    """Intake's current state of consents, for the check at the moment of sharing: by default
    what casework's copy says (intake agrees with it); ids in ``withdrawn`` are withdrawn and
    ids in ``unknown`` not known there; ``unavailable`` makes every call raise as an intake
    that does not answer (503). Records the calls: (operator, intake id, consent ids)."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.withdrawn: set[str] = set()
        self.unknown: set[str] = set()
        self.unavailable = False
        self.calls: list[tuple[str, str, list[str]]] = []

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids) -> dict[str, CurrentConsent]:
        self.calls.append((operator_org_id, intake_id, list(consent_ids)))
        if self.unavailable:
            raise ConsentCheckUnavailable("the fake intake does not answer")
        rows = [row for tenant_rows in self.database.rows.values() for row in tenant_rows]
        cases = {c.id for c in rows if isinstance(c, Case)
                 and (c.operator_org_id, c.intake_id) == (operator_org_id, intake_id)}
        kept = {c.consent_id: c for c in rows
                if isinstance(c, Consent) and c.case_id in cases}
        today = clock.today()
        return {i: CurrentConsent(
                    consent_id=i, kind=kept[i].kind, partner_org_id=kept[i].partner_org_id,
                    topic_areas=tuple(kept[i].topic_areas), valid_from=kept[i].valid_from,
                    valid_until=kept[i].valid_until,
                    withdrawn=i in self.withdrawn or kept[i].withdrawn_on is not None,
                    withdrawn_on=kept[i].withdrawn_on or (today if i in self.withdrawn else None))
                for i in consent_ids if i in kept and i not in self.unknown}


class FakeCasework:
    """The container: settings, the clients for peers and intake, units of work of any tenant,
    and casework's message bus on them (:meth:`handle` a command as a request would,
    :meth:`consume` an event as the consumer would)."""

    def __init__(self, settings: CaseworkSettings | None = None) -> None:
        self.settings = settings or CaseworkSettings(database_url="sqlite://")
        self.database = FakeDatabase()
        self.federation_client = FakePeers()
        self.intake_client = FakeIntake()
        self.consent_client = FakeConsentOwner(self.database)

    def uow(self, tenant_id=None, traceparent: str | None = None, *,
            principal: Principal | None = None,
            request_id: str | None = None) -> FakeCaseworkUnitOfWork:
        return FakeCaseworkUnitOfWork(self.database, tenant_id, principal)

    def dependencies(self) -> Dependencies:
        """What ``Casework.dependencies()`` provides, by the same names, with these fakes."""
        return {"intake": lambda: self.intake_client, "peers": lambda: self.federation_client,
                "consent_owner": lambda: self.consent_client,
                "settings": lambda: self.settings, "units": lambda: self.uow,
                # the platform's (Service.platform_dependencies): no key store in the fakes
                "envelopes": lambda: None,
                "signed_copy_max_bytes": lambda: self.settings.signed_copy_max_bytes}

    @property
    def bus(self) -> MessageBus:
        return MessageBus(CaseworkService.command_handlers, CaseworkService.event_handlers,
                          self.dependencies())

    def handle(self, command, principal: Principal):
        """``command`` run by ``principal`` (``lotse_platform.service.handle``: in a unit of work
        of her tenant whose principal she is); what its handler returns."""
        return self.bus.handle(command, self.uow(principal.tenant, principal=principal))

    def consume(self, event, tenant_id) -> None:
        """``event`` of ``tenant_id`` through its handler, as the consumer runs it: in a unit of
        work of that tenant without a principal, committed when the handler returns."""
        envelope = Envelope(id=uuid.uuid4(), type=event_type_of(event), source="/lotse/test",
                            time=datetime.now(UTC), data=event.SerializeToString(),
                            tenant=_tenant(tenant_id))
        with self.uow(tenant_id) as uow:
            self.bus.event_handlers[envelope.type](event, envelope, uow)
            uow.commit()
