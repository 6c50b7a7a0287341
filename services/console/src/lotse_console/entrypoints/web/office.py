"""The coordinating office's reports (*Berichte der Koordinierenden Stelle*): who submitted the
last 2-week report and who is overdue, the caseload against the guideline as a table and a
chart, and the standard reports as CSV or XLSX — each downloaded from reporting's API with the
user's token and handed on as it came."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from lotse_platform import clock

from ...adapters.apis import ServiceUnavailable
from ...domain.periods import previous_period
from .common import User, apis, block, for_roles_of, refused_status, token

bp = Blueprint("office", __name__)

#: reporting's standard reports the page offers (docs/reporting.md), with their German names
REPORTS: dict[str, str] = {
    "caseload": "Fallzahlen je Case-Managerin (Richtwert)",
    "screening-outcomes": "Screening-Tabelle",
    "primary-goal-areas": "Hauptziele nach Themenbereich",
    "effort-by-phase": "Kontakte und Aufwand je Phase",
    "referral-rates": "Vermittlungen: Annahme- und Ankunftsquote",
}
#: what the page offers of each report: the table as CSV and XLSX, the chart as SVG
FILES = ("csv", "xlsx", "svg")


def _names() -> dict[str, str]:
    """User id → display name, from identity (ids only, if identity does not tell)."""
    answer = apis().get(token(), "identity", "users")
    if not answer.ok or not isinstance(answer.body, list):
        return {}
    return {user["id"]: user.get("display_name") or user["id"] for user in answer.body}


@bp.get("/berichte")
@for_roles_of("office.reports")
def reports() -> ResponseReturnValue:
    user = User.from_session()
    assert user is not None
    today = clock.today(user.tenant)
    period, _ = previous_period(today)
    month = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    return render_template("office/reports.html", title="Berichte", period=period,
                           overview=block("reporting", "period-reports", period=period),
                           caseload=block("reporting", "reports/caseload"),
                           referrals=block("reporting", "reports/referral-rates", **month),
                           month_start=month["from"],
                           names=_names(), reports=REPORTS)


@bp.get("/berichte/<string:report>.<string:kind>")
@for_roles_of("office.reports")
def download(report: str, kind: str) -> ResponseReturnValue:
    """A report's file (CSV, XLSX) or chart (SVG), fetched with the user's token."""
    if report not in REPORTS or kind not in FILES:
        raise NotFound()
    path = f"charts/{report}.svg" if kind == "svg" else f"reports/{report}.{kind}"
    fetched = apis().file(token(), "reporting", path)
    refused_status(fetched.status)
    if fetched.status != 200:
        raise ServiceUnavailable("reporting")
    headers = {"Content-Type": fetched.content_type}
    if kind != "svg":
        headers["Content-Disposition"] = f'attachment; filename="{report}.{kind}"'
    return Response(fetched.content, headers=headers)
