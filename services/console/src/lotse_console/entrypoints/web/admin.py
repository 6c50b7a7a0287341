"""Administration (*Verwaltung*) within the rights identity delegates (ADR 0052): the
organisations and areas, the users with their roles (a tenant administrator all, an
organisation's administrator her own organisation's; assigning roles where identity allows
the caller), intake's target groups with their validity and the steering decision they rest
on, and the network's directory of partners and services with its search. Every list is one
API call with the user's token; what identity, intake or the network refuse her is said in the
block, the other blocks still show.

Beyond the lists, only what the APIs offer: an area and an organisation created, an
organisation changed or ended (an organisation's administrator: its name), a user created and
her access locked or opened again, a target group's last day, a partner's places and services
in the directory."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import InternalServerError

from lotse_platform.http import accepts

from ...domain import vocabulary
from ...domain.field_errors import FieldErrors, from_problem, renamed
from ...domain.navigation import COORDINATOR, ORG_ADMIN, TENANT_ADMIN, may_open
from .common import User, apis, block, for_roles_of, refused, token
from .forms import FORM, choice, choices, text, without_empty, yes_no

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
                           may_change=_changeable_organisations(organisations.data),
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


def _areas_page(errors: FieldErrors) -> ResponseReturnValue:
    areas = block("identity", "areas")
    return render_template("admin/areas.html", title="Gebiete", areas=areas,
                           names=_names(areas),
                           may_create=may_open("admin.new_area", _user().roles),
                           kinds=list(vocabulary.AREA_KINDS.items()),
                           form=request.form, errors=errors,
                           created="angelegt" in request.args), 422 if errors else 200


def _changeable_organisations(organisations: Any) -> set[str]:
    """The organisations the user may change: a tenant administrator every one, an
    organisation's administrator her own (identity decides; the console offers no other)."""
    user = _user()
    if TENANT_ADMIN in user.roles:
        return {str(o.get("id")) for o in organisations or [] if isinstance(o, dict)}
    return {user.organisation} if ORG_ADMIN in user.roles else set()


def _organisation_form(organisation: dict[str, Any]) -> MultiDict[str, str]:
    return MultiDict([("name", str(organisation.get("name") or "")),
                      ("kind", str(organisation.get("kind") or "")),
                      ("parent_id", str(organisation.get("parent_id") or "")),
                      ("area_id", str(organisation.get("area_id") or "")),
                      ("active", "ja" if organisation.get("active") else "nein")])


@bp.route("/verwaltung/organisationen/<uuid:organisation_id>", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("admin.organisation")
def organisation(organisation_id: uuid.UUID) -> ResponseReturnValue:
    """Change an organisation (identity ``PATCH /organisations/{id}``): a tenant administrator
    its name, kind, parent, own area, and ends it (inactive) or takes it up again; an
    organisation's administrator renames her own, nothing else (ADR 0052)."""
    tenant_admin = TENANT_ADMIN in _user().roles
    form: MultiDict[str, str] = request.form
    errors = FieldErrors()
    if request.method == "POST":
        # an emptied name is sent empty: identity names what is wrong with it
        body: dict[str, Any] = {"name": (form.get("name") or "").strip()}
        if tenant_admin:  # an organisation's administrator sends the name alone
            body.update(kind=choice(form, "kind"), parent_id=choice(form, "parent_id"),
                        area_id=choice(form, "area_id"), active=yes_no(form, "active"))
            body = {k: v for k, v in body.items()
                    if v is not None or k in ("parent_id", "area_id")}
        answer = apis().patch(token(), "identity", f"organisations/{organisation_id}", body)
        if answer.ok:
            return redirect(url_for("admin.organisation", organisation_id=organisation_id,
                                    gespeichert=1), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    answer = apis().get(token(), "identity", f"organisations/{organisation_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    shown: dict[str, Any] = answer.body
    if request.method == "GET":
        form = _organisation_form(shown)
    organisations = block("identity", "organisations")
    return render_template("admin/organisation.html", title="Organisation ändern",
                           organisation=shown, form=form, errors=errors,
                           tenant_admin=tenant_admin,
                           kinds=list(vocabulary.ORGANISATION_KINDS.items()),
                           parents=[(i, n) for i, n in _names(organisations).items()
                                    if i != str(organisation_id)],
                           areas=list(_names(block("identity", "areas")).items()),
                           saved="gespeichert" in request.args), 422 if errors else 200


@bp.get("/verwaltung/gebiete")
@for_roles_of("admin.overview")
def areas() -> ResponseReturnValue:
    return _areas_page(FieldErrors())


@bp.post("/verwaltung/gebiete")
@accepts(FORM)
@for_roles_of("admin.new_area")
def new_area() -> ResponseReturnValue:
    """A new area (identity: tenant administrators): a town, a district, a cluster region."""
    form = request.form
    done, errors = _created("identity", "areas", {
        "name": text(form, "name"), "kind": choice(form, "kind"),
        "parent_id": choice(form, "parent_id")}, "admin.areas")
    return done or _areas_page(errors)


def _users_page(errors: FieldErrors) -> ResponseReturnValue:
    user = _user()
    return render_template("admin/users.html", title="Benutzerinnen und Benutzer",
                           users=block("identity", "users"),
                           organisations=_names(block("identity", "organisations")),
                           areas=_names(block("identity", "areas")),
                           may_assign=bool({TENANT_ADMIN, ORG_ADMIN} & set(user.roles)),
                           may_create=may_open("admin.new_user", user.roles),
                           me=user.subject, errors=errors,
                           created="angelegt" in request.args,
                           changed="geaendert" in request.args), 422 if errors else 200


@bp.get("/verwaltung/benutzer")
@for_roles_of("admin.overview")
def users() -> ResponseReturnValue:
    """The users identity shows the caller (names are personal data: identity audits it)."""
    return _users_page(FieldErrors())


@bp.route("/verwaltung/benutzer/neu", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("admin.new_user")
def new_user() -> ResponseReturnValue:
    """A new user (identity ``POST /users``): a tenant administrator in any organisation, an
    organisation's administrator in her own, each with the roles she may hand out. A first
    password is a temporary one: identity makes her choose her own at the first login."""
    user = _user()
    form: MultiDict[str, str] = request.form
    errors = FieldErrors()
    if request.method == "POST":
        password = form.get("password") or None
        body = without_empty({
            "username": text(form, "username"), "display_name": text(form, "display_name"),
            "email": text(form, "email"), "organisation_id": choice(form, "organisation_id"),
            "roles": choices(form, "roles"), "area_ids": choices(form, "area_ids"),
            "password": password, "password_change_required": password is not None})
        answer = apis().post(token(), "identity", "users", body)
        if answer.ok:
            created = answer.body.get("id") if isinstance(answer.body, dict) else None
            return redirect(url_for("admin.users", angelegt=1,
                                    _anchor=f"benutzer-{created}" if created else None),
                            code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    elif TENANT_ADMIN not in user.roles:
        form = MultiDict([("organisation_id", user.organisation)])
    organisations = _names(block("identity", "organisations"))
    if TENANT_ADMIN not in user.roles:
        organisations = {i: n for i, n in organisations.items() if i == user.organisation}
    areas = block("identity", "areas")
    return render_template("admin/new_user.html", title="Benutzerin oder Benutzer anlegen",
                           form=form, errors=errors, organisations=list(organisations.items()),
                           roles=_assignable(user),
                           areas=[(a["id"], a["name"]) for a in areas.data or []
                                  if a.get("active", True) and a.get("kind") in ("town",
                                                                                  "district")]),\
        422 if errors else 200


@bp.post("/verwaltung/benutzer/<uuid:user_id>/<any(sperren, freigeben):action>")
@accepts(FORM)
@for_roles_of("admin.user_access")
def user_access(user_id: uuid.UUID, action: str) -> ResponseReturnValue:
    """Sperren (identity ``POST /users/{id}/disable``: no more logins, her refresh tokens
    void) or freigeben again (``/enable``); identity checks that the caller administers her."""
    answer = apis().post(token(), "identity", f"users/{user_id}/"
                         + ("disable" if action == "sperren" else "enable"), {})
    if answer.ok:
        return redirect(url_for("admin.users", geaendert=1, _anchor=f"benutzer-{user_id}"),
                        code=303)
    refused(answer)
    return _users_page(from_problem(answer.status, answer.problem))


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


@bp.route("/verwaltung/zielgruppen/<uuid:group_id>", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("admin.target_group")
def target_group(group_id: uuid.UUID) -> ResponseReturnValue:
    """End or extend a target group (intake ``PATCH /target-groups/{id}``: its last valid
    day), as the steering group decided; intake takes nothing else of it to change."""
    form: MultiDict[str, str] = request.form
    errors = FieldErrors()
    if request.method == "POST":
        answer = apis().patch(token(), "intake", f"target-groups/{group_id}",
                              without_empty({"valid_until": text(form, "valid_until")}))
        if answer.ok:
            return redirect(url_for("admin.target_group", group_id=group_id, gespeichert=1),
                            code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    answer = apis().get(token(), "intake", f"target-groups/{group_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    group: dict[str, Any] = answer.body
    if request.method == "GET":
        form = MultiDict([("valid_until", str(group.get("valid_until") or ""))])
    return render_template("admin/target_group.html", title="Zielgruppe", group=group,
                           areas=_names(block("identity", "areas")), form=form,
                           errors=errors, saved="gespeichert" in request.args), \
        422 if errors else 200


def _target_groups_page(errors: FieldErrors) -> ResponseReturnValue:
    areas = block("identity", "areas")
    return render_template("admin/target_groups.html", title="Zielgruppen",
                           groups=block("intake", "target-groups"), areas=_names(areas),
                           towns=[(a["id"], a["name"]) for a in areas.data or []
                                  if a.get("kind") == "town"],
                           may_create=may_open("admin.new_target_group", _user().roles),
                           may_change=may_open("admin.target_group", _user().roles),
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


def _kept_partners(partners: Any) -> set[str]:
    """The directory's partners whose places and services the user keeps (the network's rule):
    the office every one, an organisation's administrator those linked to her organisation."""
    user = _user()
    if not may_open("admin.partner", user.roles):
        return set()
    return {str(p.get("id")) for p in partners or [] if isinstance(p, dict)
            and (COORDINATOR in user.roles or p.get("identity_org_id") == user.organisation)}


def _directory_page(errors: FieldErrors) -> ResponseReturnValue:
    query = text(request.args, "suche")
    found = block("network", "services", q=query) if query else None
    partners = block("network", "directory/organizations")
    return render_template("admin/directory.html", title="Angebotsverzeichnis",
                           partners=partners,
                           query=query or "", found=found,
                           may_create=may_open("admin.new_partner", _user().roles),
                           kept=_kept_partners(partners.data),
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


# -- a partner's places and services (the network's directory) ----------------------------------
LOCATION_FIELDS = ("name", "address_1", "postal_code", "city", "municipality_id")
SERVICE_FIELDS = ("name", "description", "kind", "topic_areas", "location_ids",
                  "service_area_ids", "fees_description", "email", "url")


def _prefixed(fields: tuple[str, ...], prefix: str) -> dict[str, str]:
    """The network's field names → the form's (two forms on one page: ``ort.name``)."""
    return {name: f"{prefix}.{name}" for name in fields}


def _partner_page(organization_id: uuid.UUID, errors: FieldErrors,
                  saved: str | None = None) -> ResponseReturnValue:
    answer = apis().get(token(), "network", f"directory/organizations/{organization_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    locations = block("network", "directory/locations", organization_id=str(organization_id))
    areas = block("identity", "areas")
    return render_template("admin/partner.html", title="Partner pflegen", partner=answer.body,
                           may_write=str(organization_id) in _kept_partners([answer.body]),
                           locations=locations, form=request.form, errors=errors,
                           towns=[(a["id"], a["name"]) for a in areas.data or []
                                  if a.get("kind") in ("town", "district")
                                  and a.get("active", True)],
                           area_names=_names(areas),
                           kinds=list(vocabulary.SERVICE_KINDS.items()),
                           topics=list(vocabulary.TOPIC_AREAS.items()),
                           saved=saved or {"ort": "Der Ort ist eingetragen.",
                                           "angebot": "Das Angebot ist eingetragen."}.get(
                               request.args.get("gespeichert", ""))), \
        422 if errors else 200


@bp.get("/verwaltung/verzeichnis/partner/<uuid:organization_id>")
@for_roles_of("admin.partner")
def partner(organization_id: uuid.UUID) -> ResponseReturnValue:
    """A partner of the directory with its places, and the forms to add a place and a
    service (the network: the office every partner, an organisation's administrator the
    entries of her own organisation)."""
    return _partner_page(organization_id, FieldErrors())


def _added(organization_id: uuid.UUID, path: str, body: dict[str, Any], prefix: str,
           fields: tuple[str, ...], saved: str) -> ResponseReturnValue:
    answer = apis().post(token(), "network", path, without_empty(body))
    if answer.ok:
        return redirect(url_for("admin.partner", organization_id=organization_id,
                                gespeichert=saved, _anchor=saved), code=303)
    refused(answer)
    return _partner_page(organization_id, from_problem(
        answer.status, renamed(answer.problem, _prefixed(fields, prefix))))


@bp.post("/verwaltung/verzeichnis/partner/<uuid:organization_id>/orte")
@accepts(FORM)
@for_roles_of("admin.partner")
def new_location(organization_id: uuid.UUID) -> ResponseReturnValue:
    """A place of the partner (``POST /directory/locations``): address and the town it lies
    in, so that the search finds its services there."""
    form = request.form
    return _added(organization_id, "directory/locations", {
        "organization_id": str(organization_id),
        **{name: text(form, f"ort.{name}") for name in LOCATION_FIELDS}},
        "ort", LOCATION_FIELDS, "ort")


@bp.post("/verwaltung/verzeichnis/partner/<uuid:organization_id>/angebote")
@accepts(FORM)
@for_roles_of("admin.partner")
def new_service(organization_id: uuid.UUID) -> ResponseReturnValue:
    """A service of the partner (``POST /services``): what it offers, its kind and topic
    areas, where (its places, the towns it serves) and how to reach it."""
    form = request.form
    return _added(organization_id, "services", {
        "organization_id": str(organization_id),
        **{name: text(form, f"angebot.{name}") for name in (
            "name", "description", "kind", "fees_description", "email", "url")},
        **{name: choices(form, f"angebot.{name}") for name in (
            "topic_areas", "location_ids", "service_area_ids")}},
        "angebot", SERVICE_FIELDS, "angebot")
