"""The case managers casework knows: a read model of identity's user events.

Caseload against the guideline needs each case manager's FTE share and employer; shares and
transfers need to know who is an active case manager. Identity publishes the changes
(``identity.user.*.v1``, ids, roles, areas, FTE — never names); each carries the user's
``version``, and an event not newer than what is kept is ignored (redelivery, reordering).
Every user is kept; ``active`` is "enabled and holds the case-manager role". Where tokens
come from an external OIDC issuer without identity's events, an administrator sets them by hand
(:func:`put_case_manager`, the command ``PutCaseManager``).
"""

from __future__ import annotations

from lotse.identity.v1 import events_pb2 as identity
from lotse_platform.references import ORGANISATION, Wanted, check

from ..domain.commands import PutCaseManager
from ..domain.errors import Incomplete
from ..domain.model import CaseManager
from .unit_of_work import CaseworkUnitOfWork


def user_created(event: identity.UserCreated, envelope, uow: CaseworkUnitOfWork) -> None:
    kept = uow.case_manager(event.user_id)
    if kept is not None and event.version <= kept.version:
        return
    if kept is None:
        kept = CaseManager(user_id=event.user_id, organisation_id=event.organisation_id,
                           fte=None)
        uow.add(kept)
    kept.organisation_id = event.organisation_id
    kept.roles = list(event.roles)
    kept.areas = list(event.area_ids)
    kept.fte = event.fte if event.HasField("fte") else None
    kept.enabled, kept.version = True, event.version
    kept.refresh_active()


def _change(event, uow: CaseworkUnitOfWork, apply) -> None:
    kept = uow.case_manager(event.user_id)
    if kept is None:
        # a change of a user whose creation has not arrived: kept with what is known
        kept = CaseManager(user_id=event.user_id, organisation_id=event.organisation_id,
                           fte=None, roles=[])
        uow.add(kept)
    elif event.version and event.version <= kept.version:
        return
    apply(kept)
    kept.version = max(kept.version, event.version)
    kept.refresh_active()


def user_disabled(event: identity.UserDisabled, envelope, uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(kept, "enabled", False))


def user_enabled(event: identity.UserEnabled, envelope, uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(kept, "enabled", True))


def roles_changed(event: identity.UserRolesChanged, envelope, uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(kept, "roles", list(event.roles)))


def areas_changed(event: identity.UserAreasChanged, envelope, uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(kept, "areas", list(event.area_ids)))


def staffing_changed(event: identity.UserStaffingChanged, envelope,
                     uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(
        kept, "fte", event.fte if event.HasField("fte") else None))


def membership_changed(event: identity.UserMembershipChanged, envelope,
                       uow: CaseworkUnitOfWork) -> None:
    _change(event, uow, lambda kept: setattr(kept, "organisation_id", event.organisation_id))


# -- set by hand ----------------------------------------------------------------------------------
def put_case_manager(cmd: PutCaseManager, uow: CaseworkUnitOfWork) -> None:
    """Employer, FTE share and areas of a case manager (``PUT /case-managers/<id>``); who may
    set them is checked at the view (the organisation's admins, the tenant's)."""
    user_id, organisation_id, fte = cmd.user_id, cmd.organisation_id, cmd.fte
    if not 0 < fte <= 1:
        raise Incomplete("an FTE share is above 0 and at most 1", {"fte": "0 < fte <= 1"})
    with uow:
        # the employer is one identity published (ADR 0054)
        check(uow.references, [Wanted("organisation_id", ORGANISATION, organisation_id)])
        manager = uow.case_manager(user_id)
        if manager is None:
            manager = CaseManager(user_id=user_id, organisation_id=organisation_id, fte=fte)
            uow.add(manager)
        manager.organisation_id, manager.fte = organisation_id, fte
        manager.areas = list(cmd.areas)
        manager.roles = sorted({*manager.roles, "case_manager"})
        manager.enabled = cmd.active
        manager.refresh_active()
        uow.audit("update", "case_manager", user_id)
        uow.commit()

