"""The case file (*Fallakte*), read-only for now: the case manager's cases and one case with
its phases, goals (with what makes them SMART), help plan, steps, referrals and conferences.
Casework audits every read of a case file."""

from __future__ import annotations

import uuid

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from lotse_platform.http import accepts

from ...domain.field_errors import FieldErrors, from_problem
from .common import apis, for_roles_of, refused, token
from .forms import FORM, choice, text, without_empty

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
    return render_template("cases/file.html", title="Fallakte", case=_case(case_id))


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
