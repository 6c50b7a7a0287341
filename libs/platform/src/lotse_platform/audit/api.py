"""``GET /audit-trail``: the audit trail of this service for the data-protection officer and
the auditors (role ``auditor``), the same in every service.

Who read or changed a case, a person's record, or what one user accessed, in a period: a page of
entries, oldest first, and the cursor of the next page. The query is audited itself (action
``read`` on ``audit_trail``), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint

from .reading import MAX_PAGE, AuditQuery, read_audit_trail
from ..auth import AUDITOR, current_principal, requires
from ..auth.principal import Principal
from ..http.text import Line

_CODE = r"^[a-z][a-z0-9_.-]{0,99}$"  # actions and record types: lower-case codes
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$"  # ids of records and actors, never free text


class AuditTrailQuerySchema(ma.Schema):
    record_type = Line(validate=ma.validate.Regexp(_CODE), metadata={
        "description": "e.g. case, person, intake, user"})
    record_id = Line(validate=[ma.validate.Regexp(_ID), ma.validate.Length(max=100)],
                     metadata={"description": "the record's id"})
    actor = Line(validate=ma.validate.Regexp(_ID),
                 metadata={"description": "a user's or machine client's id"})
    action = Line(validate=ma.validate.Regexp(_CODE),
                  metadata={"description": "read, create, update, delete, export …"})
    since = ma.fields.AwareDateTime(metadata={"description": "from this instant (inclusive)"})
    until = ma.fields.AwareDateTime(metadata={"description": "before this instant"})
    after = ma.fields.Integer(validate=ma.validate.Range(min=0),
                              metadata={"description": "the cursor a previous page answered"})
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=MAX_PAGE))

    @ma.validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        since, until = data.get("since"), data.get("until")
        if since is not None and until is not None and until <= since:
            raise ma.ValidationError("must lie after since", field_name="until")


class AuditTrailEntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.AwareDateTime(required=True)
    actor = ma.fields.String(required=True)
    acting_org = ma.fields.String(allow_none=True)
    action = ma.fields.String(required=True)
    record_type = ma.fields.String(required=True)
    record_id = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True, metadata={"description": "the purpose given"})
    request_id = ma.fields.String(allow_none=True)
    sealed = ma.fields.Boolean(required=True, metadata={
        "description": "chained into the tamper-evident hash chain already (ADR 0008)"})


class AuditTrailPageSchema(ma.Schema):
    entries = ma.fields.List(ma.fields.Nested(AuditTrailEntrySchema), required=True)
    next_after = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "pass as ?after= for the next page; null on the last page"})


def audit_trail_blueprint(table: Callable[[], sa.Table],
                          uow_for: Callable[[Principal], Any]) -> Blueprint:
    """The blueprint for one service: ``table`` gives its ``audit_log``, ``uow_for`` a unit of
    work of the request (:func:`lotse_platform.service.request_uow`)."""
    blp = Blueprint("audit_trail", __name__, url_prefix="/audit-trail",
                    description="Who accessed which record, when and why (Protokollauswertung)")

    @blp.route("")
    class AuditTrail(MethodView):
        @blp.arguments(AuditTrailQuerySchema, location="query")
        @blp.response(200, AuditTrailPageSchema)
        @requires(AUDITOR)
        def get(self, query: dict[str, Any]) -> dict[str, Any]:
            """Entries of this service's audit trail in the caller's tenant, oldest first."""
            principal = current_principal()
            wanted = AuditQuery(**query)
            with uow_for(principal) as uow:
                page = read_audit_trail(uow.session, table(), principal.tenant, wanted)
                uow.audit("read", "audit_trail", wanted.record_id, reason=_reason(wanted))
                uow.commit()
            return {"entries": page.entries, "next_after": page.next_after}

    return blp


def _reason(query: AuditQuery) -> str:
    """The query's filters for the audit entry it leaves (ids and codes only)."""
    parts = [f"{name}={value}" for name, value in (
        ("record_type", query.record_type), ("actor", query.actor), ("action", query.action),
        ("since", query.since and query.since.isoformat()),
        ("until", query.until and query.until.isoformat())) if value]
    return ("audit trail query " + " ".join(parts))[:500]
