"""The console's tables: its sessions and the key its CSRF tokens are signed with.

The console owns no domain data (ARCHITECTURE.md): what it shows it reads from the services'
APIs with the user's token. Sessions belong to no tenant until someone logs in, so these
tables have no row-level security; they hold ids and tokens, never names.
"""

from __future__ import annotations

import sqlalchemy as sa

from lotse_platform.db import platform_tables
from lotse_platform.db.tables import Timestamp

metadata = sa.MetaData()
platform = platform_tables(metadata)

#: one row per browser session; ``id`` is the SHA-256 of the cookie, never the cookie itself
sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False, index=True),
)

#: the signing key of the CSRF tokens, made on first use and shared by every worker
keys = sa.Table(
    "console_keys",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("secret", sa.String(200), nullable=False),
)
