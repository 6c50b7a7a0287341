"""The case file (*Fallakte*): the case manager's cases and one case with its phases, goals
(with what makes them SMART), help plan, steps, contacts, referrals and conferences; what she
writes in it — a goal, a contact or home visit (and the appointment it is agreed as), a
referral to a partner (network's API, resting on the person's release for that partner and
topic area), the closure with its reason and the transfer to a colleague. Casework audits every
read of a case file; the network confirms each referral's release with intake."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from lotse_platform import clock
from lotse_platform.http import accepts

from ...domain import vocabulary
from ...domain.field_errors import FieldErrors, from_problem, missing_releases
from .common import User, apis, for_roles_of, refused, token
from .forms import FORM, choice, choices, text, without_empty, yes_no

bp = Blueprint("cases", __name__)


@bp.get("/faelle")
@for_roles_of("cases.my_cases")
def my_cases() -> ResponseReturnValue:
    """My open cases and those shared with me (ids, phase, topics: no personal data)."""
    answer = apis().get(token(), "casework", "cases")
    refused(answer)
    return render_template("cases/list.html", title="Meine Fälle", cases=answer.body or [])


def _case(case_id: uuid.UUID) -> dict[str, Any]:
    answer = apis().get(token(), "casework", f"cases/{case_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    case: dict[str, Any] = answer.body
    return case


@bp.get("/fall/<uuid:case_id>")
@for_roles_of("cases.my_cases")
def case_file(case_id: uuid.UUID) -> ResponseReturnValue:
    names = {o["id"]: o["name"] for o in _organisations()}
    return render_template("cases/file.html", title="Fallakte", case=_case(case_id),
                           names=names)


@bp.route("/fall/<uuid:case_id>/ziel", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def new_goal(case_id: uuid.UUID) -> ResponseReturnValue:
    """Zielvereinbarung: a goal as casework's SMART rule wants it; each part it finds missing
    is explained at its field (S, M, A, R, T)."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        body = without_empty({
            "topic_area": choice(form, "topic_area"), "statement": text(form, "statement"),
            "indicator": text(form, "indicator"), "responsible": choice(form, "responsible"),
            "responsible_org_id": choice(form, "responsible_org_id"),
            "realism_note": text(form, "realism_note"), "due_on": text(form, "due_on"),
            "primary": form.get("primary") == "ja"})
        answer = apis().post(token(), "casework", f"cases/{case_id}/goals", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    organisations = apis().get(token(), "identity", "organisations")
    return render_template("cases/goal.html", title="Ziel vereinbaren", case=_case(case_id),
                           form=form, errors=errors,
                           organisations=organisations.body if organisations.ok else []), \
        422 if errors else 200


def _today() -> str:
    user = User.from_session()
    assert user is not None
    return clock.today(user.tenant).isoformat()


def _organisations() -> list[dict[str, Any]]:
    answer = apis().get(token(), "identity", "organisations")
    return answer.body if answer.ok and isinstance(answer.body, list) else []


@bp.route("/fall/<uuid:case_id>/vermittlung", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def new_referral(case_id: uuid.UUID) -> ResponseReturnValue:
    """Vermittlung: the case referred to a partner organisation (network's API). It goes only
    where the person's release of confidentiality for that partner and topic area holds today;
    the page lists her releases, and a refusal names the missing one at the field."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        body = without_empty({
            "case_id": str(case_id), "partner_org_id": choice(form, "partner_org_id"),
            "topic_area": choice(form, "topic_area"), "mode": choice(form, "mode"),
            "reason": text(form, "reason"), "urgency": choice(form, "urgency")})
        # what identifies the person for this partner, and how to reach her: sent only when
        # given, and the network takes them only as far as the release covers the topic area
        body["shared"] = [{"category": category, "content": content}
                          for category in ("person", "contact")
                          if (content := text(form, f"shared_{category}"))]
        answer = apis().post(token(), "network", "referrals", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id, _anchor="vermittlungen"),
                            code=303)
        refused(answer)
        errors = (missing_releases(answer.problem, vocabulary.TOPIC_AREAS)
                  if answer.status == 409 and (answer.problem or {}).get("missing")
                  else from_problem(answer.status, answer.problem))
    releases = apis().get(token(), "network", "referrals/releases", case_id=str(case_id))
    organisations = _organisations()
    names = {o["id"]: o["name"] for o in organisations}
    return render_template("cases/referral.html", title="Vermittlung anlegen",
                           case=_case(case_id), form=form, errors=errors,
                           organisations=organisations, names=names,
                           releases=releases.body if releases.ok else None), \
        422 if errors else 200


@bp.route("/fall/<uuid:case_id>/kontakt", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def new_contact(case_id: uuid.UUID) -> ResponseReturnValue:
    """Kontakt erfassen: a contact with or about the person. A home visit is recorded from the
    appointment it was agreed as (casework wants it agreed in advance)."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        minutes = text(form, "duration_minutes")
        body = without_empty({
            "type": choice(form, "type"), "occurred_on": text(form, "occurred_on"),
            "duration_minutes": int(minutes) if minutes and minutes.isdigit() else minutes,
            "purpose": choice(form, "purpose"), "topics": choices(form, "topics"),
            "notes": text(form, "notes"), "appointment_id": choice(form, "appointment_id"),
            "children_present": yes_no(form, "children_present"),
            # a concern for a child's wellbeing: casework needs the youth office it is for
            "child_protection_concern": "ja" in choices(form, "child_protection_concern")
            or None,
            "youth_office_org_id": choice(form, "youth_office_org_id")})
        answer = apis().post(token(), "casework", f"cases/{case_id}/contacts", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id, _anchor="kontakte"),
                            code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    appointments = apis().get(token(), "casework", f"cases/{case_id}/appointments")
    planned = [a for a in (appointments.body if appointments.ok else None) or []
               if isinstance(a, dict) and a.get("status") in (None, "planned")]
    youth_offices = [(o["id"], o["name"]) for o in _organisations()
                     if o.get("kind") == "youth_office" and o.get("active", True)]
    return render_template("cases/contact.html", title="Kontakt erfassen", case=_case(case_id),
                           form=form, errors=errors, appointments=planned, today=_today(),
                           youth_offices=youth_offices), \
        422 if errors else 200


@bp.route("/fall/<uuid:case_id>/termin", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def new_appointment(case_id: uuid.UUID) -> ResponseReturnValue:
    """Termin vereinbaren — a home visit among them, agreed in advance with the person."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        minutes = text(form, "duration_minutes")
        body = without_empty({
            "kind": choice(form, "kind"), "on": text(form, "on"), "at": text(form, "at"),
            "duration_minutes": int(minutes) if minutes and minutes.isdigit() else minutes,
            "place": text(form, "place"),
            "client_agreement": form.get("client_agreement") == "ja"})
        answer = apis().post(token(), "casework", f"cases/{case_id}/appointments", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id, _anchor="kontakte"),
                            code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    return render_template("cases/appointment.html", title="Termin vereinbaren",
                           case=_case(case_id), form=form, errors=errors), \
        422 if errors else 200


@bp.route("/fall/<uuid:case_id>/abschluss", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def closure(case_id: uuid.UUID) -> ResponseReturnValue:
    """Fall abschließen: with its reason; after the evaluation with what it found."""
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        satisfaction, minutes = (text(form, "evaluation.client_satisfaction"),
                                 text(form, "evaluation.write_up_minutes"))
        evaluation = without_empty({
            "plan": text(form, "evaluation.plan"),
            "cooperation": text(form, "evaluation.cooperation"),
            "client_satisfaction": int(satisfaction) if satisfaction and satisfaction.isdigit()
            else satisfaction,
            "write_up_minutes": int(minutes) if minutes and minutes.isdigit() else minutes})
        body = without_empty({"reason": choice(form, "reason"),
                              "evaluation": evaluation or None})
        answer = apis().post(token(), "casework", f"cases/{case_id}/closure", body)
        if answer.ok:
            return redirect(url_for("cases.case_file", case_id=case_id), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    return render_template("cases/closure.html", title="Fall abschließen", case=_case(case_id),
                           form=form, errors=errors), 422 if errors else 200


@bp.route("/fall/<uuid:case_id>/uebergabe", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("cases.my_cases")
def transfer(case_id: uuid.UUID) -> ResponseReturnValue:
    """Fall übergeben: after a move within the county, to the colleague of the new place
    (her user id, as the office tells it); she reads the handover package and accepts."""
    form, errors = request.form, FieldErrors()
    offered: dict[str, Any] | None = None
    if request.method == "POST":
        body = without_empty({"to_case_manager_id": text(form, "to_case_manager_id"),
                              "to_area_id": choice(form, "to_area_id"),
                              "note": text(form, "note")})
        answer = apis().post(token(), "casework", f"cases/{case_id}/transfers", body)
        if answer.ok:
            offered = answer.body if isinstance(answer.body, dict) else {}
        else:
            refused(answer)
            errors = from_problem(answer.status, answer.problem)
    areas = apis().get(token(), "identity", "areas")
    return render_template("cases/transfer.html", title="Fall übergeben", case=_case(case_id),
                           form=form, errors=errors, offered=offered,
                           areas=[a for a in (areas.body if areas.ok else None) or []
                                  if isinstance(a, dict) and a.get("active", True)]), \
        422 if errors else 200
