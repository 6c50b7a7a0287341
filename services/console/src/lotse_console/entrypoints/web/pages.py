"""The start page and *Mein Tag* of a case manager: each block from one API call, with the
user's token; a block whose API refused or failed says so, the others still show."""

from __future__ import annotations

from flask.typing import ResponseReturnValue
from flask import Blueprint, redirect, render_template, url_for

from lotse_platform import clock
from lotse_platform.auth import public

from ...domain.navigation import CASE_MANAGER, entries_for
from ...domain.periods import period_of
from .common import User, block, for_roles_of

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
    return render_template(
        "my_day.html", title="Mein Tag", today=today, period=period, period_due=due,
        day=block("casework", "my-day"),
        awaiting=block("intake", "intakes/awaiting-decision"),
        mine=block("intake", "intakes/mine"),
        without_arrival=block("network", "referrals", list="without_arrival"),
        expiring=block("intake", "consents/expiring"),
        report=block("reporting", f"period-reports/mine/{period}"),
        caseload=block("casework", "caseload"),
    )
