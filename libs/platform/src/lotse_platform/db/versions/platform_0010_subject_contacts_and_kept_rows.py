"""A data subject's request may name her contacts (ADR 0108): ``contact_phone`` and
``contact_email`` on ``subject_access_request`` and ``erasure_request`` (the coordinating
service's; cleared once every service answered). An erasure counts the rows it kept as they
are (reporting's pseudonymous statistics): ``kept`` on ``erasure_done`` and ``erasure_answer``.

platform_0007 and platform_0008 create their tables from the current definitions
(:mod:`lotse_platform.db.tables`): on a database they created after this change the columns are
there already, and only the missing ones are added.

Revision ID: platform_0010
Revises: platform_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from lotse_platform.db.tables import contact_columns, kept_column

revision = "platform_0010"
down_revision = "platform_0009"
branch_labels = None
depends_on = None

_CONTACTS = ("subject_access_request", "erasure_request")
_KEPT = ("erasure_done", "erasure_answer")


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    for table in _CONTACTS:
        there = _columns(table)
        for column in contact_columns():
            if column.name not in there:
                op.add_column(table, column)
    for table in _KEPT:
        if "kept" not in _columns(table):
            op.add_column(table, kept_column())


def downgrade() -> None:
    for table in _KEPT:
        op.drop_column(table, "kept")
    for table in _CONTACTS:
        for column in contact_columns():
            op.drop_column(table, column.name)
