"""Administration (*Verwaltung*) within the rights identity delegates (ADR 0052): the
organisations and areas, the users with their roles (a tenant administrator all, an
organisation's administrator her own organisation's; assigning roles where identity allows
the caller), intake's target groups with their validity and the steering decision they rest
on, and the network's directory of partners and services with its search. Every list is one
API call with the user's token; what identity, intake or the network refuse her is said in the
block, the other blocks still show."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import InternalServerError

from lotse_platform.http import accepts

from ...domain import vocabulary
from ...domain.field_errors import FieldErrors, from_problem
from ...domain.navigation import ORG_ADMIN, TENANT_ADMIN
from .common import User, apis, block, for_roles_of, refused, token
from .forms import FORM, choices, text

bp = Blueprint("admin", __name__)

#: the parts of the administration, each a page of its own
PARTS: tuple[tuple[str, str, str], ...] = (
    ("admin.organisations", "Organisationen", "Kreis, Städte, Träger und Behörden (identity)"),
    ("admin.areas", "Gebiete", "Kreis, Städte und Gemeinden, für die Case-Managerinnen "
                               "zuständig sind"),
    ("admin.users", "Benutzerinnen und Benutzer", "mit ihren Rollen und Gebieten"),
    ("admin.target_groups", "Zielgruppen", "mit Gültigkeit und Beschlussgrundlage (intake)"),
    ("admin.directory", "Angebotsverzeichnis", "Partner und Angebote im Netzwerk, mit Suche"),
)


def _user() -> User:
    user = User.from_session()
    assert user is not None
    return user


def _names(answer_block: Any) -> dict[str, str]:
    return {item["id"]: item.get("name", item["id"]) for item in answer_block.data or []} \
        if isinstance(answer_block.data, list) else {}


@bp.get("/verwaltung")
@for_roles_of("admin.overview")
def overview() -> ResponseReturnValue:
    return render_template("admin/overview.html", title="Verwaltung", parts=PARTS)


@bp.get("/verwaltung/organisationen")
@for_roles_of("admin.overview")
def organisations() -> ResponseReturnValue:
    organisations = block("identity", "organisations")
    return render_template("admin/organisations.html", title="Organisationen",
                           organisations=organisations, names=_names(organisations),
                           areas=_names(block("identity", "areas")))


@bp.get("/verwaltung/gebiete")
@for_roles_of("admin.overview")
def areas() -> ResponseReturnValue:
    areas = block("identity", "areas")
    return render_template("admin/areas.html", title="Gebiete", areas=areas,
                           names=_names(areas))


@bp.get("/verwaltung/benutzer")
@for_roles_of("admin.overview")
def users() -> ResponseReturnValue:
    """The users identity shows the caller (names are personal data: identity audits it)."""
    user = _user()
    return render_template("admin/users.html", title="Benutzerinnen und Benutzer",
                           users=block("identity", "users"),
                           organisations=_names(block("identity", "organisations")),
                           areas=_names(block("identity", "areas")),
                           may_assign=bool({TENANT_ADMIN, ORG_ADMIN} & set(user.roles)))


def _assignable(user: User) -> list[tuple[str, str]]:
    """The roles offered: a tenant administrator all; an organisation's administrator no
    tenant-wide role (identity refuses them to her anyway)."""
    tenant_wide = {"tenant_admin", "coordinator", "coordination_assistant", "auditor"}
    return [(role, name) for role, name in vocabulary.ROLES.items()
            if TENANT_ADMIN in user.roles or role not in tenant_wide]


@bp.route("/verwaltung/benutzer/<uuid:user_id>/rollen", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("admin.roles")
def roles(user_id: uuid.UUID) -> ResponseReturnValue:
    """Assign roles (``PUT /users/{id}/roles``): identity checks that the caller administers
    the user's organisation and may hand out the role."""
    form: MultiDict[str, str] = request.form
    errors = FieldErrors()
    if request.method == "POST":
        answer = apis().put(token(), "identity", f"users/{user_id}/roles",
                            {"roles": choices(form, "roles")})
        if answer.ok:
            return redirect(url_for("admin.users", _anchor=f"benutzer-{user_id}"), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    answer = apis().get(token(), "identity", f"users/{user_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    shown: dict[str, Any] = answer.body
    if request.method == "GET":
        form = _roles_form(shown.get("roles") or [])
    return render_template("admin/roles.html", title="Rollen zuweisen", person=shown,
                           options=_assignable(_user()), form=form, errors=errors), \
        422 if errors else 200


def _roles_form(held: list[str]) -> MultiDict[str, str]:
    return MultiDict([("roles", role) for role in held])


@bp.get("/verwaltung/zielgruppen")
@for_roles_of("admin.overview")
def target_groups() -> ResponseReturnValue:
    return render_template("admin/target_groups.html", title="Zielgruppen",
                           groups=block("intake", "target-groups"),
                           areas=_names(block("identity", "areas")))


@bp.get("/verwaltung/verzeichnis")
@for_roles_of("admin.overview")
def directory() -> ResponseReturnValue:
    """The network's directory: its partners, and the search of its services (``?suche=``)."""
    query = text(request.args, "suche")
    found = block("network", "services", q=query) if query else None
    return render_template("admin/directory.html", title="Angebotsverzeichnis",
                           partners=block("network", "directory/organizations"),
                           query=query or "", found=found)
