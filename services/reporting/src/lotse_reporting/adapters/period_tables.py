"""Tables of the 2-week reports (ADR 0089): two projections rebuilt from the event store — the
counts per case manager, period and figure, and the cases' steps (for the open cases at a
period's end) — and the case managers' own reports (not a projection: never rebuilt), whose
flagged topics and correction notes are the case managers' words, stored encrypted with the
tenant's keys (ADR 0104)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lotse_platform.crypto import EncryptedJSON
from lotse_platform.db.tables import UtcDateTime


@dataclass(frozen=True)
class PeriodTables:
    figures: sa.Table
    case_steps: sa.Table
    reports: sa.Table

    @property
    def projections(self) -> dict[str, sa.Table]:
        return {"period_figures": self.figures, "period_case_steps": self.case_steps}


def period_tables(metadata: sa.MetaData) -> PeriodTables:
    figures = sa.Table(
        "period_figure", metadata,
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_manager_id", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(8), primary_key=True),
        sa.Column("figure", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    case_steps = sa.Table(
        "period_case_step", metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("case_manager_id", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(32), nullable=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Index("ix_period_case_step_case", "tenant_id", "case_id"),
        sa.Index("ix_period_case_step_manager", "tenant_id", "case_manager_id"),
    )
    reports = sa.Table(
        "period_report", metadata,
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("case_manager_id", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(8), primary_key=True),
        sa.Column("id", sa.Uuid, nullable=False, unique=True),
        sa.Column("corrections", EncryptedJSON("period_report.corrections"), nullable=False),
        sa.Column("topics", EncryptedJSON("period_report.topics"), nullable=False),
        sa.Column("network_minutes", sa.Integer, nullable=False),
        sa.Column("system_minutes", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=True),  # aware on SQLite too
        sa.Column("figures", sa.JSON, nullable=False),
    )
    return PeriodTables(figures, case_steps, reports)
