"""Links from a generative theme to county-level case conferences (*Fallkonferenzen auf
Kreisebene*). The conferences stay in casework, with their people and cases; steering keeps only
their ids beside the theme, so that the coordinating office finds the conferences a theme came up
in — nothing of a conference is copied here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

#: more links than a theme sensibly has (a bound on the request, not a rule of the domain)
MAX_LINKS = 100


@dataclass
class ConferenceLink:
    theme_id: uuid.UUID
    conference_id: uuid.UUID
    linked_on: date
    tenant_id: uuid.UUID | None = None


def relink(theme_id: uuid.UUID, existing: list[ConferenceLink],
           conference_ids: list[uuid.UUID], today: date) -> tuple[list[ConferenceLink],
                                                                  list[ConferenceLink]]:
    """The links to add and to remove so that the theme links exactly ``conference_ids``;
    links that stay keep their day."""
    wanted = list(dict.fromkeys(conference_ids))
    have = {link.conference_id for link in existing}
    added = [ConferenceLink(theme_id, c, today) for c in wanted if c not in have]
    removed = [link for link in existing if link.conference_id not in set(wanted)]
    return added, removed
