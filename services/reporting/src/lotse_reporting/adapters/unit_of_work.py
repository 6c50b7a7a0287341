"""The reporting service's unit of work on SQLAlchemy: the platform's (transaction, audit) plus
the event store and the projections' rows
(:class:`~lotse_reporting.service_layer.unit_of_work.ReportingUnitOfWork`), and the catalogue of
tenants and projection versions across tenants."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lotse_platform.db.engine import is_postgres
from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.projections import CaseRow, ReferralRow
from ..domain.referral_rates import ReferralRateRow
from ..domain import standard
from ..domain.standard import (ENDED, CaseCount, CaseReportRow, CaseTallies, EffortCount, Fact, FactTotal,
                               Filters, IntakeRow, PhaseEntry, ReferralCount, ReferralTotal,
                               ScreeningCount, StaffRow, month_of)
from ..service_layer import projection_batch as batch
from ..service_layer.unit_of_work import StoredEvent
from .administration import AdministrationStore
from .periods import SqlPeriodRecords
from .orm import (PROJECTION_TABLES, case_projection, case_report_projection, event_store,
                  intake_report_projection, periods, phase_entry, projection_versions,
                  referral_projection, referral_rate_projection, report_fact, staff_projection)


def _groups(value: tuple[str, ...]) -> str:
    return " ".join(value)


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split())


def _next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


#: PostgreSQL's memory for the sorts and hashes of one report's transaction: a county's year of
#: contacts grouped per case without spilling to disk
REPORT_WORK_MEM = "32MB"

#: the first key of reporting's advisory locks (the second: the tenant's hash)
LOCK_SPACE = 8706


class SqlAlchemyReportingUnitOfWork(AdministrationStore, SqlPeriodRecords, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyReportingUnitOfWork:
        super().__enter__()
        self._locked = False
        self._to_project: list[tuple[StoredEvent, Any]] = []
        self._replay: Callable[..., None] | None = None
        return self

    def store_at_commit(self, stored: StoredEvent, message: Any,
                        replay: Callable[..., None]) -> None:
        self._to_project.append((stored, message))
        self._replay = replay

    def lock_projections(self) -> None:
        """Hold the tenant's projections until this transaction ends (PostgreSQL: a
        transaction-level advisory lock, taken once per unit of work). Consumers and a rebuild
        of the same tenant take turns, so no update of a row is lost and a rebuild sees every
        event committed before it. SQLite has one writer at a time anyway."""
        if self._locked:
            return
        bind = self.session.get_bind()
        if bind.dialect.name == "postgresql":
            self._run(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:tenant))")
                      .bindparams(space=LOCK_SPACE, tenant=str(self.tenant_id)))
        self._locked = True

    def commit(self) -> None:
        if self._to_project and self._replay is not None:
            deferred, self._to_project = self._to_project, []
            new = self.append_events([stored for stored, _ in deferred])
            fresh = []
            for stored, message in deferred:
                if stored.event_id in new:
                    new.discard(stored.event_id)  # the same event twice: once
                    fresh.append((stored, message))
            self._replay(self, fresh)
        super().commit()
        self._locked = False

    def rollback(self) -> None:
        self._to_project = []
        super().rollback()
        self._locked = False

    def _mine(self, table: sa.Table) -> sa.ColumnElement[bool]:
        """The tenant's rows (row-level security says so too on PostgreSQL; SQLite has none,
        and Core statements are not filtered by the session)."""
        return table.c.tenant_id == self.tenant_id

    def _run(self, statement: Any) -> Any:
        return self.session.execute(statement)

    def append_event(self, event: StoredEvent) -> bool:
        # one statement: RETURNING, not rowcount (drivers report -1 for ON CONFLICT DO NOTHING)
        insert = (postgresql.insert if self._postgres() else sqlite.insert)(event_store)
        stored = self._run(insert.values(
            tenant_id=self.tenant_id, event_id=event.event_id, type=event.type,
            source=event.source, subject=event.subject, sequence=event.sequence,
            occurred_at=event.occurred_at, payload=event.payload)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(event_store.c.position)).first()
        return stored is not None

    def append_events(self, events: list[StoredEvent]) -> set[uuid.UUID]:
        if not self._postgres():
            return {e.event_id for e in events if self.append_event(e)}
        statement = sa.text(
            "INSERT INTO event_store (tenant_id, event_id, type, source, subject, sequence, "
            "occurred_at, payload) SELECT :tenant_id, * FROM unnest(CAST(:ids AS uuid[]), "
            "CAST(:types AS varchar[]), CAST(:sources AS varchar[]), CAST(:subjects AS varchar[]),"
            " CAST(:sequences AS bigint[]), CAST(:times AS timestamptz[]), "
            "CAST(:payloads AS bytea[])) ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
        return {uuid.UUID(str(i)) for i in self.session.execute(statement, {
                "tenant_id": self.tenant_id, "ids": [e.event_id for e in events],
                "types": [e.type for e in events], "sources": [e.source for e in events],
                "subjects": [e.subject for e in events],
                "sequences": [e.sequence for e in events],
                "times": [e.occurred_at for e in events],
                "payloads": [e.payload for e in events]}).scalars()}

    def stored_events(self, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        rows = self._run(sa.select(event_store).where(self._mine(event_store),
                                                       event_store.c.position > after)
                         .order_by(event_store.c.position).limit(limit)).all()
        return [StoredEvent(event_id=r.event_id, type=r.type, source=r.source,
                            subject=r.subject, sequence=r.sequence, occurred_at=r.occurred_at,
                            payload=bytes(r.payload), position=r.position) for r in rows]

    def stored_events_of(self, event_type: str) -> list[StoredEvent]:
        rows = self._run(sa.select(event_store).where(self._mine(event_store),
                                                       event_store.c.type == event_type)
                         .order_by(event_store.c.position)).all()
        return [StoredEvent(event_id=r.event_id, type=r.type, source=r.source,
                            subject=r.subject, sequence=r.sequence, occurred_at=r.occurred_at,
                            payload=bytes(r.payload), position=r.position) for r in rows]

    def stored_count(self) -> int:
        return int(self._run(sa.select(sa.func.count()).select_from(event_store)
                                 .where(self._mine(event_store))).scalar_one())

    def case_row(self, case_id: str) -> CaseRow | None:
        row = self._run(sa.select(case_projection)
                        .where(self._mine(case_projection), case_projection.c.case_id == case_id)).first()
        return None if row is None else CaseRow(row.case_id, row.area_id, row.phase,
                                                row.area_seq, row.phase_seq)

    def put_case_row(self, row: CaseRow) -> None:
        values = {"area_id": row.area_id, "phase": row.phase, "area_seq": row.area_seq,
                  "phase_seq": row.phase_seq}
        self._upsert(case_projection, case_projection.c.case_id, row.case_id, values)

    def referral_row(self, referral_id: str) -> ReferralRow | None:
        row = self._run(sa.select(referral_projection)
                        .where(self._mine(referral_projection),
                               referral_projection.c.referral_id == referral_id)).first()
        return None if row is None else ReferralRow(row.referral_id, row.partner_org_id,
                                                    row.topic_area, row.status, row.arrived)

    def put_referral_row(self, row: ReferralRow) -> None:
        values = {"partner_org_id": row.partner_org_id, "topic_area": row.topic_area,
                  "status": row.status, "arrived": row.arrived}
        self._upsert(referral_projection, referral_projection.c.referral_id, row.referral_id,
                     values)

    def _upsert(self, table: sa.Table, key: sa.Column[Any], value: str,
                values: dict[str, Any]) -> None:
        updated = self._run(table.update().where(self._mine(table), key == value).values(**values))
        if not updated.rowcount:
            self._run(table.insert().values(tenant_id=self.tenant_id, **{key.name: value},
                                            **values))

    def clear_projection(self, name: str) -> None:
        self._run(PROJECTION_TABLES[name].delete().where(self._mine(PROJECTION_TABLES[name])))

    def cases_by_area_and_phase(self) -> list[tuple[str, str, int]]:
        c = case_projection.c
        rows = self._run(sa.select(c.area_id, c.phase, sa.func.count())
                         .where(self._mine(case_projection), c.phase != "").group_by(c.area_id, c.phase)
                         .order_by(c.area_id, c.phase)).all()
        return [(r[0], r[1], int(r[2])) for r in rows]

    def referrals_by_partner(self) -> list[tuple[str, str, str, int, int]]:
        c = referral_projection.c
        arrived = sa.func.sum(sa.case((c.arrived, 1), else_=0))
        rows = self._run(sa.select(c.partner_org_id, c.topic_area, c.status, sa.func.count(),
                                   arrived).where(self._mine(referral_projection))
                         .group_by(c.partner_org_id, c.topic_area, c.status)
                         .order_by(c.partner_org_id, c.topic_area, c.status)).all()
        return [(r[0], r[1], r[2], int(r[3]), int(r[4] or 0)) for r in rows]

    # -- the standard reports' rows (domain/standard.py) -----------------------------------------
    def _one(self, table: sa.Table, key: sa.Column[Any], value: str) -> Any:
        return self._run(sa.select(table).where(self._mine(table), key == value)).first()

    def _all(self, table: sa.Table, *where: sa.ColumnElement[bool]) -> list[Any]:
        return list(self._run(sa.select(table).where(self._mine(table), *where)
                              .order_by(*table.primary_key.columns)).all())

    @staticmethod
    def _intake(r: Any) -> IntakeRow:
        return IntakeRow(r.intake_id, r.area_id, r.access_path, r.contact_date, r.recorded_by,
                         r.depth, r.revision, r.referral_org_id, r.decided_by, r.decided_on,
                         _split(r.target_group_ids))

    def count_in_memory(self) -> None:
        if self._postgres():  # for this transaction only: the consumer keeps the default
            self._run(sa.select(sa.func.set_config("work_mem", REPORT_WORK_MEM, True)))

    @staticmethod
    def _narrowed(query: Any, filters: Filters, area: Any, person: Any, groups: Any) -> Any:
        """``query`` held to the filters' area, case managers and target group (one of the
        space-separated ids in ``groups``) — :class:`Filters`' rules in SQL."""
        if filters.area_id is not None:
            query = query.where(area == filters.area_id)
        if filters.case_managers is not None:
            query = query.where(person.in_(sorted(filters.case_managers)))
        if filters.target_group_id is not None:
            # ``||``, not concat(): SQLite (embedded mode) has no concat function
            query = query.where((sa.literal(" ", sa.String) + groups + " ").contains(
                f" {filters.target_group_id} ", autoescape=True))
        return query

    def screening_counts(self, filters: Filters) -> list[ScreeningCount]:
        t = intake_report_projection.c
        who = sa.func.coalesce(sa.func.nullif(t.decided_by, ""), t.recorded_by)
        query = sa.select(t.access_path, t.depth, t.referral_org_id, sa.func.count()).where(
            self._mine(intake_report_projection), t.access_path != "")
        if filters.date_from is not None:
            query = query.where(t.contact_date >= filters.date_from)
        if filters.date_to is not None:
            query = query.where(t.contact_date <= filters.date_to)
        query = self._narrowed(query, filters, t.area_id, who, t.target_group_ids)
        keys = (t.access_path, t.depth, t.referral_org_id)
        return [(r[0], r[1], r[2], int(r[3]))
                for r in self._run(query.group_by(*keys).order_by(*keys)).all()]

    def case_counts(self, filters: Filters) -> list[CaseCount]:
        t = case_report_projection.c
        query = self._cases_in(sa.select(t.case_manager_id, t.primary_topic_area,
                                         t.target_group_ids, sa.func.count()), filters)
        keys = (t.case_manager_id, t.primary_topic_area, t.target_group_ids)
        return [(r[0], r[1], _split(r[2]), int(r[3]))
                for r in self._run(query.group_by(*keys).order_by(*keys)).all()]

    def _cases_in(self, query: Any, filters: Filters) -> Any:
        """``query`` held to the cases in case management in ``filters``
        (:func:`~lotse_reporting.domain.standard.in_case_management`' rule)."""
        t = case_report_projection.c
        query = query.where(self._mine(case_report_projection), t.phase != "")
        if filters.date_from is None and filters.date_to is None:
            query = query.where(t.phase.not_in(ENDED))  # open now
        else:  # open at any time in the period
            query = query.where(t.phase != "transferred")
            if filters.date_to is not None:
                query = query.where(sa.or_(t.opened_on.is_(None), t.opened_on <= filters.date_to))
            if filters.date_from is not None:
                query = query.where(sa.or_(t.closed_on.is_(None),
                                           t.closed_on >= filters.date_from))
        return self._narrowed(query, filters, t.area_id, t.case_manager_id, t.target_group_ids)

    def case_tallies(self, filters: Filters) -> CaseTallies:
        """PostgreSQL: :meth:`case_counts`' cases grouped twice in one pass (grouping sets: per
        topic area, per case manager and target groups); SQLite (the embedded demo): its
        groups tallied in Python."""
        if not self._postgres():
            return standard.case_tallies(self.case_counts(filters))
        t = case_report_projection.c
        per_topic = sa.func.grouping(t.primary_topic_area)
        query = self._cases_in(sa.select(t.case_manager_id, t.primary_topic_area,
                                         t.target_group_ids, sa.func.count(), per_topic),
                               filters)
        rows = self._run(query.group_by(sa.func.grouping_sets(
            sa.tuple_(t.case_manager_id, t.target_group_ids),
            sa.tuple_(t.primary_topic_area)))).all()
        topics = sorted((r[1], int(r[3])) for r in rows if r[4] == 0)
        managers = sorted((r[0], _split(r[2]), int(r[3])) for r in rows if r[4] != 0)
        return topics, managers

    def intake_report_row(self, intake_id: str) -> IntakeRow | None:
        found = self._one(intake_report_projection, intake_report_projection.c.intake_id,
                          intake_id)
        return None if found is None else self._intake(found)

    def put_intake_report_row(self, row: IntakeRow) -> None:
        self._upsert(intake_report_projection, intake_report_projection.c.intake_id,
                     row.intake_id, self._intake_values(row))

    @staticmethod
    def _intake_values(row: IntakeRow) -> dict[str, Any]:
        return {"area_id": row.area_id, "access_path": row.access_path,
                "contact_date": row.contact_date, "recorded_by": row.recorded_by,
                "depth": row.depth, "revision": row.revision,
                "referral_org_id": row.referral_org_id, "decided_by": row.decided_by,
                "decided_on": row.decided_on,
                "target_group_ids": _groups(row.target_group_ids)}

    def intake_report_rows(self) -> list[IntakeRow]:
        return [self._intake(r) for r in self._all(intake_report_projection)]

    @staticmethod
    def _case(r: Any) -> CaseReportRow:
        return CaseReportRow(r.case_id, r.area_id, r.case_manager_id, _split(r.target_group_ids),
                             r.primary_topic_area, r.phase, r.opened_on, r.closed_on,
                             r.facts_seq, r.phase_seq)

    def case_report_row(self, case_id: str) -> CaseReportRow | None:
        found = self._one(case_report_projection, case_report_projection.c.case_id, case_id)
        return None if found is None else self._case(found)

    def put_case_report_row(self, row: CaseReportRow) -> None:
        self._upsert(case_report_projection, case_report_projection.c.case_id, row.case_id,
                     self._case_values(row))

    @staticmethod
    def _case_values(row: CaseReportRow) -> dict[str, Any]:
        return {"area_id": row.area_id, "case_manager_id": row.case_manager_id,
                "target_group_ids": _groups(row.target_group_ids),
                "primary_topic_area": row.primary_topic_area, "phase": row.phase,
                "opened_on": row.opened_on, "closed_on": row.closed_on,
                "facts_seq": row.facts_seq, "phase_seq": row.phase_seq}

    def case_report_rows(self) -> list[CaseReportRow]:
        return [self._case(r) for r in self._all(case_report_projection)]

    @staticmethod
    def _staff(r: Any) -> StaffRow:
        return StaffRow(r.user_id, r.organisation_id, r.fte, r.case_manager, r.org_version,
                        r.fte_version, r.roles_version)

    def staff_row(self, user_id: str) -> StaffRow | None:
        found = self._one(staff_projection, staff_projection.c.user_id, user_id)
        return None if found is None else self._staff(found)

    def put_staff_row(self, row: StaffRow) -> None:
        self._upsert(staff_projection, staff_projection.c.user_id, row.user_id,
                     self._staff_values(row))

    @staticmethod
    def _staff_values(row: StaffRow) -> dict[str, Any]:
        return {"organisation_id": row.organisation_id, "fte": row.fte,
                "case_manager": row.case_manager, "org_version": row.org_version,
                "fte_version": row.fte_version, "roles_version": row.roles_version}

    def staff_rows(self) -> list[StaffRow]:
        return [self._staff(r) for r in self._all(staff_projection)]

    @staticmethod
    def _fact(r: Any) -> Fact:
        return Fact(r.fact_id, r.figure, r.month, r.key, r.detail, r.area_id, r.case_manager_id,
                    _split(r.target_group_ids), r.value, r.rank, r.subject)

    def fact(self, fact_id: str) -> Fact | None:
        found = self._one(report_fact, report_fact.c.fact_id, fact_id)
        return None if found is None else self._fact(found)

    def put_fact(self, fact: Fact) -> None:
        self._upsert(report_fact, report_fact.c.fact_id, fact.fact_id, self._fact_values(fact))

    @staticmethod
    def _fact_values(fact: Fact) -> dict[str, Any]:
        return {"figure": fact.figure, "month": fact.month, "key": fact.key,
                "detail": fact.detail, "area_id": fact.area_id,
                "case_manager_id": fact.case_manager_id,
                "target_group_ids": _groups(fact.target_group_ids), "value": fact.value,
                "rank": fact.rank, "subject": fact.subject}

    def _facts_in(self, figure: str, filters: Filters | None) -> list[sa.ColumnElement[bool]]:
        t = report_fact.c
        where = [t.figure == figure]
        if filters is not None and filters.date_from is not None:
            where.append(t.month >= month_of(filters.date_from))
        if filters is not None and filters.date_to is not None:
            where.append(t.month <= month_of(filters.date_to))
        return where

    def facts(self, figure: str, filters: Filters | None = None) -> list[Fact]:
        query = sa.select(report_fact).where(self._mine(report_fact),
                                             *self._facts_in(figure, filters))
        if filters is not None:
            t = report_fact.c
            query = self._narrowed(query, filters, t.area_id, t.case_manager_id,
                                   t.target_group_ids)
        return [self._fact(r) for r in self._run(query.order_by(report_fact.c.fact_id)).all()]

    def effort_counts(self, filters: Filters) -> list[EffortCount]:
        t = report_fact.c
        appointment = sa.case((t.detail == "appointment", 1), else_=0)
        per_case = self._narrowed(
            sa.select(t.key.label("phase"), sa.func.count().label("contacts"),
                      sa.func.sum(appointment).label("appointments"),
                      sa.func.sum(t.value).label("minutes"))
            .where(self._mine(report_fact), *self._facts_in("contacts", filters)),
            filters, t.area_id, t.case_manager_id, t.target_group_ids,
        ).group_by(t.key, t.subject).subquery()
        c = per_case.c
        keys = (c.phase, c.contacts, c.appointments)
        rows = self._run(sa.select(*keys, sa.func.count(), sa.func.sum(c.minutes))
                         .group_by(*keys).order_by(*keys)).all()
        return [(r[0], int(r[1]), int(r[2] or 0), int(r[3]), int(r[4] or 0)) for r in rows]

    def referral_counts(self, filters: Filters) -> list[ReferralCount]:
        t = report_fact.c

        def reached(*states: str) -> Any:
            return sa.func.max(sa.case(
                (sa.or_(*(t.detail.endswith(f"/{state}", autoescape=True) for state in states)),
                 1), else_=0))

        per_referral = self._narrowed(
            sa.select(t.key.label("partner"), sa.func.min(t.detail).label("detail"),
                      reached("sent").label("sent"),
                      reached("accepted", "arrived").label("accepted"),
                      reached("arrived").label("arrived"))
            .where(self._mine(report_fact), *self._facts_in("referrals", filters)),
            filters, t.area_id, t.case_manager_id, t.target_group_ids,
        ).group_by(t.key, sa.func.coalesce(sa.func.nullif(t.subject, ""), t.fact_id)).subquery()
        c = per_referral.c
        keys = (c.partner, c.detail, c.sent, c.accepted, c.arrived)
        rows = self._run(sa.select(*keys, sa.func.count()).group_by(*keys).order_by(*keys))
        return [(r[0], r[1], bool(r[2]), bool(r[3]), bool(r[4]), int(r[5])) for r in rows]

    def referral_totals(self, filters: Filters) -> list[ReferralTotal]:
        """One grouped select over the referral rates' rows (one per referral, ADR 0101): the
        referrals sent in the period's months, narrowed, counted per partner, kind and topic
        area — on PostgreSQL and SQLite alike."""
        t = referral_rate_projection.c
        query = sa.select(t.partner_org_id, t.kind, t.topic_area,
                          sa.func.sum(sa.case((sa.or_(t.sent, t.accepted), 1), else_=0)),
                          sa.func.sum(sa.case((t.accepted, 1), else_=0)),
                          sa.func.sum(sa.case((t.arrived, 1), else_=0))
                          ).where(self._mine(referral_rate_projection))
        if filters.date_from is not None:
            query = query.where(t.month >= month_of(filters.date_from))
        if filters.date_to is not None:
            query = query.where(t.month <= month_of(filters.date_to))
        query = self._narrowed(query, filters, t.area_id, t.case_manager_id, t.target_group_ids)
        keys = (t.partner_org_id, t.kind, t.topic_area)
        rows = self._run(query.group_by(*keys)).all()
        # sorted in Python: byte order, as the rule sorts (the database's collation may not be)
        return sorted((r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5])) for r in rows)

    @staticmethod
    def _referral_rate(r: Any) -> ReferralRateRow:
        return ReferralRateRow(r.referral_id, r.partner_org_id, r.kind, r.topic_area, r.month,
                               r.case_manager_id, r.area_id, _split(r.target_group_ids),
                               r.sent, r.accepted, r.arrived, r.step)

    @staticmethod
    def _referral_rate_values(row: ReferralRateRow) -> dict[str, Any]:
        return {"partner_org_id": row.partner_org_id, "kind": row.kind,
                "topic_area": row.topic_area, "month": row.month,
                "case_manager_id": row.case_manager_id, "area_id": row.area_id,
                "target_group_ids": _groups(row.target_group_ids), "sent": row.sent,
                "accepted": row.accepted, "arrived": row.arrived, "step": row.step}

    def referral_rate_row(self, referral_id: str) -> ReferralRateRow | None:
        found = self._one(referral_rate_projection, referral_rate_projection.c.referral_id,
                          referral_id)
        return None if found is None else self._referral_rate(found)

    def put_referral_rate_row(self, row: ReferralRateRow) -> None:
        self._upsert(referral_rate_projection, referral_rate_projection.c.referral_id,
                     row.referral_id, self._referral_rate_values(row))

    def referral_rate_rows(self) -> list[ReferralRateRow]:
        return [self._referral_rate(r) for r in self._all(referral_rate_projection)]

    def fact_totals(self, figure: str, filters: Filters) -> list[FactTotal]:
        t = report_fact.c
        query = sa.select(t.month, t.key, t.detail, sa.func.count(), sa.func.sum(t.value)).where(
            self._mine(report_fact), *self._facts_in(figure, filters))
        query = self._narrowed(query, filters, t.area_id, t.case_manager_id, t.target_group_ids)
        keys = (t.month, t.key, t.detail)
        return [(r[0], r[1], r[2], int(r[3]), int(r[4] or 0))
                for r in self._run(query.group_by(*keys).order_by(*keys)).all()]

    def phase_duration_totals(self, filters: Filters) -> list[FactTotal]:
        """Per case in casework's order (sequence, then day) the entries that change the phase
        (a window's ``lag``), each paired with the next such (``lead``: the day it was left),
        the case's facts joined, narrowed, counted and summed by the database."""
        e = phase_entry.c
        # (case, sequence) is the key: casework's order needs no day to break ties, and the
        # key's index gives the windows their order without a sort
        order = e.sequence
        ordered = sa.select(
            e.case_id, e.phase, e.day,
            sa.func.lag(e.phase).over(partition_by=e.case_id, order_by=order).label("before"),
            e.sequence).where(self._mine(phase_entry)).subquery()
        o = ordered.c
        steps = sa.select(
            o.case_id, o.phase, o.day,
            sa.func.lead(o.day).over(partition_by=o.case_id,
                                     order_by=o.sequence).label("left_on"),
        ).where(sa.or_(o.before.is_(None), o.phase != o.before)).subquery()
        s, c = steps.c, case_report_projection.c
        if self._postgres():
            month = sa.func.to_char(s.left_on, "YYYY-MM")
            days: Any = s.left_on - s.day
        else:
            month = sa.func.strftime("%Y-%m", s.left_on)
            days = sa.cast(sa.func.julianday(s.left_on) - sa.func.julianday(s.day), sa.Integer)
        month = month.label("month")
        area = sa.func.coalesce(c.area_id, "")
        query = sa.select(month, s.phase, sa.func.count(), sa.func.sum(
            sa.case((days > 0, days), else_=0))).select_from(steps.outerjoin(
                case_report_projection, sa.and_(self._mine(case_report_projection),
                                                c.case_id == s.case_id))
        ).where(s.left_on.is_not(None))
        # the months of the period as days (a day's month is in the period when the day is)
        if filters.date_from is not None:
            query = query.where(s.left_on >= filters.date_from.replace(day=1))
        if filters.date_to is not None:
            query = query.where(s.left_on < _next_month(filters.date_to))
        query = self._narrowed(query, filters, area, sa.func.coalesce(c.case_manager_id, ""),
                               sa.func.coalesce(c.target_group_ids, ""))
        rows = self._run(query.group_by(month, s.phase)).all()
        return sorted((r[0], r[1], "", int(r[2]), int(r[3] or 0)) for r in rows)

    def put_phase_entry(self, entry: PhaseEntry) -> None:
        c = phase_entry.c
        known = self._run(sa.select(c.phase).where(self._mine(phase_entry),
                                                   c.case_id == entry.case_id,
                                                   c.sequence == entry.sequence)).first()
        if known is None:
            self._run(phase_entry.insert().values(tenant_id=self.tenant_id,
                                                  case_id=entry.case_id,
                                                  sequence=entry.sequence, phase=entry.phase,
                                                  day=entry.day))

    def phase_entries(self) -> list[PhaseEntry]:
        return [PhaseEntry(r.case_id, r.sequence, r.phase, r.day)
                for r in self._all(phase_entry)]

    # -- a batch of a rebuild: its rows read once, written once (service_layer/projection_batch)
    def _kinds(self) -> dict[str, tuple[sa.Table, str, Any, Any]]:
        """kind → (table, key column, row from a result row, values of a row)."""
        return {
            batch.CASE: (case_projection, "case_id",
                       lambda r: CaseRow(r.case_id, r.area_id, r.phase, r.area_seq,
                                         r.phase_seq),
                       lambda row: {"case_id": row.case_id, "area_id": row.area_id,
                                    "phase": row.phase, "area_seq": row.area_seq,
                                    "phase_seq": row.phase_seq}),
            batch.REFERRAL: (referral_projection, "referral_id",
                           lambda r: ReferralRow(r.referral_id, r.partner_org_id,
                                                 r.topic_area, r.status, r.arrived),
                           lambda row: {"referral_id": row.referral_id,
                                        "partner_org_id": row.partner_org_id,
                                        "topic_area": row.topic_area, "status": row.status,
                                        "arrived": row.arrived}),
            batch.INTAKE: (intake_report_projection, "intake_id", self._intake,
                         lambda row: {"intake_id": row.intake_id,
                                      **self._intake_values(row)}),
            batch.CASE_REPORT: (case_report_projection, "case_id", self._case,
                              lambda row: {"case_id": row.case_id,
                                           **self._case_values(row)}),
            batch.STAFF: (staff_projection, "user_id", self._staff,
                        lambda row: {"user_id": row.user_id, **self._staff_values(row)}),
            batch.FACT: (report_fact, "fact_id", self._fact,
                       lambda row: {"fact_id": row.fact_id, **self._fact_values(row)}),
            batch.REFERRAL_RATE: (referral_rate_projection, "referral_id", self._referral_rate,
                                lambda row: {"referral_id": row.referral_id,
                                             **self._referral_rate_values(row)}),
        }

    def _postgres(self) -> bool:
        return bool(self.session.get_bind().dialect.name == "postgresql")

    def _among(self, column: sa.Column[Any], keys: list[Any]) -> sa.ColumnElement[bool]:
        """``column`` is one of ``keys`` (PostgreSQL: one array parameter)."""
        if self._postgres():
            return column == sa.any_(sa.bindparam(None, keys,
                                                  type_=postgresql.ARRAY(column.type)))
        return column.in_(keys)

    def projection_rows(self, wanted: dict[str, set[Any]]) -> dict[str, dict[Any, Any]]:
        found: dict[str, dict[Any, Any]] = {}
        for kind, (table, key, to_row, _values) in self._kinds().items():
            keys = sorted(wanted.get(kind, ()))
            found[kind] = {}
            if keys:
                for r in self._run(sa.select(table).where(self._mine(table),
                                                          self._among(table.c[key], keys))):
                    found[kind][getattr(r, key)] = to_row(r)
        entries = wanted.get(batch.PHASE_ENTRY, set())
        found[batch.PHASE_ENTRY] = {}
        if entries:
            c = phase_entry.c
            rows = self._run(sa.select(phase_entry).where(
                self._mine(phase_entry), self._among(c.case_id, sorted({k[0] for k in entries}))))
            for r in rows:
                if (r.case_id, r.sequence) in entries:
                    found[batch.PHASE_ENTRY][(r.case_id, r.sequence)] = PhaseEntry(
                        r.case_id, r.sequence, r.phase, r.day)
        return found

    def _write_many(self, table: sa.Table, rows: list[dict[str, Any]], conflict: str) -> None:
        """Insert ``rows`` (without the tenant: the unit of work's) into ``table``; on a key
        already there ``conflict`` says: ``update`` (the new values), ``nothing`` or ``add``
        (``count`` added). PostgreSQL: one statement, a column an array (``unnest``), prepared
        once whatever the number of rows; SQLite: ``executemany``."""
        if not rows:
            return
        names = list(rows[0])
        keys = [c.name for c in table.primary_key.columns if c.name in (*names, "tenant_id")]
        if not self._postgres():
            insert = sqlite.insert(table)
            statement = (insert.on_conflict_do_nothing() if conflict == "nothing" else
                         insert.on_conflict_do_update(index_elements=keys, set_=(
                             {"count": table.c.count + insert.excluded["count"]}
                             if conflict == "add" else
                             {n: insert.excluded[n] for n in names if n not in keys})))
            self.session.execute(statement, [{"tenant_id": self.tenant_id, **r} for r in rows])
            return
        dialect = postgresql.dialect()
        arrays = ", ".join(f"CAST(:{n} AS {table.c[n].type.compile(dialect=dialect)}[])"
                           for n in names)
        if conflict == "nothing":
            action = "DO NOTHING"
        elif conflict == "add":
            action = (f"({', '.join(keys)}) DO UPDATE SET count = {table.name}.count + "
                      "excluded.count")
        else:
            action = (f"({', '.join(keys)}) DO UPDATE SET "
                      + ", ".join(f"{n} = excluded.{n}" for n in names if n not in keys))
        statement = sa.text(
            f"INSERT INTO {table.name} (tenant_id, {', '.join(names)}) "  # noqa: S608 - names
            f"SELECT :tenant_id, * FROM unnest({arrays}) ON CONFLICT {action}")  # of our tables
        self.session.execute(statement, {"tenant_id": self.tenant_id,
                                         **{n: [r[n] for r in rows] for n in names}})

    def write_projection_rows(self, changes: batch.Changes) -> None:
        for kind, (table, _key, _to_row, values) in self._kinds().items():
            self._write_many(table, [values(row) for row in changes.rows[kind].values()],
                             "update")
        self._write_many(periods.figures, [
            {"case_manager_id": manager, "period": period, "figure": figure, "count": amount}
            for (manager, period, figure), amount in changes.counts.items()], "add")
        self._write_many(periods.case_steps, [
            {"case_id": s.case_id, "day": s.day, "case_manager_id": s.case_manager_id,
             "phase": s.phase, "sequence": s.sequence} for s in changes.steps], "nothing")
        self._write_many(phase_entry, [
            {"case_id": e.case_id, "sequence": e.sequence, "phase": e.phase, "day": e.day}
            for e in changes.entries], "nothing")

class SqlProjectionCatalogue:
    """The tenants with stored events (PostgreSQL: through ``event_store_tenants()``, the owner's
    function, since row-level security hides other tenants' rows) and the projections'
    versions."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def tenants(self) -> list[uuid.UUID]:
        with self.engine.connect() as connection:
            if is_postgres(connection):
                found = connection.execute(sa.text(
                    "SELECT tenant_id FROM event_store_tenants() ORDER BY tenant_id")).scalars()
            else:
                found = connection.execute(sa.select(event_store.c.tenant_id).distinct()
                                           .order_by(event_store.c.tenant_id)).scalars()
            return [uuid.UUID(str(t)) for t in found]

    def versions(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(projection_versions)).all()
        return {r.name: r.version for r in rows}

    def set_version(self, name: str, version: int) -> None:
        with self.engine.begin() as connection:
            updated = connection.execute(projection_versions.update()
                                         .where(projection_versions.c.name == name)
                                         .values(version=version))
            if not updated.rowcount:
                connection.execute(projection_versions.insert().values(name=name,
                                                                       version=version))
