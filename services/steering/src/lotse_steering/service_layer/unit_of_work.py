"""What steering's handlers need of a unit of work: the platform's transaction, outbox and audit
trail (:class:`lotse_platform.uow.UnitOfWork`), the case projection fed by casework's events,
the reconstruction sessions and the proposed themes of one tenant.

This is the interface; the SQLAlchemy implementation is an adapter
(:class:`lotse_steering.adapters.unit_of_work.SqlAlchemySteeringUnitOfWork`), and the unit tests
use an in-memory one. The service layer never imports SQLAlchemy (``make lint`` checks it).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from lotse_platform.auth.principal import Principal
from lotse_platform.uow import UnitOfWork

from ..domain.cases import CaseRecord
from ..domain.evidence import ReportedTopic
from ..domain.goal_systems import GoalSystem
from ..domain.project_groups import GroupMeeting, GroupMember, ProjectGroup, ResultPresentation
from ..domain.reconstructions import Reconstruction, Theme
from ..domain.service_chains import ServiceChain
from .forum_store import ForumStore
from .steering_group_unit_of_work import SteeringGroupRecords


class SteeringUnitOfWork(UnitOfWork, SteeringGroupRecords, Protocol):
    #: the caller of the request (None: the service itself, e.g. the consumer or the seed)
    principal: Principal | None

    def __enter__(self) -> SteeringUnitOfWork: ...

    @property
    def forum(self) -> ForumStore:
        """The participation forum, its invitation list, information events, conference links."""
        ...

    def case_record(self, case_id: str) -> CaseRecord | None: ...

    def add_case_record(self, record: CaseRecord) -> None: ...

    def case_records(self) -> list[CaseRecord]:
        """Every case of the tenant the projection knows (open, closed, transferred)."""
        ...

    def open_case_records(self) -> list[CaseRecord]:
        """The tenant's open cases: what the candidate rule reads."""
        ...

    def add_reconstruction(self, session: Reconstruction) -> None: ...

    def get_reconstruction(self, reconstruction_id: uuid.UUID) -> Reconstruction | None: ...

    def list_reconstructions(self) -> list[Reconstruction]:
        """Newest session first."""
        ...

    def add_theme(self, theme: Theme) -> None: ...

    def list_themes(self) -> list[Theme]: ...

    def get_theme(self, theme_id: uuid.UUID) -> Theme | None: ...

    def reported_topic(self, candidate_id: str) -> ReportedTopic | None: ...

    def add_reported_topic(self, topic: ReportedTopic) -> None: ...

    def list_reported_topics(self) -> list[ReportedTopic]:
        """Newest first."""
        ...

    # -- project groups (issue 13 step 4, ADR 0096) ------------------------------------------

    def add_project_group(self, group: ProjectGroup) -> None: ...

    def get_project_group(self, group_id: uuid.UUID) -> ProjectGroup | None: ...

    def list_project_groups(self) -> list[ProjectGroup]:
        """Newest mandate first."""
        ...

    def group_members(self, group_id: uuid.UUID) -> list[GroupMember]:
        """In the order the office listed them."""
        ...

    def groups_of_member(self, user_id: str) -> set[uuid.UUID]:
        """The groups the user is a member of."""
        ...

    def replace_group_members(self, group_id: uuid.UUID, members: list[GroupMember]) -> None: ...

    def add_group_meeting(self, meeting: GroupMeeting) -> None: ...

    def group_meetings(self, group_id: uuid.UUID) -> list[GroupMeeting]:
        """Oldest first."""
        ...

    def goal_system(self, group_id: uuid.UUID) -> GoalSystem | None: ...

    def add_goal_system(self, goal_system: GoalSystem) -> None: ...

    def service_chains(self, group_id: uuid.UUID) -> list[ServiceChain]: ...

    def service_chain(self, group_id: uuid.UUID, chain_id: uuid.UUID) -> ServiceChain | None:
        """The group's chain (None for another group's)."""
        ...

    def add_service_chain(self, chain: ServiceChain) -> None: ...

    def group_result(self, group_id: uuid.UUID) -> ResultPresentation | None: ...

    def add_group_result(self, result: ResultPresentation) -> None: ...
