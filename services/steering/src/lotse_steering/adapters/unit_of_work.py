"""Steering's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit) plus what
the handlers ask for (:class:`~lotse_steering.service_layer.unit_of_work.SteeringUnitOfWork`)."""

from __future__ import annotations

import uuid

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.cases import OPEN, CaseRecord
from ..domain.evidence import ReportedTopic
from ..domain.goal_systems import GoalSystem
from ..domain.project_groups import GroupMeeting, GroupMember, ProjectGroup, ResultPresentation
from ..domain.reconstructions import Reconstruction, Theme
from ..domain.service_chains import ServiceChain
from .forum_store import SqlForumStore
from .steering_group_store import SteeringGroupStore


class SqlAlchemySteeringUnitOfWork(SteeringGroupStore, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemySteeringUnitOfWork:
        super().__enter__()
        return self

    @property
    def forum(self) -> SqlForumStore:
        """The participation forum, its invitation list, information events, conference links."""
        return SqlForumStore(self.session, self.tenant_id)

    def case_record(self, case_id: str) -> CaseRecord | None:
        return self.session.get(CaseRecord, (self.tenant_id, case_id))

    def add_case_record(self, record: CaseRecord) -> None:
        record.tenant_id = self.tenant_id
        self.session.add(record)

    def case_records(self) -> list[CaseRecord]:
        return self.session.query(CaseRecord).order_by(CaseRecord.case_id).all()

    def open_case_records(self) -> list[CaseRecord]:
        return (self.session.query(CaseRecord).filter(CaseRecord.status == OPEN)
                .order_by(CaseRecord.case_id).all())

    def add_reconstruction(self, session: Reconstruction) -> None:
        session.tenant_id = self.tenant_id
        self.session.add(session)

    def get_reconstruction(self, reconstruction_id: uuid.UUID) -> Reconstruction | None:
        return self.session.get(Reconstruction, reconstruction_id)

    def list_reconstructions(self) -> list[Reconstruction]:
        return (self.session.query(Reconstruction)
                .order_by(Reconstruction.held_on.desc(), Reconstruction.recorded_at.desc())
                .all())

    def add_theme(self, theme: Theme) -> None:
        theme.tenant_id = self.tenant_id
        self.session.add(theme)

    def list_themes(self) -> list[Theme]:
        return self.session.query(Theme).order_by(Theme.proposed_on.desc(), Theme.title).all()

    def get_theme(self, theme_id: uuid.UUID) -> Theme | None:
        return self.session.get(Theme, theme_id)

    def reported_topic(self, candidate_id: str) -> ReportedTopic | None:
        return self.session.get(ReportedTopic, (self.tenant_id, candidate_id))

    def add_reported_topic(self, topic: ReportedTopic) -> None:
        topic.tenant_id = self.tenant_id
        self.session.add(topic)

    def list_reported_topics(self) -> list[ReportedTopic]:
        return (self.session.query(ReportedTopic)
                .order_by(ReportedTopic.flagged_on.desc(), ReportedTopic.candidate_id).all())

    # -- project groups (issue 13 step 4) --------------------------------------------------

    def add_project_group(self, group: ProjectGroup) -> None:
        group.tenant_id = self.tenant_id
        self.session.add(group)

    def get_project_group(self, group_id: uuid.UUID) -> ProjectGroup | None:
        return self.session.get(ProjectGroup, group_id)

    def list_project_groups(self) -> list[ProjectGroup]:
        return (self.session.query(ProjectGroup)
                .order_by(ProjectGroup.mandated_on.desc(), ProjectGroup.subject).all())

    def group_members(self, group_id: uuid.UUID) -> list[GroupMember]:
        return (self.session.query(GroupMember).filter(GroupMember.group_id == group_id)
                .order_by(GroupMember.position).all())

    def groups_of_member(self, user_id: str) -> set[uuid.UUID]:
        return {m.group_id for m in
                self.session.query(GroupMember).filter(GroupMember.user_id == user_id)}

    def replace_group_members(self, group_id: uuid.UUID, members: list[GroupMember]) -> None:
        for member in self.group_members(group_id):
            self.session.delete(member)
        self.session.flush()
        for member in members:
            member.tenant_id = self.tenant_id
            self.session.add(member)

    def add_group_meeting(self, meeting: GroupMeeting) -> None:
        meeting.tenant_id = self.tenant_id
        self.session.add(meeting)

    def group_meetings(self, group_id: uuid.UUID) -> list[GroupMeeting]:
        return (self.session.query(GroupMeeting).filter(GroupMeeting.group_id == group_id)
                .order_by(GroupMeeting.held_on, GroupMeeting.recorded_at).all())

    def goal_system(self, group_id: uuid.UUID) -> GoalSystem | None:
        return self.session.get(GoalSystem, group_id)

    def add_goal_system(self, goal_system: GoalSystem) -> None:
        goal_system.tenant_id = self.tenant_id
        self.session.add(goal_system)

    def service_chains(self, group_id: uuid.UUID) -> list[ServiceChain]:
        return (self.session.query(ServiceChain).filter(ServiceChain.group_id == group_id)
                .order_by(ServiceChain.title, ServiceChain.id).all())

    def service_chain(self, group_id: uuid.UUID, chain_id: uuid.UUID) -> ServiceChain | None:
        chain = self.session.get(ServiceChain, chain_id)
        return chain if chain is not None and chain.group_id == group_id else None

    def add_service_chain(self, chain: ServiceChain) -> None:
        chain.tenant_id = self.tenant_id
        self.session.add(chain)

    def group_result(self, group_id: uuid.UUID) -> ResultPresentation | None:
        return self.session.get(ResultPresentation, group_id)

    def add_group_result(self, result: ResultPresentation) -> None:
        result.tenant_id = self.tenant_id
        self.session.add(result)
