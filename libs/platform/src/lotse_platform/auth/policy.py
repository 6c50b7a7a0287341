"""The one authorisation rule every service applies: role × organisation × area.

- The principal must hold one of the roles the action allows.
- Tenant-wide roles (``tenant_admin``, ``coordinator``, ``auditor``) act for the whole tenant
  and are not limited by organisation or area.
- Every other role is: when the action names the target's organisation, it must be the
  principal's; when it names the target's area, the principal must serve it.

Case assignment (a case manager's own and shared cases) and consent are the owning service's
rules, checked after this one. Refusals say which dimension failed and nothing about the person
or the record.

In a view, before loading anything::

    @bp.get("/organisations/<org_id>/staff")
    @requires(ORG_ADMIN, TENANT_ADMIN, organisation=itemgetter("org_id"))
    def list_staff(org_id): ...

and after loading the record, where its organisation or area is only known then::

    authorize(current_principal(), (CASE_MANAGER, COORDINATOR), area=case.area_id)
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Collection, Mapping
from typing import Any, ParamSpec, TypeVar

from ..errors import Forbidden
from .principal import ROLES, TENANT_WIDE_ROLES, Principal

TargetOf = Callable[[Mapping[str, Any]], str | None]

P = ParamSpec("P")
R = TypeVar("R")


class _Unknown:
    """A target the view could not name (its callable returned None): matches no principal."""

    def __repr__(self) -> str:
        return "<unknown target>"


_UNKNOWN = _Unknown()


def authorize(principal: Principal, roles: Collection[str], *, organisation: str | None = None,
              area: str | None = None) -> None:
    """Raise :class:`Forbidden` unless ``principal`` may act on a target in ``organisation`` and
    ``area`` with one of ``roles``. ``None`` leaves that dimension unchecked."""
    _authorize(principal, _known_roles(roles), lambda: organisation, lambda: area)


def requires(*roles: str, organisation: TargetOf | None = None,
             area: TargetOf | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a view: the caller must be authenticated and pass :func:`authorize` with one of
    ``roles``.

    ``organisation`` and ``area`` receive the view's keyword arguments (the URL variables) as a
    mapping and return the target's organisation / area id, e.g. ``itemgetter("org_id")``; they
    are only called for principals whose role is not tenant-wide. A callable returning ``None``
    means the target is unknown, which no organisation- or area-bound principal matches.
    """
    # the Flask side only where views are decorated: the service layer's authorize() without it
    from .web import current_principal

    allowed = _known_roles(roles)

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            principal = current_principal()
            _authorize(principal, allowed, _target(organisation, kwargs), _target(area, kwargs))
            return view(*args, **kwargs)

        # for API docs, and for the role check before the body is parsed (web._check_roles_first)
        setattr(guarded, "required_roles", allowed)
        return guarded

    return decorator


def _known_roles(roles: Collection[str]) -> frozenset[str]:
    if isinstance(roles, str):
        roles = (roles,)  # authorize(principal, "coordinator") is an easy slip
    allowed = frozenset(roles)
    if not allowed:
        raise ValueError("an authorisation rule needs at least one role")
    unknown = allowed - ROLES
    if unknown:
        raise ValueError(f"unknown role(s): {sorted(unknown)}")
    return allowed


def _target(of: TargetOf | None, view_kwargs: dict[str, Any]) -> Callable[[], object]:
    if of is None:
        return lambda: None

    def resolve() -> object:
        value = of(types.MappingProxyType(view_kwargs))
        return _UNKNOWN if value is None else value

    return resolve


def _authorize(principal: Principal, allowed: frozenset[str], organisation: Callable[[], object],
               area: Callable[[], object]) -> None:
    held = principal.roles & allowed
    if not held:
        raise Forbidden(f"this action requires one of the roles: {', '.join(sorted(allowed))}")
    if held & TENANT_WIDE_ROLES:
        return
    target_organisation = organisation()
    if target_organisation is not None and target_organisation != principal.organisation:
        raise Forbidden("the target belongs to another organisation than the caller's")
    target_area = area()
    if target_area is not None and target_area not in principal.areas:
        raise Forbidden("the target's area is not among the caller's areas")
