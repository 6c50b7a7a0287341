"""Tables of the reporting service: the append-only event store, the projections' rows and
their versions (plus the platform's outbox, inbox and audit log). No domain class is mapped: the
rows are read and written as plain values by the unit of work."""

from __future__ import annotations

import sqlalchemy as sa

from lotse_platform.db import platform_tables

from .period_tables import period_tables

metadata = sa.MetaData()
platform = platform_tables(metadata)

#: every event reporting consumed, once (the inbox makes delivery effectively-once; the unique
#: event id is the store's own guard), never changed or deleted
event_store = sa.Table(
    "event_store", metadata,
    sa.Column("position", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False),
    sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("subject", sa.String(200), nullable=True),
    sa.Column("sequence", sa.BigInteger, nullable=True),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Index("ix_event_store_tenant_position", "tenant_id", "position"),
    # the annual report reads one type of event where it is kept (ADR 0097)
    sa.Index("ix_event_store_tenant_type", "tenant_id", "type", "position"),
)

#: cases per area and phase: one row per case
case_projection = sa.Table(
    "case_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.String(64), primary_key=True),
    sa.Column("area_id", sa.String(64), nullable=False),
    sa.Column("phase", sa.String(32), nullable=False),
    sa.Column("area_seq", sa.BigInteger, nullable=False),
    sa.Column("phase_seq", sa.BigInteger, nullable=False),
)

#: referrals per partner, topic area and outcome: one row per referral
referral_projection = sa.Table(
    "referral_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("referral_id", sa.String(64), primary_key=True),
    sa.Column("partner_org_id", sa.String(64), nullable=False),
    sa.Column("topic_area", sa.String(64), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("arrived", sa.Boolean, nullable=False),
)

#: the version each projection's rows were built with (not a tenant's: one per deployment)
projection_versions = sa.Table(
    "projection_versions", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

#: the 2-week reports' tables (ADR 0089)
periods = period_tables(metadata)

PROJECTION_TABLES = {"cases_by_area_and_phase": case_projection,
                     "referrals_by_partner": referral_projection,
                     **periods.projections}


# -- the standard reports (domain/standard.py); target groups: ids joined by spaces -------------
#: one row per intake: access path, first contact, the latest counselling-depth decision
intake_report_projection = sa.Table(
    "intake_report_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("intake_id", sa.String(64), primary_key=True),
    sa.Column("area_id", sa.String(64), nullable=False),
    sa.Column("access_path", sa.String(64), nullable=False),
    sa.Column("contact_date", sa.Date, nullable=True),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("depth", sa.String(32), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("referral_org_id", sa.String(64), nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_on", sa.Date, nullable=True),
    sa.Column("target_group_ids", sa.Text, nullable=False),
    # the screening table's year of a county read from the index alone (migration 0006)
    sa.Index("ix_intake_report_contact_date", "tenant_id", "contact_date",
             postgresql_include=["access_path", "depth", "referral_org_id", "area_id",
                                 "recorded_by", "decided_by", "target_group_ids"]),
)

#: one row per case: its newest facts (case manager, target groups, primary goal), its phase
case_report_projection = sa.Table(
    "case_report_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.String(64), primary_key=True),
    sa.Column("area_id", sa.String(64), nullable=False),
    sa.Column("case_manager_id", sa.String(64), nullable=False),
    sa.Column("target_group_ids", sa.Text, nullable=False),
    sa.Column("primary_topic_area", sa.String(64), nullable=False),
    sa.Column("phase", sa.String(32), nullable=False),
    sa.Column("opened_on", sa.Date, nullable=True),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("facts_seq", sa.BigInteger, nullable=False),
    sa.Column("phase_seq", sa.BigInteger, nullable=False),
)

#: one row per user of identity's: employer, FTE share, case manager or not
staff_projection = sa.Table(
    "staff_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("organisation_id", sa.String(64), nullable=False),
    sa.Column("fte", sa.Float, nullable=True),
    sa.Column("case_manager", sa.Boolean, nullable=False),
    sa.Column("org_version", sa.BigInteger, nullable=False),
    sa.Column("fte_version", sa.BigInteger, nullable=False),
    sa.Column("roles_version", sa.BigInteger, nullable=False),
)

#: one row per counted fact of the monthly time series
report_fact = sa.Table(
    "report_fact", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("fact_id", sa.String(200), primary_key=True),
    sa.Column("figure", sa.String(32), nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("detail", sa.String(200), nullable=False),
    sa.Column("area_id", sa.String(64), nullable=False),
    sa.Column("case_manager_id", sa.String(64), nullable=False),
    sa.Column("target_group_ids", sa.Text, nullable=False),
    sa.Column("value", sa.BigInteger, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Index("ix_report_fact_figure_month", "tenant_id", "figure", "month"),
    # the referral rates read from the index alone (partial: the referral facts only; 0007)
    sa.Index("ix_report_fact_referrals", "tenant_id", "month",
             postgresql_include=["key", "subject", "fact_id", "detail", "area_id",
                                 "case_manager_id", "target_group_ids"],
             postgresql_where=sa.text("figure = 'referrals'")),
)

#: one row per referral: what the referral rates count, narrow and group it by
#: (domain/referral_rates.py; ADR 0101) — filled beside the referral facts, read instead of them
referral_rate_projection = sa.Table(
    "referral_rate_projection", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("referral_id", sa.String(64), primary_key=True),
    sa.Column("partner_org_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("topic_area", sa.String(64), nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("case_manager_id", sa.String(64), nullable=False),
    sa.Column("area_id", sa.String(64), nullable=False),
    sa.Column("target_group_ids", sa.Text, nullable=False),
    sa.Column("sent", sa.Boolean, nullable=False),
    sa.Column("accepted", sa.Boolean, nullable=False),
    sa.Column("arrived", sa.Boolean, nullable=False),
    sa.Column("step", sa.SmallInteger, nullable=False),
    # the report's period: the months a referral was sent in (migration 0009)
    sa.Index("ix_referral_rate_month", "tenant_id", "month"),
)

#: one row per phase a case entered (the phase durations' series)
phase_entry = sa.Table(
    "phase_entry", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.String(64), primary_key=True),
    sa.Column("sequence", sa.BigInteger, primary_key=True),
    sa.Column("phase", sa.String(32), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
)

PROJECTION_TABLES.update({"intake_outcomes": intake_report_projection,
                          "case_reports": case_report_projection,
                          "staffing": staff_projection, "monthly_facts": report_fact,
                          "phase_entries": phase_entry,
                          "referral_rates": referral_rate_projection})


def start_mappers() -> None:
    """Nothing is mapped (see the module's docstring)."""


# -- the coordinating office's administration (posts, funding, forwarding contracts) ------------
_MONEY = sa.Numeric(14, 2)
_FTE = sa.Numeric(7, 2)

#: posts per building block (no holder's name: a function, an employer, an area)
admin_posts = sa.Table(
    "admin_posts", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("building_block", sa.String(32), nullable=False),
    sa.Column("function", sa.String(32), nullable=False),
    sa.Column("employer_org_id", sa.String(100), nullable=False),
    sa.Column("area_id", sa.String(100), nullable=True),
    sa.Column("fte", _FTE, nullable=False),
    sa.Column("filled_fte", _FTE, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=True),
    sa.Column("label", sa.String(100), nullable=False),
)

#: a year's funding: application, grant notice, FTE granted per building block
admin_funding_years = sa.Table(
    "admin_funding_years", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_on", sa.Date, nullable=True),
    sa.Column("requested", _MONEY, nullable=True),
    sa.Column("notice_on", sa.Date, nullable=True),
    sa.Column("granted", _MONEY, nullable=True),
    sa.Column("granted_fte", sa.JSON, nullable=False),  # {building block: "FTE"}
)

#: the two calls of funds of a year
admin_fund_calls = sa.Table(
    "admin_fund_calls", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("half", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("amount", _MONEY, nullable=True),
    sa.Column("called_on", sa.Date, nullable=True),
    sa.Column("received_on", sa.Date, nullable=True),
)

#: forwarding contracts (Weiterleitungsverträge) with their two transfers
admin_forwarding_contracts = sa.Table(
    "admin_forwarding_contracts", metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("recipient_org_id", sa.String(100), nullable=False),
    sa.Column("building_block", sa.String(32), nullable=False),
    sa.Column("fte", _FTE, nullable=False),
    sa.Column("amount", _MONEY, nullable=False),
    sa.Column("signed_on", sa.Date, nullable=True),
    sa.Column("transfers", sa.JSON, nullable=False),  # {"1": "2026-03-31", "2": …}
)
