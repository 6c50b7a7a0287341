"""The case manager's day, the caseload, notices, and the case managers case work knows."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    SERVICE,
    TENANT_ADMIN,
    authorize,
    current_principal,
    requires,
)
from lotse_platform.service import handle, request_uow

from ...domain.commands import MarkNoticeRead, PutCaseManager
from ...domain.errors import NotVisible
from ...service_layer import overview
from . import overview_schemas, schemas
from .common import WRITERS

CASE_MANAGER_ADMINS = (TENANT_ADMIN, COORDINATOR, ORG_ADMIN)

blp = Blueprint("overview", __name__, url_prefix="/",
                description="My day, caseload against the guideline, notices")


@blp.route("/my-day", methods=["GET"])
@blp.response(200, overview_schemas.MyDaySchema)
@requires(*WRITERS)
def my_day():
    """Overdue steps, monitoring contacts due, goals due within 14 days, consents expiring
    within 30 days, notices (consent withdrawn, transfers), admissions waiting for consent."""
    principal = current_principal()
    return overview.my_day(request_uow(principal), principal)


@blp.route("/caseload", methods=["GET"])
@blp.arguments(overview_schemas.CaseloadQuerySchema, location="query")
@blp.response(200, overview_schemas.CaseloadSchema)
@requires(CASE_MANAGER, COORDINATOR)
def caseload(query):
    """Open cases per case manager against the guideline for her FTE share (1.0 → 50–60,
    0.75 → 37–45, 0.5 → 25–30), flagged above the range. A case manager sees her own line;
    the coordinating office every case manager and organisation, and with
    ``?above_guideline=true`` the list of those above it. Ids and counts only."""
    principal = current_principal()
    return overview.caseload(request_uow(principal), principal,
                             everyone=principal.has_any_role(COORDINATOR),
                             above_guideline_only=query["above_guideline"])


@blp.route("/caseload/<string:case_manager_id>", methods=["GET"])
@blp.arguments(overview_schemas.OneCaseloadQuerySchema, location="query")
@blp.response(200, overview_schemas.CaseloadAfterSchema)
@requires(CASE_MANAGER, COORDINATOR, SERVICE)
def caseload_of(query, case_manager_id: str):
    """One case manager's caseload, or what it is once she takes ``taking`` more cases, with a
    warning above the guideline. For intake's admission (machine client), the coordinating
    office, and the case manager herself. Counts only."""
    principal = current_principal()
    if not principal.has_any_role(COORDINATOR, SERVICE) and principal.subject != case_manager_id:
        raise NotVisible("no caseload of this case manager for you")
    return overview.caseload_after(request_uow(principal), case_manager_id,
                                   taking=query["taking"])


@blp.route("/child-protection-concerns", methods=["GET"])
@blp.response(200, overview_schemas.ChildProtectionConcernSchema(many=True))
@requires(COORDINATOR)
def child_protection_concerns():
    """Concerns for a child's wellbeing seen at contacts (Kinder- und Jugendschutz), newest
    first, with the referral need to the youth office each opened. For the coordinating
    office; ids and dates only."""
    return overview.child_protection_concerns(request_uow(current_principal()))


@blp.route("/case-managers/<string:user_id>", methods=["PUT"])
@blp.arguments(schemas.CaseManagerSchema)
@blp.response(204)
@requires(*CASE_MANAGER_ADMINS)
def put_case_manager(body, user_id: str):
    """Employer, FTE share and areas of a case manager (for the caseload guideline and
    transfers), until identity's user events feed them."""
    principal = current_principal()
    roles = CASE_MANAGER_ADMINS
    authorize(principal, roles, organisation=body["organisation_id"])
    with request_uow(principal) as uow:
        existing = uow.case_manager(user_id)
    if existing is not None:  # an organisation's admin does not take another's staff
        authorize(principal, roles, organisation=existing.organisation_id)
    handle(PutCaseManager(user_id, **body), principal)


@blp.route("/notices/<uuid:notice_id>/read", methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def read_notice(notice_id: uuid.UUID):
    handle(MarkNoticeRead(notice_id), current_principal())
