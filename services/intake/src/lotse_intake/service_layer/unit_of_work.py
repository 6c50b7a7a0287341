"""What the intake's handlers need of a unit of work: the platform's transaction, outbox and
audit trail (:class:`lotse_platform.uow.UnitOfWork`) and the tenant's intakes, target groups
and case proposals, each behind a repository.

These are interfaces; the SQLAlchemy implementations are adapters
(:class:`lotse_intake.adapters.unit_of_work.SqlAlchemyIntakeUnitOfWork` with the repositories
of :mod:`lotse_intake.adapters.repository`), and the unit tests use in-memory ones
(``tests/intake_fakes.py``). The service layer never imports SQLAlchemy.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.signed_copies import SignedCopyRecords
from lotse_platform.uow import UnitOfWork

from ..domain.anonymous import AnonymousContact
from ..domain.household import Household
from ..domain.model import Consent, Intake
from ..domain.proposals import CaseProposal
from ..domain.target_groups import TargetGroup
from ..domain.vocabulary import ProposalStatus


class Intakes(Protocol):
    """The tenant's intakes, each with its screening, decisions, consents and admission."""

    def add(self, intake: Intake) -> None: ...

    def get(self, intake_id: uuid.UUID, *, for_update: bool = False) -> Intake | None:
        """``for_update``: one writer per intake at a time until the unit ends."""
        ...

    def born_on(self, date_of_birth: date) -> list[Intake]:
        """The tenant's intakes of people born on that day, oldest first."""
        ...

    def open_for(self, user_id: str) -> list[Intake]:
        """Intakes the user is responsible for that still need her: not yet decided, or decided
        for case management and not yet admitted."""
        ...

    def awaiting_decision(self, area_ids: set[str] | None) -> list[Intake]:
        """Screened, no counselling depth decided yet (``area_ids`` None: every area)."""
        ...

    def consents_expiring(self, first: date, last: date,
                          area_ids: set[str] | None) -> list[tuple[Consent, Intake]]:
        """Consents not withdrawn whose validity ends between ``first`` and ``last``."""
        ...

    def consents_of(self, intake_id: uuid.UUID, consent_ids: list[uuid.UUID]) -> list[Consent]:
        """Those of ``consent_ids`` that are consents of the intake (none when the tenant has
        no such intake), in their committed state."""
        ...


class TargetGroups(Protocol):
    """The tenant's target groups (*Zielgruppen*), as the steering group decided them."""

    def add(self, group: TargetGroup) -> None: ...

    def get(self, group_id: uuid.UUID) -> TargetGroup | None: ...

    def all(self) -> list[TargetGroup]:
        """Every group, also those not valid today, by start of validity and name."""
        ...


class CaseProposals(Protocol):
    """Partners' case proposals (*Fallvorschläge*) to the coordinating office."""

    def add(self, proposal: CaseProposal) -> None: ...

    def get(self, proposal_id: uuid.UUID, *, for_update: bool = False) -> CaseProposal | None: ...

    def of_organisation(self, org_id: str) -> list[CaseProposal]:
        """The proposals of one proposing organisation, newest first."""
        ...

    def with_status(self, status: ProposalStatus | None) -> list[CaseProposal]:
        """Proposals in ``status`` (all when None), oldest first."""
        ...


class AnonymousContacts(Protocol):
    """Short queries and information events (no person)."""

    def add(self, contact: AnonymousContact) -> None: ...

    def held_between(self, first: date, last: date,
                     area_ids: set[str] | None) -> list[AnonymousContact]:
        """Held from ``first`` to ``last`` (inclusive), in these areas (None: all)."""
        ...


class Households(Protocol):
    """The tenant's households (*Bedarfsgemeinschaften*), each with its members."""

    def add(self, household: Household) -> None: ...

    def get(self, household_id: uuid.UUID, *, for_update: bool = False) -> Household | None:
        """``for_update``: one writer per household at a time until the unit ends."""
        ...

    def of_intake(self, intake_id: uuid.UUID) -> Household | None:
        """The household the intake is a member of, if any."""
        ...


class CaseClosures(Protocol):
    """When casework closed the cases opened from the tenant's intakes (ADR 0109): what the
    retention sweep of closed case records counts from."""

    def opened(self, case_id: uuid.UUID, intake_id: str) -> None:
        """Casework opened ``case_id`` from the intake reference ``intake_id``."""
        ...

    def closed(self, case_id: uuid.UUID, closed_on: date) -> None:
        """Casework closed ``case_id`` on ``closed_on`` (the tenant's calendar)."""
        ...


class IntakeUnitOfWork(UnitOfWork, Protocol):
    """The repositories are there once the unit is entered (``with uow:``) and work in its
    transaction."""

    #: the caller of a request, whose access the handlers check (:mod:`.access`); None: the
    #: service itself (seed, consumer, command line)
    principal: Principal | None
    #: the tenant every query of the unit is scoped to
    tenant_id: uuid.UUID | None

    def __enter__(self) -> IntakeUnitOfWork: ...

    @property
    def intakes(self) -> Intakes: ...

    @property
    def target_groups(self) -> TargetGroups: ...

    @property
    def proposals(self) -> CaseProposals: ...

    @property
    def anonymous_contacts(self) -> AnonymousContacts: ...

    @property
    def households(self) -> Households: ...

    @property
    def case_closures(self) -> CaseClosures: ...

    @property
    def signed_copies(self) -> SignedCopyRecords:
        """Signed copies of the intakes' forms, sealed (ADR 0082)."""
        ...
