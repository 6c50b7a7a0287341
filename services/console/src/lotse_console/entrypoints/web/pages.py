"""The start page and *Mein Tag* of a case manager: each block from one API call, with the
user's token; a block whose API refused or failed says so, the others still show."""

from __future__ import annotations

import uuid
from typing import Any

from flask.typing import ResponseReturnValue
from flask import Blueprint, redirect, render_template, url_for
from werkzeug.exceptions import InternalServerError

from lotse_platform import clock
from lotse_platform.auth import public
from lotse_platform.http import accepts

from ...domain.navigation import CASE_MANAGER, entries_for
from ...domain.periods import period_of
from .common import User, apis, block, for_roles_of, refused, token
from .forms import FORM

bp = Blueprint("pages", __name__)


@bp.get("/")
@public
def start() -> ResponseReturnValue:
    """Logged in: the first page of her role; otherwise the invitation to log in."""
    user = User.from_session()
    if user is None:
        return render_template("start.html", title="Willkommen")
    if CASE_MANAGER in user.roles:
        return redirect(url_for("pages.my_day"))
    return render_template("home.html", title="Übersicht", entries=entries_for(user.roles))


@bp.get("/mein-tag")
@for_roles_of("pages.my_day")
def my_day() -> ResponseReturnValue:
    user = User.from_session()
    assert user is not None
    today = clock.today(user.tenant)
    period, due = period_of(today)
    day = block("casework", "my-day")
    return render_template(
        "my_day.html", title="Mein Tag", today=today, period=period, period_due=due,
        day=day, notices=[] if day.failure else _notices(day.data.get("notices", [])),
        awaiting=block("intake", "intakes/awaiting-decision"),
        mine=block("intake", "intakes/mine"),
        without_arrival=block("network", "referrals", list="without_arrival"),
        expiring=block("intake", "consents/expiring"),
        report=block("reporting", f"period-reports/mine/{period}"),
        caseload=block("casework", "caseload"),
    )


#: notices whose case stays the case manager's to open (the others' case is not, or not yet)
_OWN_CASE = frozenset({"child_protection_concern", "consent_withdrawn", "transfer_declined",
                       "transfer_cancel_too_late", "case_shared_deputy", "case_shared_tandem",
                       "conference_convened"})


def _notices(notices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Casework's unread notices as *Mein Tag* lists them: the flagged ones (a concern for a
    child's wellbeing) first, then the newest; each with where it leads. An offered transfer is
    listed under *Angebotene Übergaben* while it is open, not twice."""
    shown = []
    for notice in notices:
        kind, case_id, reference = notice["kind"], notice.get("case_id"), notice.get("reference")
        if kind == "transfer_offered":
            continue
        link = None
        if kind in _OWN_CASE and case_id:
            link = url_for("cases.case_file", case_id=case_id)
        elif kind == "handover_waiting_for_consent" and reference:
            link = url_for("intake.overview", intake_id=reference)
        shown.append({**notice, "link": link})
    shown.sort(key=lambda n: n["created_at"], reverse=True)
    shown.sort(key=lambda n: not n.get("flagged"))  # stable: flagged first, each newest first
    return shown


@bp.post("/mein-tag/hinweise/<uuid:notice_id>/gelesen")
@accepts(FORM)
@for_roles_of("pages.read_notice")
def read_notice(notice_id: uuid.UUID) -> ResponseReturnValue:
    """The notice leaves *Mein Tag* (casework ``POST /notices/{id}/read``; only hers)."""
    answer = apis().post(token(), "casework", f"notices/{notice_id}/read", {})
    if answer.ok:
        return redirect(url_for("pages.my_day", _anchor="hinweise"), code=303)
    refused(answer)
    raise InternalServerError()
