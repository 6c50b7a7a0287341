"""Steering's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit) plus what
the handlers ask for (:class:`~lotse_steering.service_layer.unit_of_work.SteeringUnitOfWork`)."""

from __future__ import annotations

import uuid

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.cases import OPEN, CaseRecord
from ..domain.evidence import ReportedTopic
from ..domain.reconstructions import Reconstruction, Theme
from .steering_group_store import SteeringGroupStore


class SqlAlchemySteeringUnitOfWork(SteeringGroupStore, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemySteeringUnitOfWork:
        super().__enter__()
        return self

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
