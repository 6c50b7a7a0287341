"""*Erstkontakt und Screening* through to admission: each step a form that posts to intake's
API with the user's token; every error the API names is shown at its field, in German, with a
summary at the top. Only ids in the URLs, never a name."""

from __future__ import annotations

import uuid
from typing import Any

from flask.typing import ResponseReturnValue
from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.exceptions import InternalServerError

from lotse_platform import clock
from lotse_platform.http import accepts

from ...adapters.apis import Answer
from ...domain import vocabulary
from ...domain.field_errors import FieldErrors, from_problem
from .common import User, apis, for_roles_of, refused, token
from .forms import FORM, choice, choices, text, without_empty, yes_no

bp = Blueprint("intake", __name__)

FIRST_CONTACT = "intake.first_contact"


def _user() -> User:
    user = User.from_session()
    assert user is not None
    return user


def _today() -> str:
    return clock.today(_user().tenant).isoformat()


def _areas() -> list[dict[str, Any]]:
    """The areas (towns) the user serves, by name; every area for a tenant-wide role."""
    answer = apis().get(token(), "identity", "areas")
    refused(answer)
    user = _user()
    areas = [a for a in answer.body or [] if a.get("active", True)]
    mine = [a for a in areas if a["id"] in user.areas]
    return sorted(mine or areas, key=lambda a: a["name"])


def _organisations() -> list[dict[str, Any]]:
    answer = apis().get(token(), "identity", "organisations")
    refused(answer)
    return sorted((o for o in answer.body or [] if o.get("active", True)),
                  key=lambda o: o["name"])


def _intake(intake_id: uuid.UUID) -> dict[str, Any]:
    answer = apis().get(token(), "intake", f"intakes/{intake_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    body: dict[str, Any] = answer.body
    return body


def _errors(answer: Answer) -> FieldErrors:
    """The API's refusal at the fields; a 403 or 404 is a page of its own."""
    refused(answer)
    return from_problem(answer.status, answer.problem)


@bp.route("/erstkontakt", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of(FIRST_CONTACT)
def first_contact() -> ResponseReturnValue:
    """Erstkontakt erfassen: the person, the way in (*Zugangsweg*), the town, the day."""
    form = request.form
    errors = FieldErrors()
    if request.method == "POST":
        body = without_empty({
            "person": {"given_name": text(form, "person.given_name"),
                       "family_name": text(form, "person.family_name"),
                       "date_of_birth": text(form, "person.date_of_birth"),
                       "interpreter_needed": form.get("person.interpreter_needed") == "ja"},
            "access_path": choice(form, "access_path"),
            "referring_org_id": choice(form, "referring_org_id"),
            "area_id": choice(form, "area_id"),
            "contact_date": text(form, "contact_date"),
            "note": text(form, "note"),
        })
        answer = apis().post(token(), "intake", "intakes", body)
        if answer.ok:
            return redirect(url_for("intake.overview", intake_id=answer.body["id"]), code=303)
        errors = _errors(answer)
    return render_template("intake/first_contact.html", title="Erstkontakt erfassen",
                           form=form, errors=errors, areas=_areas(),
                           organisations=_organisations(), today=_today()), \
        422 if errors else 200


@bp.get("/erstberatungen")
@for_roles_of("intake.open_intakes")
def open_intakes() -> ResponseReturnValue:
    """My open intakes: no depth decided yet, or admission still to come."""
    answer = apis().get(token(), "intake", "intakes/mine")
    refused(answer)
    return render_template("intake/open_intakes.html", title="Offene Erstberatungen",
                           intakes=answer.body or [])


@bp.get("/erstberatung/<uuid:intake_id>")
@for_roles_of(FIRST_CONTACT)
def overview(intake_id: uuid.UUID) -> ResponseReturnValue:
    intake = _intake(intake_id)
    return render_template("intake/overview.html", title="Erstberatung", intake=intake,
                           done=_steps_done(intake))


def _steps_done(intake: dict[str, Any]) -> dict[str, bool]:
    kinds = {c["kind"] for c in intake.get("consents") or [] if not c.get("withdrawn")}
    decisions = intake.get("decisions") or []
    return {"screening": bool(intake.get("screening")),
            "decision": bool(decisions),
            "case_management": bool(decisions) and decisions[-1]["depth"] == "case_management",
            "data_protection": "data_protection_information" in kinds,
            "agreement": "counselling_agreement" in kinds,
            "admission": bool(intake.get("admission"))}


@bp.route("/erstberatung/<uuid:intake_id>/screening", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of(FIRST_CONTACT)
def screening(intake_id: uuid.UUID) -> ResponseReturnValue:
    """Screeningbogen: the tenant's admission criteria, topic areas, crisis, the facts of the
    target-group check."""
    criteria_answer = apis().get(token(), "intake", "admission-criteria")
    refused(criteria_answer)
    criteria = criteria_answer.body or []
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        answered = [{"criterion": c["criterion"],
                     "met": yes_no(form, f"criteria.{c['criterion']}")} for c in criteria]
        body: dict[str, Any] = {
            # a criterion left open is not sent: the API names what is missing
            "criteria": [a for a in answered if a["met"] is not None],
            "topic_areas": choices(form, "topic_areas"),
            "crisis": yes_no(form, "crisis"),
            "facts": {"residence_statuses": choices(form, "facts.residence_statuses")},
        }
        answer = apis().put(token(), "intake", f"intakes/{intake_id}/screening",
                            without_empty(body))
        if answer.ok:
            return redirect(url_for("intake.overview", intake_id=intake_id), code=303)
        errors = _errors(answer)
    intake = _intake(intake_id)
    return render_template("intake/screening.html", title="Screening", intake=intake,
                           criteria=criteria, form=form, errors=errors), \
        422 if errors else 200


@bp.route("/erstberatung/<uuid:intake_id>/entscheidung", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of(FIRST_CONTACT)
def decision(intake_id: uuid.UUID) -> ResponseReturnValue:
    """Beratungstiefe: the depth decided; a referral names the organisation and topic."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        depth = choice(form, "depth")
        body: dict[str, Any] = {"depth": depth, "note": text(form, "note")}
        if depth == "referral":
            body["referral"] = {"org_id": choice(form, "referral.org_id"),
                                "topic": choice(form, "referral.topic")}
        answer = apis().post(token(), "intake", f"intakes/{intake_id}/decisions",
                             without_empty(body))
        if answer.ok:
            return redirect(url_for("intake.overview", intake_id=intake_id), code=303)
        errors = _errors(answer)
    intake = _intake(intake_id)
    return render_template("intake/decision.html", title="Beratungstiefe", intake=intake,
                           form=form, errors=errors, organisations=_organisations()), \
        422 if errors else 200


@bp.route("/erstberatung/<uuid:intake_id>/einwilligung", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of(FIRST_CONTACT)
def consent(intake_id: uuid.UUID) -> ResponseReturnValue:
    """Einwilligungen: data-protection information, release of confidentiality per partner and
    problem area, counselling agreement."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        kind = choice(form, "kind")
        body: dict[str, Any] = {"kind": kind, "given_on": text(form, "given_on"),
                                "valid_until": text(form, "valid_until")}
        if kind == "data_protection_information":
            body["language"] = text(form, "language") or "de"
        if kind == "release_of_confidentiality":
            body["partner_org_id"] = choice(form, "partner_org_id")
            body["topic_areas"] = choices(form, "topic_areas")
        answer = apis().post(token(), "intake", f"intakes/{intake_id}/consents",
                             without_empty(body))
        if answer.ok:
            return redirect(url_for("intake.overview", intake_id=intake_id), code=303)
        errors = _errors(answer)
    intake = _intake(intake_id)
    return render_template("intake/consent.html", title="Einwilligung erfassen", intake=intake,
                           form=form, errors=errors, organisations=_organisations(),
                           today=_today(), kind=request.args.get("art", form.get("kind"))), \
        422 if errors else 200


@bp.route("/erstberatung/<uuid:intake_id>/aufnahme", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of(FIRST_CONTACT)
def admission(intake_id: uuid.UUID) -> ResponseReturnValue:
    """Aufnahme in das KIM-Case-Management; the answer tells the caseload against the
    guideline."""
    form, errors = request.form, FieldErrors()
    admitted: dict[str, Any] | None = None
    if request.method == "POST":
        body = {"admitted_on": text(form, "admitted_on"),
                "justification": text(form, "justification")}
        answer = apis().post(token(), "intake", f"intakes/{intake_id}/admission",
                             without_empty(body))
        if answer.ok:
            admitted = answer.body
        else:
            errors = _errors(answer)
    intake = _intake(intake_id)
    return render_template("intake/admission.html", title="Aufnahme", intake=intake,
                           form=form, errors=errors, admitted=admitted, today=_today(),
                           done=_steps_done(intake), depths=vocabulary.DEPTHS), \
        (422 if errors else 200)
