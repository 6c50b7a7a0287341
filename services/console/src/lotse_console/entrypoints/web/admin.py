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
from ...domain.navigation import ORG_ADMIN, TENANT_ADMIN, may_open
from .common import User, apis, block, for_roles_of, refused, token
from .forms import FORM, choice, choices, text, without_empty

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


def _created(service: str, path: str, body: dict[str, Any],
             endpoint: str) -> tuple[ResponseReturnValue | None, FieldErrors]:
    """POST a new entry; on success back to the list (303), else its errors at the fields."""
    answer = apis().post(token(), service, path, without_empty(body))
    if answer.ok:
        return redirect(url_for(endpoint, angelegt=1), code=303), FieldErrors()
    refused(answer)
    return None, from_problem(answer.status, answer.problem)


def _organisations_page(errors: FieldErrors) -> ResponseReturnValue:
    organisations = block("identity", "organisations")
    return render_template("admin/organisations.html", title="Organisationen",
                           organisations=organisations, names=_names(organisations),
                           areas=_names(block("identity", "areas")),
                           may_create=may_open("admin.new_organisation", _user().roles),
                           kinds=list(vocabulary.ORGANISATION_KINDS.items()),
                           form=request.form, errors=errors,
                           created="angelegt" in request.args), 422 if errors else 200


@bp.get("/verwaltung/organisationen")
@for_roles_of("admin.overview")
def organisations() -> ResponseReturnValue:
    return _organisations_page(FieldErrors())


@bp.post("/verwaltung/organisationen")
@accepts(FORM)
@for_roles_of("admin.new_organisation")
def new_organisation() -> ResponseReturnValue:
    """A new organisation of the tenant (identity: tenant administrators)."""
    form = request.form
    done, errors = _created("identity", "organisations", {
        "name": text(form, "name"), "kind": choice(form, "kind"),
        "parent_id": choice(form, "parent_id"), "area_id": choice(form, "area_id")},
        "admin.organisations")
    return done or _organisations_page(errors)


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


def _target_groups_page(errors: FieldErrors) -> ResponseReturnValue:
    areas = block("identity", "areas")
    return render_template("admin/target_groups.html", title="Zielgruppen",
                           groups=block("intake", "target-groups"), areas=_names(areas),
                           towns=[(a["id"], a["name"]) for a in areas.data or []
                                  if a.get("kind") == "town"],
                           may_create=may_open("admin.new_target_group", _user().roles),
                           form=request.form, errors=errors,
                           created="angelegt" in request.args), 422 if errors else 200


@bp.get("/verwaltung/zielgruppen")
@for_roles_of("admin.overview")
def target_groups() -> ResponseReturnValue:
    return _target_groups_page(FieldErrors())


@bp.post("/verwaltung/zielgruppen")
@accepts(FORM)
@for_roles_of("admin.new_target_group")
def new_target_group() -> ResponseReturnValue:
    """A target group as the steering group decided it (intake: administrators, the office)."""
    form = request.form
    done, errors = _created("intake", "target-groups", {
        "name": text(form, "name"), "description": text(form, "description"),
        "valid_from": text(form, "valid_from"), "valid_until": text(form, "valid_until"),
        "area_ids": choices(form, "area_ids"),
        "steering_decision_ref": text(form, "steering_decision_ref")},
        "admin.target_groups")
    return done or _target_groups_page(errors)


def _directory_page(errors: FieldErrors) -> ResponseReturnValue:
    query = text(request.args, "suche")
    found = block("network", "services", q=query) if query else None
    return render_template("admin/directory.html", title="Angebotsverzeichnis",
                           partners=block("network", "directory/organizations"),
                           query=query or "", found=found,
                           may_create=may_open("admin.new_partner", _user().roles),
                           form=request.form, errors=errors,
                           created="angelegt" in request.args), 422 if errors else 200


@bp.get("/verwaltung/verzeichnis")
@for_roles_of("admin.overview")
def directory() -> ResponseReturnValue:
    """The network's directory: its partners, and the search of its services (``?suche=``)."""
    return _directory_page(FieldErrors())


@bp.post("/verwaltung/verzeichnis")
@accepts(FORM)
@for_roles_of("admin.new_partner")
def new_partner() -> ResponseReturnValue:
    """A partner in the directory (the network: the office; an org admin her own)."""
    form = request.form
    done, errors = _created("network", "directory/organizations", {
        "name": text(form, "name"), "description": text(form, "description"),
        "email": text(form, "email"), "website": text(form, "website")},
        "admin.directory")
    return done or _directory_page(errors)
