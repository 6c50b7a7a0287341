"""The case file's working pages, on casework's API with the user's token: the assessment
(*Bestandsaufnahme*, every version, recorded and revised) with its resource and network maps
drawn, the help plan's versions side by side and its review, the case conferences
(*Fallkonferenzen*) planned and recorded, and a transfer offered to the case manager
(*Fallübergabe*) read and accepted or declined; a goal revised, marked reached or dropped.
Casework audits every read of a case file."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import InternalServerError, NotFound

from lotse_platform import clock
from lotse_platform.http import accepts

from ...domain import help_plans, maps, vocabulary
from ...domain.field_errors import FieldErrors, from_problem, renamed
from .common import User, apis, for_roles_of, refused, token
from .forms import FORM, choice, choices, text, without_empty

bp = Blueprint("case_work", __name__)

#: empty rows the assessment's form offers per list beyond the last version's entries
NETWORK_ROWS = 2
#: a language level's parts, as casework names them
LANGUAGE_PARTS = ("language", "level", "evidence", "assessed_on")


def _case(case_id: uuid.UUID) -> dict[str, Any]:
    answer = apis().get(token(), "casework", f"cases/{case_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    case: dict[str, Any] = answer.body
    return case


def _list(service: str, path: str) -> list[dict[str, Any]]:
    answer = apis().get(token(), service, path)
    refused(answer)
    if not answer.ok or not isinstance(answer.body, list):
        raise InternalServerError()
    return [entry for entry in answer.body if isinstance(entry, dict)]


def _organisations() -> list[dict[str, Any]]:
    answer = apis().get(token(), "identity", "organisations")
    return answer.body if answer.ok and isinstance(answer.body, list) else []


def _tenant() -> str:
    user = User.from_session()
    assert user is not None
    return user.tenant


def _writes(case: dict[str, Any]) -> bool:
    return case.get("access") in ("own", "shared") and not case.get("closed_on")


def _version(versions: list[dict[str, Any]], wanted: str | None) -> dict[str, Any] | None:
    """The version asked for (``?version=2``), else the latest."""
    if not versions:
        return None
    chosen = [v for v in versions if str(v.get("version")) == (wanted or "")]
    return chosen[0] if chosen else versions[-1]


# -- assessment and maps -----------------------------------------------------------------------
def _assessment_form(latest: dict[str, Any] | None) -> MultiDict[str, str]:
    """The form filled with the latest version: a re-assessment starts from what was known."""
    form: MultiDict[str, str] = MultiDict()
    if not latest:
        return form
    for entry in latest.get("life_areas") or []:
        for part in ("client_view", "case_manager_view", "disagreement"):
            if entry.get(part):
                form[f"life_areas.{entry.get('area')}.{part}"] = str(entry[part])
    for kind in vocabulary.RESOURCE_KINDS:
        described = [str(r.get("description")) for r in latest.get("resources") or []
                     if r.get("kind") == kind]
        for n, description in enumerate(described, start=1):
            form[f"resources.{kind}.n{n}"] = description
    for row, entry in enumerate(latest.get("network") or [], start=1):
        for part in ("label", "kind", "relation", "quality", "intensity"):
            if entry.get(part):
                form[f"network.r{row}.{part}"] = str(entry[part])
    for row, entry in enumerate(latest.get("language_levels") or [], start=1):
        for part in LANGUAGE_PARTS:
            if entry.get(part):
                form[f"language_levels.r{row}.{part}"] = str(entry[part])
    return form


def _language_rows(form: MultiDict[str, str], latest: dict[str, Any] | None) -> int:
    """The language levels' rows: as many as the latest version or the form has, and one
    empty one."""
    named = [int(number) for key, value in form.items()
             if value and key.startswith("language_levels.r")
             and (number := key.split(".")[1].lstrip("r")).isdigit()]
    return max([len((latest or {}).get("language_levels") or []), *named]) + 1


def _rows(form: MultiDict[str, str], latest: dict[str, Any] | None) -> int:
    """How many rows the form offers per list (network entries, resources of one kind): as
    many as the latest version or the form has, and some empty ones."""
    latest = latest or {}
    known = [len(latest.get("network") or [])] + [
        sum(1 for r in latest.get("resources") or [] if r.get("kind") == kind)
        for kind in vocabulary.RESOURCE_KINDS]
    named = [int(number) for key, value in form.items()
             if value and key.startswith(("network.", "resources.")) and len(key.split(".")) == 3
             and (number := key.split(".")[-2 if key.startswith("network.") else -1]
                  .lstrip("rn")).isdigit()]
    return max([*known, *named]) + NETWORK_ROWS


def _assessment_body(form: MultiDict[str, str], rows: int,
                     language_rows: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body from the form, and the API's list members → the form's rows."""
    names: dict[str, str] = {}
    life_areas: list[dict[str, Any]] = []
    for area in vocabulary.LIFE_AREAS:
        entry = without_empty({part: text(form, f"life_areas.{area}.{part}")
                               for part in ("client_view", "case_manager_view", "disagreement")})
        if entry:
            names[f"life_areas.{len(life_areas)}"] = f"life_areas.{area}"
            life_areas.append({"area": area, **entry})
    resources: list[dict[str, Any]] = []
    for kind in vocabulary.RESOURCE_KINDS:
        for n in range(1, rows + 1):
            description = text(form, f"resources.{kind}.n{n}")
            if description:
                names[f"resources.{len(resources)}"] = f"resources.{kind}.n{n}"
                resources.append({"kind": kind, "description": description})
    network: list[dict[str, Any]] = []
    for row in range(1, rows + 1):
        entry = without_empty({part: text(form, f"network.r{row}.{part}")
                               for part in ("label", "kind", "relation", "quality",
                                            "intensity")})
        if entry:
            names[f"network.{len(network)}"] = f"network.r{row}"
            network.append(entry)
    levels: list[dict[str, Any]] = []
    for row in range(1, language_rows + 1):
        entry = without_empty({part: text(form, f"language_levels.r{row}.{part}")
                               for part in LANGUAGE_PARTS})
        if entry:
            names[f"language_levels.{len(levels)}"] = f"language_levels.r{row}"
            levels.append(entry)
    return {"life_areas": life_areas, "resources": resources, "network": network,
            "language_levels": levels}, names


def _languages(versions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The languages offered: the form's list, and any other one a version recorded."""
    recorded = {str(entry.get("language")) for version in versions
                for entry in version.get("language_levels") or [] if entry.get("language")}
    return [*vocabulary.LANGUAGES.items(),
            *((tag, tag) for tag in sorted(recorded - set(vocabulary.LANGUAGES)))]


@bp.route("/fall/<uuid:case_id>/bestandsaufnahme", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def assessment(case_id: uuid.UUID) -> ResponseReturnValue:
    """Bestandsaufnahme: every version (the latest shown unless another is chosen), the
    resource and network maps drawn, and — in the assessment phases — the form for a new
    version, filled with the latest. Each life area keeps both views; where they differ the
    disagreement is recorded (casework's rule, shown at the field)."""
    case = _case(case_id)
    versions = _list("casework", f"cases/{case_id}/assessments")
    latest = versions[-1] if versions else None
    errors = FieldErrors()
    form: MultiDict[str, str]
    if request.method == "POST":
        form = request.form
        body, names = _assessment_body(form, _rows(form, latest),
                                       _language_rows(form, latest))
        answer = apis().post(token(), "casework", f"cases/{case_id}/assessments", body)
        if answer.ok:
            return redirect(url_for("case_work.assessment", case_id=case_id,
                                    _anchor="version"), code=303)
        refused(answer)
        errors = from_problem(answer.status, renamed(answer.problem, names))
    else:
        form = _assessment_form(latest)
    shown = _version(versions, request.args.get("version"))
    resource_map = network_map = None
    if shown:
        resource_map = maps.resource_map(shown.get("resources") or [], vocabulary.RESOURCE_KINDS)
        network_map = maps.network_map(shown.get("network") or [], vocabulary.NETWORK_KINDS,
                                       vocabulary.CONTACT_INTENSITIES)
    may_record = _writes(case) and case.get("phase") in ("assessment", "reassessment")
    return render_template("cases/assessment.html", title="Bestandsaufnahme", case=case,
                           versions=versions, shown=shown, resource_map=resource_map,
                           network_map=network_map, form=form, errors=errors,
                           may_record=may_record, rows=_rows(form, latest),
                           language_rows=_language_rows(form, latest),
                           languages=_languages(versions)), \
        422 if errors else 200


# -- help plan ---------------------------------------------------------------------------------
def _day_of(version: dict[str, Any]) -> date:
    instant = datetime.fromisoformat(str(version.get("created_at")))
    return clock.day_of(instant, _tenant())


@bp.get("/fall/<uuid:case_id>/hilfeplan")
@for_roles_of("cases.my_cases")
def help_plan_versions(case_id: uuid.UUID) -> ResponseReturnValue:
    """Hilfeplan-Versionen im Vergleich: two versions chosen (by number; the last two unless
    chosen), shown in two columns with what changed marked — goals added and removed, the
    fields of goals and of the plan that changed."""
    case = _case(case_id)
    versions = _list("casework", f"cases/{case_id}/help-plans")
    numbers = [int(v["version"]) for v in versions if isinstance(v.get("version"), int)]
    comparison, problem = None, None
    if len(versions) >= 2:
        left = request.args.get("links", type=int) or numbers[-2]
        right = request.args.get("rechts", type=int) or numbers[-1]
        if left not in numbers or right not in numbers:
            raise NotFound()
        if left == right:
            problem = "Bitte zwei verschiedene Versionen wählen."
        else:
            older, newer = sorted((left, right))
            first = next(v for v in versions if v["version"] == older)
            second = next(v for v in versions if v["version"] == newer)
            comparison = help_plans.compare(first, _day_of(first), second, _day_of(second),
                                            case.get("goals") or [])
        chosen = {"links": left, "rechts": right}
    else:
        chosen = {}
    names = {o["id"]: o["name"] for o in _organisations()}
    return render_template("cases/help_plans.html", title="Hilfeplan-Versionen", case=case,
                           versions=versions, comparison=comparison, chosen=chosen,
                           problem=problem, names=names, goal_fields=help_plans.GOAL_FIELDS,
                           may_review=_writes(case) and case.get("phase") in (
                               "goal_agreement", "linking", "monitoring", "reassessment")), \
        422 if problem else 200


@bp.route("/fall/<uuid:case_id>/hilfeplan/ueberpruefen", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def review_help_plan(case_id: uuid.UUID) -> ResponseReturnValue:
    """Hilfeplan aufstellen oder überprüfen: a new version with its monitoring arrangement;
    a review says what changed and why."""
    case = _case(case_id)
    errors = FieldErrors()
    form: MultiDict[str, str]
    if request.method == "POST":
        form = request.form
        days = text(form, "monitoring.every_days")
        body = without_empty({
            "monitoring": {"every_days": int(days) if days and days.isdigit() else days,
                           "contact_types": choices(form, "monitoring.contact_types")},
            "changes": text(form, "changes"), "reason": text(form, "reason")})
        answer = apis().post(token(), "casework", f"cases/{case_id}/help-plans", body)
        if answer.ok:
            return redirect(url_for("case_work.help_plan_versions", case_id=case_id), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    else:
        plan = case.get("help_plan") or {}
        form = MultiDict([("monitoring.every_days", str(plan.get("monitoring_every_days") or ""))]
                         + [("monitoring.contact_types", t)
                            for t in plan.get("monitoring_contact_types") or []])
    return render_template("cases/help_plan_review.html", title="Hilfeplan überprüfen",
                           case=case, form=form, errors=errors), 422 if errors else 200


# -- goals: revised, reached, dropped -----------------------------------------------------------
#: each of the goal page's forms names casework's ``reason`` by what it is there
GOAL_REASONS = {"revise": "revision_reason", "reach": "reached_reason", "drop": "dropped_reason"}
GOAL_SAVED = {"revise": "Das Ziel ist überarbeitet.", "reach": "Das Ziel ist als erreicht "
              "eingetragen.", "drop": "Das Ziel ist aufgegeben."}


def _goal(case: dict[str, Any], goal_id: uuid.UUID) -> dict[str, Any]:
    found = [g for g in case.get("goals") or [] if g.get("id") == str(goal_id)]
    if not found:
        raise NotFound()
    chosen: dict[str, Any] = found[0]
    return chosen


def _goal_form(goal: dict[str, Any]) -> MultiDict[str, str]:
    """The revision's form starts from the goal as it reads now."""
    return MultiDict([(name, str(goal.get(name) or "")) for name in (
        "topic_area", "statement", "indicator", "responsible", "responsible_org_id",
        "realism_note", "due_on")])


def _goal_page(case_id: uuid.UUID, goal_id: uuid.UUID, form: MultiDict[str, str] | None = None,
               errors: FieldErrors | None = None) -> ResponseReturnValue:
    case = _case(case_id)
    goal = _goal(case, goal_id)
    shown = _goal_form(goal)
    if form is not None:  # what she sent stays in the fields
        for name in form:
            shown.setlist(name, form.getlist(name))
    errors = errors or FieldErrors()
    organisations = _organisations()
    return render_template("cases/goal_edit.html", title="Ziel", case=case, goal=goal,
                           form=shown, errors=errors,
                           saved=GOAL_SAVED.get(request.args.get("gespeichert", "")),
                           may_change=_writes(case) and goal.get("status") == "open",
                           organisations=organisations,
                           names={o["id"]: o["name"] for o in organisations}), \
        422 if errors else 200


@bp.get("/fall/<uuid:case_id>/ziel/<uuid:goal_id>")
@for_roles_of("cases.my_cases")
def goal(case_id: uuid.UUID, goal_id: uuid.UUID) -> ResponseReturnValue:
    """One goal: as it reads now, its earlier revisions with their reasons, and — for an open
    goal of an own or shared open case — the forms to revise it, to mark it reached and to
    drop it (casework wants the reason for a revision and for dropping it)."""
    return _goal_page(case_id, goal_id)


def _goal_change(case_id: uuid.UUID, goal_id: uuid.UUID, action: str,
                 body: dict[str, Any]) -> ResponseReturnValue:
    answer = apis().post(token(), "casework", f"cases/{case_id}/goals/{goal_id}/{action}", body)
    if answer.ok:
        return redirect(url_for("case_work.goal", case_id=case_id, goal_id=goal_id,
                                gespeichert=action), code=303)
    refused(answer)
    errors = from_problem(answer.status, renamed(answer.problem,
                                                 {"reason": GOAL_REASONS[action]}))
    return _goal_page(case_id, goal_id, request.form, errors)


@bp.post("/fall/<uuid:case_id>/ziel/<uuid:goal_id>/ueberarbeiten")
@accepts(FORM)
@for_roles_of("cases.my_cases")
def revise_goal(case_id: uuid.UUID, goal_id: uuid.UUID) -> ResponseReturnValue:
    """Ziel überarbeiten: the SMART parts as they should read now, and why. A part emptied is
    sent empty, so casework's SMART rule names it rather than keeping the old text."""
    form = request.form
    body: dict[str, Any] = {name: (form.get(name) or "").strip()
                            for name in ("statement", "indicator", "realism_note")}
    body.update(without_empty({
        "reason": text(form, "revision_reason"), "topic_area": choice(form, "topic_area"),
        "responsible": choice(form, "responsible"),
        "responsible_org_id": choice(form, "responsible_org_id"),
        "due_on": (form.get("due_on") or "").strip(),
        "primary": True if form.get("primary") == "ja" else None}))
    return _goal_change(case_id, goal_id, "revise", body)


@bp.post("/fall/<uuid:case_id>/ziel/<uuid:goal_id>/erreicht")
@accepts(FORM)
@for_roles_of("cases.my_cases")
def reach_goal(case_id: uuid.UUID, goal_id: uuid.UUID) -> ResponseReturnValue:
    """Ziel erreicht, with a note if there is one to keep."""
    return _goal_change(case_id, goal_id, "reach",
                        without_empty({"reason": text(request.form, "reached_reason")}))


@bp.post("/fall/<uuid:case_id>/ziel/<uuid:goal_id>/aufgeben")
@accepts(FORM)
@for_roles_of("cases.my_cases")
def drop_goal(case_id: uuid.UUID, goal_id: uuid.UUID) -> ResponseReturnValue:
    """Ziel aufgeben: casework wants to know why."""
    return _goal_change(case_id, goal_id, "drop",
                        without_empty({"reason": text(request.form, "dropped_reason")}))


# -- case conferences --------------------------------------------------------------------------
#: rows the conference form offers: partner organisations, persons without an organisation
PARTNER_ROWS, PERSON_ROWS = 3, 2


def _conference_body(form: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's body from the form, and the API's list members → the form's rows
    (``participants.1`` → ``participants.p2``). A person row is sent when anything of it is
    filled in; her agreement unticked is sent as no agreement, and casework says why not."""
    names: dict[str, str] = {}
    participants: list[dict[str, Any]] = []
    for row in range(1, PARTNER_ROWS + 1):
        organisation = choice(form, f"participants.p{row}.organisation_id")
        if organisation:
            names[f"participants.{len(participants)}"] = f"participants.p{row}"
            participants.append(without_empty({
                "organisation_id": organisation,
                "role": text(form, f"participants.p{row}.role")}))
    persons: list[dict[str, Any]] = []
    for row in range(1, PERSON_ROWS + 1):
        role, name = (choice(form, f"persons.r{row}.role"), text(form, f"persons.r{row}.name"))
        agreed = form.get(f"persons.r{row}.client_agreed") == "ja"
        if role or name or agreed:
            names[f"persons.{len(persons)}"] = f"persons.r{row}"
            persons.append(without_empty({"role": role, "name": name,
                                          "client_agreed": agreed}))
    body = without_empty({
        "planned_on": text(form, "planned_on"), "topics": choices(form, "topics"),
        "agenda": text(form, "agenda")})
    return {**body, "participants": participants, "persons": persons}, names


def _without_release(problem: dict[str, Any] | None, form: MultiDict[str, str],
                     names: dict[str, str]) -> FieldErrors:
    """Casework's refusal of a participant without a release for every topic (409), at the
    row that names the organisation."""
    errors = FieldErrors()
    organisation = str((problem or {}).get("organisation_id"))
    rows = [f"participants.p{row}.organisation_id" for row in range(1, PARTNER_ROWS + 1)
            if form.get(f"participants.p{row}.organisation_id") == organisation]
    at = rows[0] if rows else "participants.p1.organisation_id"
    topics = [vocabulary.label(vocabulary.TOPIC_AREAS, t)
              for t in (problem or {}).get("topics_without_release") or []]
    partner = names.get(organisation, "Diese Organisation")
    if topics:
        errors.add(at, f"{partner} kann nicht teilnehmen: Es fehlt eine gültige "
                       f"Schweigepflichtentbindung für „{'“, „'.join(topics)}“.")
    else:
        errors.add(at, f"{partner} kann nicht teilnehmen: Die Person hat ihre Einwilligung "
                       f"widerrufen.")
    return errors


@bp.route("/fall/<uuid:case_id>/fallkonferenz", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def new_conference(case_id: uuid.UUID) -> ResponseReturnValue:
    """Fallkonferenz planen: day, topics, agenda, the partner organisations taking part — each
    only with the person's release for every topic (casework confirms it with intake) — and
    persons without an organisation (a teacher, a volunteer), each with the person's
    agreement."""
    case = _case(case_id)
    organisations = _organisations()
    names = {o["id"]: o["name"] for o in organisations}
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        body, rows = _conference_body(form)
        answer = apis().post(token(), "casework", f"cases/{case_id}/conferences", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id,
                                    _anchor="fallkonferenzen"), code=303)
        refused(answer)
        problem = answer.problem or {}
        errors = (_without_release(problem, form, names)
                  if answer.status == 409 and "organisation_id" in problem
                  else from_problem(answer.status, renamed(problem, rows)))
    return render_template("cases/conference.html", title="Fallkonferenz planen", case=case,
                           form=form, errors=errors, organisations=organisations,
                           partner_rows=PARTNER_ROWS, person_rows=PERSON_ROWS), \
        422 if errors else 200


@bp.route("/fall/<uuid:case_id>/fallkonferenz/<uuid:conference_id>",
          methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def conference(case_id: uuid.UUID, conference_id: uuid.UUID) -> ResponseReturnValue:
    """One case conference; a planned one is recorded as held with its minutes, its duration
    and an agreed action."""
    case = _case(case_id)
    found = [c for c in case.get("conferences") or [] if c.get("id") == str(conference_id)]
    if not found:
        raise NotFound()
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        minutes = text(form, "duration_minutes")
        action = without_empty({"action": text(form, "actions.action"),
                                "responsible": choice(form, "actions.responsible"),
                                "due_on": text(form, "actions.due_on")})
        body = without_empty({
            "held_on": text(form, "held_on"), "minutes": text(form, "minutes"),
            "duration_minutes": int(minutes) if minutes and minutes.isdigit() else minutes,
            "actions": [action] if action else None})
        answer = apis().post(token(), "casework",
                             f"cases/{case_id}/conferences/{conference_id}/held", body)
        if answer.ok:
            return redirect(url_for("case_work.conference", case_id=case_id,
                                    conference_id=conference_id), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    names = {o["id"]: o["name"] for o in _organisations()}
    return render_template("cases/conference_held.html", title="Fallkonferenz", case=case,
                           conference=found[0], form=form, errors=errors, names=names,
                           may_record=_writes(case) and found[0].get("status") == "planned"), \
        422 if errors else 200


# -- a transfer offered to me ------------------------------------------------------------------
@bp.route("/uebergabe/<uuid:transfer_id>", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def incoming_transfer(transfer_id: uuid.UUID) -> ResponseReturnValue:
    """Übergabe annehmen: the handover package (casework audits the read) and the answer —
    accept (the case is hers from now on) or decline."""
    errors, taken = FieldErrors(), None
    if request.method == "POST":
        decision = choice(request.form, "decision")
        if decision in ("accept", "decline"):
            answer = apis().post(token(), "casework", f"transfers/{transfer_id}/{decision}", {})
            if answer.ok and decision == "accept":
                taken = answer.body if isinstance(answer.body, dict) else {}
                return render_template("cases/transfer_taken.html",
                                       title="Übergabe angenommen", taken=taken)
            if answer.ok:
                return redirect(url_for("pages.my_day", _anchor="uebergaben"), code=303)
            refused(answer)
            errors = from_problem(answer.status, answer.problem)
        else:
            errors.add("decision", "Bitte „Annehmen“ oder „Ablehnen“ wählen.")
    answer = apis().get(token(), "casework", f"transfers/{transfer_id}")
    refused(answer)
    if not answer.ok or not isinstance(answer.body, dict):
        raise InternalServerError()
    package = answer.body
    areas = apis().get(token(), "identity", "areas")
    area_names = {a["id"]: a["name"] for a in (areas.body if areas.ok else None) or []
                  if isinstance(a, dict)}
    return render_template("cases/transfer_received.html", title="Angebotene Übergabe",
                           package=package, transfer=package.get("transfer") or {},
                           area_names=area_names, names={o["id"]: o["name"]
                                                         for o in _organisations()},
                           form=request.form, errors=errors), 422 if errors else 200
