"""Reads of steering: candidates for a case reconstruction, sessions, proposed themes and the
topics of 2-week reports received as evidence."""

from __future__ import annotations

import uuid

from lotse_platform.errors import NotFound

from ..domain.candidates import Candidate, candidates
from ..domain.evidence import ReportedTopic
from ..domain.reconstructions import Theme
from .access import sees_every_case
from .unit_of_work import SteeringUnitOfWork


def reconstruction_candidates(uow: SteeringUnitOfWork) -> list[Candidate]:
    """The county's candidates (bands and frequent combinations of all its open cases); a case
    manager gets those among her own cases only."""
    with uow:
        day = uow.today()
        found = candidates(uow.open_case_records(), day)
    principal = uow.principal
    if sees_every_case(principal):
        return found
    assert principal is not None
    return [c for c in found if c.case_manager_id == principal.subject]


def reported_topics(uow: SteeringUnitOfWork, *, unattached: bool = False) -> list[ReportedTopic]:
    """The topics flagged in 2-week reports as steering received them, newest first; with
    ``unattached`` those not yet evidence of a theme."""
    with uow:
        found = uow.list_reported_topics()
    return [t for t in found if not (unattached and t.theme_id)]


def themes(uow: SteeringUnitOfWork) -> list[Theme]:
    with uow:
        return uow.list_themes()


def theme(uow: SteeringUnitOfWork, theme_id: uuid.UUID) -> Theme:
    with uow:
        found = uow.get_theme(theme_id)
    if found is None:
        raise NotFound("no such theme")
    return found
