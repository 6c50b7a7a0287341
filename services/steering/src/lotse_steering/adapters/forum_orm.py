"""Tables of the participation forum, its invitation list, the information events and the links
from themes to county-level case conferences (migration 0005), in steering's metadata.

``forum_invitees`` is the one table of steering with personal data (ADR 0098): read and written
only through :class:`~lotse_steering.adapters.forum_store.SqlForumStore`, which the service
layer audits; a row is deleted, never marked, when the office erases it or consent is withdrawn.
Its name, phone number and e-mail address are stored encrypted with the tenant's keys, as are
the forum's statements (free text; ADR 0104).
"""

from __future__ import annotations

import sqlalchemy as sa

from lotse_platform.crypto import EncryptedText
from lotse_platform.db.tables import Timestamp

from ..domain.conference_links import ConferenceLink
from ..domain.forum import Forum, ForumSession, ForumStatement
from ..domain.information_events import InformationEvent
from ..domain.invitations import Invitee
from .orm import mapper_registry, metadata

forums = sa.Table(
    "forums",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("created_on", sa.Date, nullable=False),
)

forum_sessions = sa.Table(
    "forum_sessions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("forum_id", sa.Uuid, sa.ForeignKey("forums.id"), nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("place", sa.String(200), nullable=False),
    sa.Column("topic", sa.String(500), nullable=False),
    sa.Column("participants", sa.Integer, nullable=True),
)

#: anonymous: the words and a topic area, no author
forum_statements = sa.Table(
    "forum_statements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("session_id", sa.Uuid, sa.ForeignKey("forum_sessions.id"), nullable=False,
              index=True),
    sa.Column("forum_id", sa.Uuid, nullable=False),
    sa.Column("text", EncryptedText("forum_statements.text"), nullable=False),
    sa.Column("topic_area", sa.String(40), nullable=False),
    sa.Column("recorded_on", sa.Date, nullable=False),
    sa.Column("theme_id", sa.String(100), nullable=True),
)

#: personal data (ADR 0098): the coordinating office's only, audited, erasable
forum_invitees = sa.Table(
    "forum_invitees",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("forum_id", sa.Uuid, sa.ForeignKey("forums.id"), nullable=False, index=True),
    sa.Column("name", EncryptedText("forum_invitees.name"), nullable=True),
    sa.Column("phone", EncryptedText("forum_invitees.phone"), nullable=True),
    sa.Column("email", EncryptedText("forum_invitees.email"), nullable=True),
    sa.Column("consent_given_on", sa.Date, nullable=False),
    sa.Column("consent_how", sa.String(20), nullable=False),
    sa.Column("consent_purpose", sa.Text, nullable=False),
    sa.Column("recorded_at", Timestamp, nullable=False),
)

information_events = sa.Table(
    "information_events",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("topic", sa.String(500), nullable=False),
    sa.Column("audience", sa.String(500), nullable=False),
    sa.Column("speaker_organisation", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attendance", sa.Integer, nullable=True),
    sa.Column("theme_id", sa.Uuid, nullable=True),
    sa.Column("decision_id", sa.Uuid, nullable=True),
)

#: ids only: the conferences stay in casework
theme_conference_links = sa.Table(
    "theme_conference_links",
    metadata,
    sa.Column("tenant_id", sa.Uuid, primary_key=True, index=True),
    sa.Column("theme_id", sa.Uuid, primary_key=True),
    sa.Column("conference_id", sa.Uuid, primary_key=True),
    sa.Column("linked_on", sa.Date, nullable=False),
)

_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Forum, forums)
    mapper_registry.map_imperatively(ForumSession, forum_sessions)
    mapper_registry.map_imperatively(ForumStatement, forum_statements)
    mapper_registry.map_imperatively(Invitee, forum_invitees)
    mapper_registry.map_imperatively(InformationEvent, information_events)
    mapper_registry.map_imperatively(ConferenceLink, theme_conference_links)
    _mapped = True
