"""Tables of the steering service and their mapping onto the domain classes. No personal data:
cases are pseudonymous ids, people are user ids, findings are organisational facts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.cases import CaseRecord
from ..domain.evidence import ReportedTopic
from ..domain.reconstructions import Reconstruction, Theme

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

#: the case projection, one row per case, from casework's events
case_records = sa.Table(
    "case_records",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("case_id", sa.String(100), primary_key=True),
    sa.Column("area_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("legal_areas", sa.JSON, nullable=False),
    sa.Column("opened_on", sa.Date, nullable=True),
    sa.Column("transferred_on", sa.Date, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("phases", sa.JSON, nullable=False),
    sa.Column("goals_set", sa.JSON, nullable=False),
    sa.Column("goals_ended", sa.JSON, nullable=False),
    sa.Column("organisations", sa.JSON, nullable=False),
    sa.Column("contacts", sa.Integer, nullable=False),
    sa.Column("facts_sequence", sa.Integer, nullable=False),
)

reconstructions = sa.Table(
    "reconstructions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("moderator_id", sa.String(100), nullable=False),
    sa.Column("cases", sa.JSON, nullable=False),
    sa.Column("theme_ids", sa.JSON, nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("proposed_on", sa.Date, nullable=False),
)

#: topics flagged in the case managers' 2-week reports, from reporting's events (no text, no
#: reporter: ADR 0089)
reported_topics = sa.Table(
    "reported_topics",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("candidate_id", sa.String(100), primary_key=True),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("topic_area", sa.String(40), nullable=False),
    sa.Column("flagged_on", sa.Date, nullable=False),
    sa.Column("theme_id", sa.String(100), nullable=True),
)

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(CaseRecord, case_records)
    mapper_registry.map_imperatively(Reconstruction, reconstructions)
    mapper_registry.map_imperatively(Theme, themes)
    mapper_registry.map_imperatively(ReportedTopic, reported_topics)
    _mapped = True
