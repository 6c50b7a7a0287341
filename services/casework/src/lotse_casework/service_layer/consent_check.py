"""Asking intake, at the moment of sharing, for the consents the sharing rests on (ADR 0053).

Every path that discloses a case to another organisation or another case manager calls one of
these inside its own unit of work — after the case row is locked and the copy's own refusals
are through, before anything changes and before the commit:

- :func:`for_partners` — a partner organisation joins a case conference (planned with
  participants, or added);
- :func:`for_handing_on` — a transfer is offered, its handover package read or served, it is
  accepted (here, by another tenant here, or reported accepted by a peer deployment), and a
  colleague is made deputy or tandem.

Each answers the case's consents as the rule is then to apply them: the copy where nothing has
to be asked, else the copy with intake's current state of the consents relied on
(:func:`~lotse_casework.domain.consent_check.confirmed`). Intake not answering raises
:class:`~lotse_casework.adapters.intake_client.ConsentCheckUnavailable` (503): the unit of
work rolls back, nothing is shared. The owner is the intake instance the case came from
(``operator_org_id``, as for the handover). A case opened from a transfer (operator
``transfer:<tenant>``) has no intake here: its copy is all there is (ADR 0053, Consequences).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from ..domain.consent_check import (
    CurrentConsent,
    confirmed,
    to_confirm_for_handing_on,
    to_confirm_for_partners,
)
from ..domain.model import Case, Consent
from .transfer_steps import OPERATOR_PREFIX
from .unit_of_work import CaseworkUnitOfWork


class ConsentOwner(Protocol):
    """What the check needs of intake (injected as ``consent_owner``: the container's
    :class:`~lotse_casework.adapters.intake_client.IntakeConsents`): the committed state of
    some consents of an intake, by id; an id intake does not have is absent. Raises
    ``ConsentCheckUnavailable`` when intake cannot be asked."""

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> Mapping[str, CurrentConsent]: ...


def for_partners(uow: CaseworkUnitOfWork, owner: ConsentOwner, case: Case,
                 consents: list[Consent], partners: Iterable[str],
                 topics: list[str]) -> list[Consent]:
    """The case's consents for telling ``partners`` about ``topics``, as intake has them now."""
    today = uow.today()
    return _confirm(owner, case, consents,
                    to_confirm_for_partners(case, consents, partners, topics, today), today)


def for_handing_on(uow: CaseworkUnitOfWork, owner: ConsentOwner, case: Case,
                   consents: list[Consent]) -> list[Consent]:
    """The case's consents for handing its file to another case manager, as intake has them
    now."""
    return _confirm(owner, case, consents, to_confirm_for_handing_on(case, consents),
                    uow.today())


def has_owning_intake(case: Case) -> bool:
    """Whether the case came from an intake (the county's or a provider's) that keeps its
    consents; a case opened from a transfer keeps the copy that travelled with it."""
    return not case.operator_org_id.startswith(OPERATOR_PREFIX)


def _confirm(owner: ConsentOwner, case: Case, consents: list[Consent], relied: list[Consent],
             today) -> list[Consent]:
    if not relied or not has_owning_intake(case):
        return consents
    current = owner.current_consents(case.operator_org_id, case.intake_id,
                                     [c.consent_id for c in relied])
    return confirmed(consents, relied, current, today)
