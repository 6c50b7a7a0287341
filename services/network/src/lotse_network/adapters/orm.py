"""Tables of the network service and their mapping onto the domain classes (plus the platform's
outbox, inbox, audit log and directory replica).

Every table is tenant-owned (``tenant_id``, row-level security in the migrations). Personal data
sits in ``referrals.reason``, ``referrals.shared`` and the texts of ``referral_steps``;
``referral_consents`` and ``referral_cases`` hold ids, codes and dates only (the copies of
intake's consent events and casework's case events).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import registry

from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep

metadata = sa.MetaData()
mapper_registry = registry(metadata=metadata)
platform = platform_tables(metadata)


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
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("urgency", sa.String(10), nullable=False),
    sa.Column("shared", sa.JSON, nullable=False),
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
    sa.Column("text", sa.Text, nullable=True),
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

TENANT_TABLES = ("referrals", "referral_steps", "referral_consents", "referral_cases")

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    for cls, table in ((Referral, referrals), (ReferralStep, referral_steps),
                       (ConsentCopy, referral_consents), (CaseCopy, referral_cases)):
        mapper_registry.map_imperatively(cls, table)
    _mapped = True
