"""The case file (*Fallakte*), read-only for now: the case manager's cases and one case with
its phases, goals (with what makes them SMART), help plan, steps, referrals and conferences.
Casework audits every read of a case file."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from .common import apis, for_roles_of, refused, token

bp = Blueprint("cases", __name__)


@bp.get("/faelle")
@for_roles_of("cases.my_cases")
def my_cases() -> ResponseReturnValue:
    """My open cases and those shared with me (ids, phase, topics: no personal data)."""
    answer = apis().get(token(), "casework", "cases")
    refused(answer)
    return render_template("cases/list.html", title="Meine Fälle", cases=answer.body or [])


@bp.get("/fall/<uuid:case_id>")
@for_roles_of("cases.my_cases")
def case_file(case_id: uuid.UUID) -> ResponseReturnValue:
    answer = apis().get(token(), "casework", f"cases/{case_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    case = answer.body
    goals = {goal["id"]: goal for goal in case.get("goals") or []}
    return render_template("cases/file.html", title="Fallakte", case=case, goals=goals)
