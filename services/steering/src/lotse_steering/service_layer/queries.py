"""Reads of steering: candidates for a case reconstruction, sessions, proposed themes."""

from __future__ import annotations

from ..domain.candidates import Candidate, candidates
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
