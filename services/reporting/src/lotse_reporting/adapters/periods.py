"""The 2-week reports' rows on SQLAlchemy (:class:`~..service_layer.period_store.PeriodRecords`),
mixed into the reporting unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.periods import CaseStep, Correction, Count, Period, PeriodReport, Topic
from .orm import periods, platform

CASE_MANAGER = "case_manager"


class SqlPeriodRecords:
    """Mixed into :class:`~.unit_of_work.SqlAlchemyReportingUnitOfWork` (its session, tenant
    and ``_run``)."""

    tenant_id: uuid.UUID | None
    session: Any
    #: the host's statement runner (the unit of work's ``_run``)
    _run: Callable[[Any], Any]

    def _dialect(self) -> str:
        return str(self.session.get_bind().dialect.name)

    def add_period_counts(self, counts: Iterable[Count]) -> None:
        t = periods.figures
        for count in counts:
            key = (t.c.tenant_id == self.tenant_id,
                   t.c.case_manager_id == count.case_manager_id,
                   t.c.period == count.period.label, t.c.figure == count.figure)
            updated = self._run(t.update().where(*key).values(count=t.c.count + count.amount))
            if not updated.rowcount:
                self._run(t.insert().values(tenant_id=self.tenant_id,
                                            case_manager_id=count.case_manager_id,
                                            period=count.period.label, figure=count.figure,
                                            count=count.amount))

    def add_case_step(self, step: CaseStep) -> None:
        self._run(periods.case_steps.insert().values(
            tenant_id=self.tenant_id, case_id=step.case_id, day=step.day,
            case_manager_id=step.case_manager_id, phase=step.phase, sequence=step.sequence))

    def period_counts(self, case_manager_id: str, period: Period) -> dict[str, int]:
        t = periods.figures
        rows = self._run(sa.select(t.c.figure, t.c.count).where(
            t.c.tenant_id == self.tenant_id, t.c.case_manager_id == case_manager_id,
            t.c.period == period.label)).all()
        return {r.figure: int(r.count) for r in rows}

    def case_steps(self, case_manager_id: str) -> list[CaseStep]:
        t = periods.case_steps
        theirs = sa.select(t.c.case_id).where(t.c.tenant_id == self.tenant_id,
                                              t.c.case_manager_id == case_manager_id)
        rows = self._run(sa.select(t).where(t.c.tenant_id == self.tenant_id,
                                            t.c.case_id.in_(theirs)).order_by(t.c.id)).all()
        return [CaseStep(r.case_id, _day(r.day), r.case_manager_id, r.phase, int(r.sequence))
                for r in rows]

    def _reports(self, *where: Any) -> list[PeriodReport]:
        t = periods.reports
        rows = self._run(sa.select(t).where(t.c.tenant_id == self.tenant_id, *where)
                         .order_by(t.c.case_manager_id)).all()
        return [PeriodReport(
            case_manager_id=r.case_manager_id, period=Period.parse(r.period), id=str(r.id),
            corrections={f: Correction(int(c["value"]), str(c["note"]))
                         for f, c in (r.corrections or {}).items()},
            topics=tuple(Topic(x["topic_area"], x["text"], bool(x["theme_candidate"]))
                         for x in (r.topics or [])),
            network_minutes=r.network_minutes, system_minutes=r.system_minutes,
            version=r.version, submitted_at=r.submitted_at, figures=dict(r.figures or {}))
            for r in rows]

    def period_report(self, case_manager_id: str, period: Period) -> PeriodReport | None:
        t = periods.reports
        found = self._reports(t.c.case_manager_id == case_manager_id, t.c.period == period.label)
        return found[0] if found else None

    def period_reports(self, period: Period) -> list[PeriodReport]:
        return self._reports(periods.reports.c.period == period.label)

    def put_period_report(self, report: PeriodReport) -> bool:
        t = periods.reports
        values = {
            "corrections": {f: {"value": c.value, "note": c.note}
                            for f, c in report.corrections.items()},
            "topics": [{"topic_area": x.topic_area, "text": x.text,
                        "theme_candidate": x.theme_candidate} for x in report.topics],
            "network_minutes": report.network_minutes, "system_minutes": report.system_minutes,
            "version": report.version, "submitted_at": report.submitted_at,
            "figures": dict(report.figures)}
        if report.version == 1:
            # two first saves at once: one inserts, the other is told (no unique-key error)
            insert = (postgresql.insert if self._dialect() == "postgresql" else sqlite.insert)(t)
            inserted = self._run(insert.values(
                tenant_id=self.tenant_id, case_manager_id=report.case_manager_id,
                period=report.period.label, id=uuid.UUID(report.id), **values)
                .on_conflict_do_nothing(index_elements=["tenant_id", "case_manager_id",
                                                        "period"]))
            return bool(inserted.rowcount)
        updated = self._run(t.update().where(
            t.c.tenant_id == self.tenant_id, t.c.case_manager_id == report.case_manager_id,
            t.c.period == report.period.label, t.c.version == report.version - 1)
            .values(**values))
        return bool(updated.rowcount)

    def case_managers(self) -> list[str]:
        t = platform.known_reference
        rows = self._run(sa.select(t.c.ref_id, t.c.roles).where(
            t.c.tenant_id == self.tenant_id, t.c.kind == "user", t.c.active.is_(True))).all()
        return sorted(r.ref_id for r in rows if CASE_MANAGER in (r.roles or ()))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
