"""What the network's handlers need of a unit of work: the platform's transaction, outbox,
audit trail and directory replica (:class:`lotse_platform.uow.UnitOfWork`), and the network's
records of one tenant.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_network.adapters.unit_of_work.SqlAlchemyNetworkUnitOfWork`), and the unit tests
use an in-memory one. The service layer never imports SQLAlchemy (``make lint`` checks it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.signed_copies import SignedCopyRecords
from lotse_platform.uow import UnitOfWork

from ..domain.agreements import Agreement
from ..domain.bodies import Body, Meeting
from ..domain.directory import (
    DirectoryService,
    DirectorySettings,
    Location,
    Organization,
    ServicePage,
    ServiceSearch,
)
from ..domain.knowledge import Article, ArticleVersion
from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep


class NetworkUnitOfWork(UnitOfWork, Protocol):
    #: the caller of the request (None: the service itself, e.g. the consumer or the seed)
    principal: Principal | None
    #: the tenant of the unit (seals and binds its signed copies, ADR 0082)
    tenant_id: uuid.UUID | None

    def __enter__(self) -> NetworkUnitOfWork: ...

    def add(self, *records: object) -> None: ...

    # -- referrals (ADR 0084) -------------------------------------------------------------------
    def referral(self, referral_id: uuid.UUID, *, lock: bool = False) -> Referral | None: ...
    def referral_steps(self, referral_id: uuid.UUID) -> list[ReferralStep]: ...
    def referrals_of(self, case_manager_id: str) -> list[Referral]: ...
    def referrals_to(self, partner_org_id: str) -> list[Referral]: ...
    def all_referrals(self) -> list[Referral]: ...
    def referrals_of_intake(self, intake_id: str, partner_org_id: str, *,
                            lock: bool = False) -> list[Referral]: ...
    def consents_of(self, intake_id: str) -> list[ConsentCopy]: ...
    def consent(self, consent_id: str) -> ConsentCopy | None: ...
    def case_copy(self, case_id: uuid.UUID) -> CaseCopy | None: ...
    def referrals_of_case(self, case_id: uuid.UUID) -> list[Referral]: ...
    # -- end of referrals -----------------------------------------------------------------------

    # -- the directory (HSDS 3.0: organisations, locations, services; ADR 0083) ------------------
    def get_organization(self, organization_id: uuid.UUID) -> Organization | None: ...

    def organizations_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Organization]: ...

    def locations_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Location]: ...

    def list_organizations(self) -> list[Organization]:
        """By name."""
        ...

    def save_organization(self, organization: Organization) -> None:
        """Insert a new organisation or write the new version of a known one."""

    def get_location(self, location_id: uuid.UUID) -> Location | None: ...

    def list_locations(self, organization_id: uuid.UUID | None = None) -> list[Location]: ...

    def save_location(self, location: Location) -> None: ...

    def get_service(self, service_id: uuid.UUID) -> DirectoryService | None: ...

    def services_at_location(self, location_id: uuid.UUID) -> list[DirectoryService]: ...

    def services_of_organization(self, organization_id: uuid.UUID) -> list[DirectoryService]: ...

    def all_services(self) -> list[DirectoryService]:
        """Every service of the tenant, active or not (the HSDS export)."""
        ...

    def save_service(self, service: DirectoryService) -> None:
        """Insert or write the new version, with its schedules, locations, search facets and
        full-text index."""

    def search_services(self, search: ServiceSearch) -> ServicePage:
        """Filtered, ranked by the text match (then by name and id), one page."""
        ...

    def directory_settings(self) -> DirectorySettings: ...

    def save_directory_settings(self, settings: DirectorySettings) -> None: ...
    # -- end of the directory ------------------------------------------------------------------

    # -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) --------------

    def add_agreement(self, agreement: Agreement) -> None: ...

    @property
    def signed_copies(self) -> SignedCopyRecords:
        """Signed copies of the agreements, sealed (ADR 0082)."""
        ...

    def get_agreement(self, agreement_id: uuid.UUID) -> Agreement | None:
        """The agreement, tracked: changes to it are written at ``commit()``."""
        ...

    def list_agreements(self) -> list[Agreement]:
        """All of the tenant's agreements, by title (a county has dozens, not thousands)."""
        ...

    def add_body(self, body: Body) -> None: ...

    def get_body(self, body_id: uuid.UUID) -> Body | None: ...

    def list_bodies(self, area_id: str | None = None) -> list[Body]: ...

    def add_meeting(self, meeting: Meeting) -> None: ...

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None: ...

    def list_meetings(self, body_id: uuid.UUID) -> list[Meeting]:
        """The body's meetings, the latest first."""
        ...

    def add_article(self, article: Article) -> None: ...

    def get_article(self, article_id: uuid.UUID) -> Article | None: ...

    def search_articles(self, text: str | None, topic_area: str | None, limit: int,
                        offset: int) -> tuple[list[Article], int]:
        """One page of the articles whose title or text holds ``text`` (case-insensitive),
        of ``topic_area``, the latest changed first; and how many there are in all."""
        ...

    def add_article_version(self, version: ArticleVersion) -> None: ...

    def article_versions(self, article_id: uuid.UUID) -> list[ArticleVersion]:
        """Every version of the article, the first first."""
        ...
