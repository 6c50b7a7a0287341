"""In-memory stand-ins of the intake's adapters, for fast service-layer tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Generic, TypeVar

from lotse_intake.domain.anonymous import AnonymousContact
from lotse_intake.domain.household import Household
from lotse_intake.domain.model import Consent, Intake
from lotse_intake.domain.proposals import CaseProposal
from lotse_intake.domain.target_groups import TargetGroup
from lotse_intake.domain.vocabulary import CounsellingDepth, IntakeStatus, ProposalStatus
from lotse_platform.auth.principal import Principal
from lotse_platform.testing import FakeUnitOfWork, known_directory

from intake_helpers import AREAS, CASE_MANAGERS, ORGANISATIONS

Record = TypeVar("Record", Intake, TargetGroup, CaseProposal, AnonymousContact, Household)


class FakeRepository(Generic[Record]):
    """Records by id. What a unit adds is found by the unit's own reads at once and by later
    units once it commits; a rollback drops it. A record read is the stored object itself,
    changed in place (a rollback does not undo that, unlike the database's)."""

    def __init__(self) -> None:
        self.committed: dict[uuid.UUID, Record] = {}
        self._added: list[Record] = []

    def add(self, record: Record) -> None:
        self._added.append(record)

    def get(self, record_id: uuid.UUID, *, for_update: bool = False) -> Record | None:
        found = [r for r in self._added if r.id == record_id]
        return found[-1] if found else self.committed.get(record_id)

    def every(self) -> list[Record]:
        return [*self.committed.values(), *self._added]

    def commit(self) -> None:
        self.committed.update((record.id, record) for record in self._added)
        self._added.clear()

    def rollback(self) -> None:
        self._added.clear()


class FakeIntakes(FakeRepository[Intake]):
    def born_on(self, date_of_birth) -> list[Intake]:
        return sorted((i for i in self.every() if i.person.date_of_birth == date_of_birth),
                      key=lambda i: (i.contact_date, str(i.id)))

    def open_for(self, user_id: str) -> list[Intake]:
        return sorted((i for i in self.every()
                       if i.responsible_id == user_id and i.status != IntakeStatus.ADMITTED
                       and (i.current_decision is None
                            or i.current_decision.depth == CounsellingDepth.CASE_MANAGEMENT)),
                      key=lambda i: (i.contact_date, i.id))

    def awaiting_decision(self, area_ids: set[str] | None) -> list[Intake]:
        return sorted((i for i in self.every() if i.status == IntakeStatus.SCREENED
                       and (area_ids is None or i.area_id in area_ids)),
                      key=lambda i: (i.contact_date, i.id))

    def consents_expiring(self, first: date, last: date,
                          area_ids: set[str] | None) -> list[tuple[Consent, Intake]]:
        rows = [(c, i) for i in self.every() for c in i.consents
                if c.withdrawn_at is None and c.valid_until is not None
                and first <= c.valid_until <= last
                and (area_ids is None or i.area_id in area_ids)]
        return sorted(rows, key=lambda row: (row[0].valid_until, row[0].id))

    def consents_of(self, intake_id: uuid.UUID, consent_ids: list[uuid.UUID]) -> list[Consent]:
        intake = self.get(intake_id)
        wanted = set(consent_ids)
        return sorted((c for c in (intake.consents if intake else []) if c.id in wanted),
                      key=lambda c: c.id)


class FakeTargetGroups(FakeRepository[TargetGroup]):
    def all(self) -> list[TargetGroup]:
        return sorted(self.every(), key=lambda g: (g.valid_from, g.name))


class FakeCaseProposals(FakeRepository[CaseProposal]):
    def of_organisation(self, org_id: str) -> list[CaseProposal]:
        return sorted((p for p in self.every() if p.proposing_org_id == org_id),
                      key=lambda p: p.submitted_at, reverse=True)

    def with_status(self, status: ProposalStatus | None) -> list[CaseProposal]:
        return sorted((p for p in self.every() if status is None or p.status == status),
                      key=lambda p: p.submitted_at)


class FakeAnonymousContacts(FakeRepository[AnonymousContact]):
    def held_between(self, first, last, area_ids) -> list[AnonymousContact]:
        return sorted((c for c in self.every() if first <= c.held_on <= last
                       and (area_ids is None or c.area_id in area_ids)),
                      key=lambda c: (c.held_on, c.recorded_at))


class FakeHouseholds(FakeRepository[Household]):
    def of_intake(self, intake_id) -> Household | None:
        return next((h for h in self.every() if h.member(intake_id) is not None), None)


class FakeIntakeUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_intake.service_layer.unit_of_work.IntakeUnitOfWork` in memory.

    ``principal`` is the caller the handlers check (a request's); None, the default, is the
    service itself (seed, consumer), which may do everything. :meth:`as_caller` is the same
    records seen by a caller."""

    def __init__(self, tenant_id: uuid.UUID | None = None, *,
                 principal: Principal | None = None) -> None:
        super().__init__(tenant_id, source="/lotse/intake")
        self.principal = principal
        self.intakes = FakeIntakes()
        self.target_groups = FakeTargetGroups()
        self.proposals = FakeCaseProposals()
        self.anonymous_contacts = FakeAnonymousContacts()
        self.households = FakeHouseholds()
        # what identity published of the test tenant (the conftest puts the same on PostgreSQL)
        self.references.put_all(known_directory(
            organisations=ORGANISATIONS, areas=AREAS,
            users=[(user, org, ["case_manager"]) for user, org in CASE_MANAGERS]))

    def as_caller(self, principal: Principal | None) -> FakeIntakeUnitOfWork:
        """From now on the units of this caller (records set up by the service before)."""
        self.principal = principal
        return self

    def commit(self) -> None:
        for repository in self._repositories():
            repository.commit()
        super().commit()

    def rollback(self) -> None:
        for repository in self._repositories():
            repository.rollback()
        super().rollback()

    def _repositories(self) -> tuple[FakeRepository, ...]:
        return (self.intakes, self.target_groups, self.proposals, self.anonymous_contacts,
                self.households)
