"""Tables of the network service and their mapping onto the domain classes (plus the platform's
outbox, inbox, audit log and directory replica).

Every table is tenant-owned (``tenant_id``, row-level security in the migrations). Personal data
sits in ``referrals.reason``, ``referrals.shared`` and the texts of ``referral_steps``;
``referral_consents`` and ``referral_cases`` hold ids, codes and dates only (the copies of
intake's consent events and casework's case events). The free text — a referral's reason and
the data released with it, the texts of its course, a meeting's minutes, contributions and
follow-ups — is stored encrypted with the tenant's keys (ADR 0104).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import registry

from lotse_platform.crypto import EncryptedJSON, EncryptedText
from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp, UtcDateTime

from ..domain.agreements import Agreement
from ..domain.bodies import Body, Contribution, FollowUp, Meeting
from ..domain.knowledge import Article, ArticleVersion
from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)

# -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) ------------------


class _Contributions(EncryptedJSON):
    """What each actor presented at a meeting, as a JSON list, encrypted (ADR 0104)."""

    cache_ok = True

    def process_bind_param(self, value: list[Contribution] | None, dialect: Any) -> Any:
        return super().process_bind_param(
            [{"org_id": c.org_id, "target_group": c.target_group, "offers": c.offers,
              "agreements": c.agreements} for c in value or []], dialect)

    def process_result_value(self, value: Any, dialect: Any) -> list[Contribution]:
        return [Contribution(**c) for c in super().process_result_value(value, dialect) or []]


class _FollowUps(EncryptedJSON):
    """A meeting's follow-ups, as a JSON list (replaced as a whole when one is done),
    encrypted (ADR 0104)."""

    cache_ok = True

    def process_bind_param(self, value: list[FollowUp] | None, dialect: Any) -> Any:
        return super().process_bind_param(
            [{"id": str(f.id), "what": f.what, "owner_org_id": f.owner_org_id,
              "due_on": f.due_on.isoformat() if f.due_on else None,
              "done_on": f.done_on.isoformat() if f.done_on else None} for f in value or []],
            dialect)

    def process_result_value(self, value: Any, dialect: Any) -> list[FollowUp]:
        def day(text: str | None) -> date | None:
            return date.fromisoformat(text) if text else None
        return [FollowUp(f["what"], f["owner_org_id"], day(f["due_on"]), day(f["done_on"]),
                         uuid.UUID(f["id"]))
                for f in super().process_result_value(value, dialect) or []]


agreements = sa.Table(
    "agreements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("party_org_ids", sa.JSON, nullable=False),
    sa.Column("other_parties", sa.JSON, nullable=False),
    sa.Column("target_group_ids", sa.JSON, nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("area_ids", sa.JSON, nullable=False),
    sa.Column("cases_taken", sa.Text, nullable=False),
    sa.Column("data_handling", sa.Text, nullable=False),
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("basis", sa.String(300)),
    sa.Column("signed_on", sa.Date),
    sa.Column("document_ref", sa.String(200)),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

bodies = sa.Table(
    "bodies",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("member_org_ids", sa.JSON, nullable=False),
    sa.Column("area_id", sa.String(100)),
    sa.Column("rhythm", sa.String(20), nullable=False),
    sa.Column("weekday", sa.SmallInteger),
    sa.Column("nth", sa.SmallInteger),
    sa.Column("starts_at", sa.Time),
    sa.Column("created_at", Timestamp, nullable=False),
)

body_meetings = sa.Table(
    "body_meetings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("body_id", sa.Uuid, sa.ForeignKey("bodies.id"), nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("participant_org_ids", sa.JSON, nullable=False),
    sa.Column("contributions", _Contributions("body_meetings.contributions"), nullable=False),
    sa.Column("minutes", EncryptedText("body_meetings.minutes"), nullable=False),
    sa.Column("follow_ups", _FollowUps("body_meetings.follow_ups"), nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

knowledge_articles = sa.Table(
    "knowledge_articles",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("entry_ids", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

knowledge_article_versions = sa.Table(
    "knowledge_article_versions",
    metadata,
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("article_id", sa.Uuid, sa.ForeignKey("knowledge_articles.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("entry_ids", sa.JSON, nullable=False),
    sa.Column("changed_by", sa.String(100), nullable=False),
    sa.Column("changed_at", Timestamp, nullable=False),
)


def _map_agreements_bodies_knowledge() -> None:
    mapper_registry.map_imperatively(Agreement, agreements)
    mapper_registry.map_imperatively(Body, bodies)
    mapper_registry.map_imperatively(Meeting, body_meetings)
    mapper_registry.map_imperatively(Article, knowledge_articles)
    mapper_registry.map_imperatively(ArticleVersion, knowledge_article_versions)


# -- referrals (ADR 0084, migration 0002) ---------------------------------------------------------
referrals = sa.Table(
    "referrals", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("case_id", sa.Uuid, nullable=True, index=True),
    sa.Column("intake_id", sa.String(100), nullable=False, index=True),
    sa.Column("operator_org_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False, index=True),
    sa.Column("case_manager_org_id", sa.String(100), nullable=False),
    sa.Column("partner_org_id", sa.String(100), nullable=False, index=True),
    sa.Column("service_id", sa.Uuid, nullable=True),
    sa.Column("mode", sa.String(30), nullable=False),
    sa.Column("topic_area", sa.String(30), nullable=False),
    sa.Column("reason", EncryptedText("referrals.reason"), nullable=False),
    sa.Column("urgency", sa.String(10), nullable=False),
    sa.Column("shared", EncryptedJSON("referrals.shared"), nullable=False),
    sa.Column("consent_ids", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("status_on", sa.Date, nullable=True),
    sa.Column("created_on", sa.Date, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("sent_on", sa.Date, nullable=True),
    sa.Column("appointment_on", sa.Date, nullable=True),
    sa.Column("arrived_on", sa.Date, nullable=True),
    sa.Column("last_feedback_on", sa.Date, nullable=True),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("shared_hidden_on", sa.Date, nullable=True),
)

referral_steps = sa.Table(
    "referral_steps", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("referral_id", sa.Uuid, sa.ForeignKey("referrals.id"), nullable=False,
              index=True),
    sa.Column("step", sa.String(20), nullable=False),
    sa.Column("by", sa.String(100), nullable=False),
    sa.Column("by_org", sa.String(100), nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("text", EncryptedText("referral_steps.text"), nullable=True),
    sa.Column("appointment_on", sa.Date, nullable=True),
)

referral_consents = sa.Table(
    "referral_consents", metadata,
    sa.Column("consent_id", sa.String(100), primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("intake_id", sa.String(100), nullable=False, index=True),
    sa.Column("operator_org_id", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("partner_org_id", sa.String(100), nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_until", sa.Date, nullable=True),
    sa.Column("withdrawn_on", sa.Date, nullable=True),
)

referral_cases = sa.Table(
    "referral_cases", metadata,
    sa.Column("case_id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("intake_id", sa.String(100), nullable=False),
    sa.Column("operator_org_id", sa.String(100), nullable=False),
    sa.Column("case_manager_id", sa.String(100), nullable=False),
)
# -- end of referrals -----------------------------------------------------------------------------

TENANT_TABLES = ("referrals", "referral_steps", "referral_consents", "referral_cases",
                 # agreements, bodies and meetings, knowledge base (ADR 0085, migration 0004)
                 "agreements", "bodies", "body_meetings", "knowledge_articles",
                 "knowledge_article_versions")

# -- the directory (Open Referral HSDS 3.0; ADR 0083) -----------------------------------------------
# Read and written with SQLAlchemy Core by the unit of work (not mapped): every query names the
# tenant, and row-level security checks it again on PostgreSQL.


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid, nullable=False, index=True)


def _version() -> list[sa.Column]:
    return [sa.Column("version", sa.Integer, nullable=False),
            sa.Column("updated_at", UtcDateTime(), nullable=False),
            sa.Column("updated_by", sa.String(100), nullable=True)]


directory_organizations = sa.Table(
    "directory_organizations", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("identity_org_id", sa.String(100), nullable=True, index=True),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("website", sa.String(500), nullable=True),
    *_version(),
)

directory_locations = sa.Table(
    "directory_locations", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("organization_id", sa.Uuid, sa.ForeignKey("directory_organizations.id"),
              nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("location_type", sa.String(20), nullable=False),
    sa.Column("address_1", sa.String(200), nullable=False),
    sa.Column("postal_code", sa.String(20), nullable=False),
    sa.Column("city", sa.String(100), nullable=False),
    sa.Column("municipality_id", sa.String(100), nullable=False, index=True),
    *_version(),
)

#: the PostgreSQL full-text document of a service (``german`` configuration); unused on SQLite,
#: where the FTS5 table ``directory_services_fts`` (created by the migration) takes its place
SEARCH_VECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")

directory_services = sa.Table(
    "directory_services", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _tenant(),
    sa.Column("organization_id", sa.Uuid, sa.ForeignKey("directory_organizations.id"),
              nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("topic_areas", sa.JSON, nullable=False),
    sa.Column("legal_areas", sa.JSON, nullable=False),
    sa.Column("own_case_management", sa.Boolean, nullable=False),
    sa.Column("fees_description", sa.Text, nullable=True),
    sa.Column("target_group_ids", sa.JSON, nullable=False),
    sa.Column("minimum_age", sa.Integer, nullable=True),
    sa.Column("maximum_age", sa.Integer, nullable=True),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("service_area_ids", sa.JSON, nullable=False),
    sa.Column("contacts", sa.JSON, nullable=False),
    sa.Column("url", sa.String(500), nullable=True),
    sa.Column("email", sa.String(254), nullable=True),
    *_version(),
    sa.Column("search_vector", SEARCH_VECTOR, nullable=True),
    sa.Index("ix_directory_services_search_vector", "search_vector", postgresql_using="gin"),
)

directory_service_at_location = sa.Table(
    "directory_service_at_location", metadata,
    sa.Column("service_id", sa.Uuid, sa.ForeignKey("directory_services.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("location_id", sa.Uuid, sa.ForeignKey("directory_locations.id"),
              primary_key=True, index=True),
    _tenant(),
    sa.Column("position", sa.Integer, nullable=False),
)

directory_schedules = sa.Table(
    "directory_schedules", metadata,
    sa.Column("service_id", sa.Uuid, sa.ForeignKey("directory_services.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    _tenant(),
    sa.Column("location_id", sa.Uuid, nullable=True),
    sa.Column("byday", sa.String(2), nullable=False),
    sa.Column("opens_at", sa.String(5), nullable=False),
    sa.Column("closes_at", sa.String(5), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("description", sa.String(200), nullable=True),
    sa.Index("ix_directory_schedules_byday", "tenant_id", "byday"),
)

#: what the search filters on, one row per service, facet and code (topic area, language,
#: target group, area: service areas and the towns of its locations), kept with every save
directory_service_facets = sa.Table(
    "directory_service_facets", metadata,
    sa.Column("service_id", sa.Uuid, sa.ForeignKey("directory_services.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("facet", sa.String(20), primary_key=True),
    sa.Column("code", sa.String(100), primary_key=True),
    _tenant(),
    sa.Index("ix_directory_service_facets_code", "tenant_id", "facet", "code", "service_id"),
)

directory_settings = sa.Table(
    "directory_settings", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("public_api", sa.Boolean, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=True),
)

DIRECTORY_TABLES = ("directory_settings", "directory_service_facets", "directory_schedules",
                    "directory_service_at_location", "directory_services", "directory_locations",
                    "directory_organizations")
# -- end of the directory ---------------------------------------------------------------------------

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    _map_agreements_bodies_knowledge()
    for cls, table in ((Referral, referrals), (ReferralStep, referral_steps),
                       (ConsentCopy, referral_consents), (CaseCopy, referral_cases)):
        mapper_registry.map_imperatively(cls, table)
    _mapped = True
