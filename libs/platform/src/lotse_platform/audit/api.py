"""``GET /audit-trail``: the audit trail of this service for the data-protection officer and
the auditors (role ``auditor``), the same in every service; ``DELETE /audit-trail/notes``: erasing
the notes beside it (ADR 0065).

Who read or changed a case, a person's record, or what one user accessed, in a period: a page of
entries, oldest first, and the cursor of the next page. The query is audited itself (action
``read`` on ``audit_trail``, purpose ``audit``), in the same transaction; the filters it used are
kept beside that entry as its note, not in the trail (a filter is text the auditor typed).

:class:`PurposeArgsSchema` is the ``?purpose=`` / ``?purpose_note=`` of every view that reads
someone else's records for a stated purpose (casework's supervision reads).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView
from lotse_platform.http import Blueprint

from .notes import erase_notes
from .purposes import LABELS, MAX_NOTE_LENGTH, Purpose, StatedPurpose
from .reading import MAX_PAGE, AuditQuery, read_audit_trail
from ..auth import AUDITOR, current_principal, requires
from ..auth.principal import Principal
from ..http.text import Line

_CODE = r"^[a-z][a-z0-9_.-]{0,99}$"  # actions and record types: lower-case codes
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$"  # ids of records and actors, never free text

_PURPOSES = "; ".join(f"`{p.value}` ({LABELS[p]})" for p in Purpose)


def purpose_field(**kwargs: Any) -> ma.fields.Enum[Purpose]:
    """A field of the purpose vocabulary (unknown value: 422 naming the field)."""
    return ma.fields.Enum(Purpose, by_value=True, **kwargs)


class PurposeArgsSchema(ma.Schema):
    """The stated purpose of a read of someone else's records (query arguments)."""

    purpose = purpose_field(metadata={"description": "why the records are read, one of: "
                                      + _PURPOSES + ". Written into the audit trail."})
    purpose_note = Line(
        validate=ma.validate.Length(min=1, max=MAX_NOTE_LENGTH), metadata={
            "description": "a note in your own words (e.g. the reference of a complaint); kept "
                           "beside the audit entry, never in it, and erased when its retention "
                           "ends (ADR 0065)"})

    @ma.validates_schema
    def _note_needs_purpose(self, data: dict[str, Any], **_: Any) -> None:
        if "purpose_note" in data and "purpose" not in data:
            raise ma.ValidationError("a note goes with a purpose", field_name="purpose_note")


def stated_purpose(args: dict[str, Any]) -> StatedPurpose | None:
    """The :class:`StatedPurpose` of loaded :class:`PurposeArgsSchema` arguments, or None."""
    if args.get("purpose") is None:
        return None
    return StatedPurpose(args["purpose"], args.get("purpose_note"))


class AuditTrailQuerySchema(ma.Schema):
    record_type = Line(validate=ma.validate.Regexp(_CODE), metadata={
        "description": "e.g. case, person, intake, user"})
    record_id = Line(validate=[ma.validate.Regexp(_ID), ma.validate.Length(max=100)],
                     metadata={"description": "the record's id"})
    actor = Line(validate=ma.validate.Regexp(_ID),
                 metadata={"description": "a user's or machine client's id"})
    action = Line(validate=ma.validate.Regexp(_CODE),
                  metadata={"description": "read, create, update, delete, export …"})
    purpose = purpose_field(metadata={"description": "entries that stated this purpose: "
                                                     + _PURPOSES})
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
    reason = ma.fields.String(allow_none=True, metadata={
        "description": "composed by the service from codes and ids, or purpose:<code>"})
    purpose = purpose_field(allow_none=True, metadata={
        "description": "the purpose stated, if one was"})
    note = ma.fields.String(allow_none=True, metadata={
        "description": "the note kept beside the entry (not part of the tamper-evident chain; "
                       "null when there is none or it was erased)"})
    request_id = ma.fields.String(allow_none=True)
    sealed = ma.fields.Boolean(required=True, metadata={
        "description": "chained into the tamper-evident hash chain already (ADR 0008)"})


class AuditTrailPageSchema(ma.Schema):
    entries = ma.fields.List(ma.fields.Nested(AuditTrailEntrySchema), required=True)
    next_after = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "pass as ?after= for the next page; null on the last page"})


class NoteErasureSchema(ma.Schema):
    entry = ma.fields.Integer(validate=ma.validate.Range(min=1), metadata={
        "description": "the note of this entry (its id)"})
    record_id = ma.fields.String(validate=[ma.validate.Regexp(_ID), ma.validate.Length(max=100)],
                                 metadata={"description": "the notes of every entry about this "
                                                          "record (e.g. a person's case)"})
    record_type = ma.fields.String(validate=ma.validate.Regexp(_CODE), metadata={
        "description": "narrows record_id to records of this type"})

    @ma.validates_schema
    def _one_choice(self, data: dict[str, Any], **_: Any) -> None:
        if ("entry" in data) == ("record_id" in data):
            raise ma.ValidationError("name either entry or record_id", field_name="entry")
        if "record_type" in data and "record_id" not in data:
            raise ma.ValidationError("narrows record_id, which is missing",
                                     field_name="record_type")


class ErasedSchema(ma.Schema):
    erased = ma.fields.Integer(required=True, metadata={"description": "notes erased"})


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
                uow.audit("read", "audit_trail", _an_id(wanted.record_id),
                          purpose=Purpose.audit, note=_filters(wanted))
                uow.commit()
            return {"entries": page.entries, "next_after": page.next_after}

    @blp.route("/notes")
    class Notes(MethodView):
        @blp.arguments(NoteErasureSchema, location="query")
        @blp.response(200, ErasedSchema)
        @requires(AUDITOR)
        def delete(self, which: dict[str, Any]) -> dict[str, Any]:
            """Erase the notes beside entries: of one entry, or of every entry about a record
            (a data subject's erasure). The entries stay; the erasure is audited itself."""
            principal = current_principal()
            with uow_for(principal) as uow:
                erased = erase_notes(uow.session, table(), principal.tenant,
                                     entry_id=which.get("entry"),
                                     record_id=which.get("record_id"),
                                     record_type=which.get("record_type"))
                uow.audit("delete", "audit_note",
                          which.get("entry") or _an_id(which.get("record_id")),
                          reason=f"erased {erased}")
                uow.commit()
            return {"erased": erased}

    return blp


def _an_id(value: str | None) -> str | None:
    """``value`` for the trail's ``record_id`` when it is a UUID (it cannot be a name); any other
    text the caller typed stays out of the trail."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _filters(query: AuditQuery) -> str | None:
    """The query's filters, for the note beside its entry."""
    parts = [f"{name}={value}" for name, value in (
        ("record_type", query.record_type), ("record_id", query.record_id),
        ("actor", query.actor), ("action", query.action), ("purpose", query.purpose),
        ("since", query.since and query.since.isoformat()),
        ("until", query.until and query.until.isoformat())) if value]
    return " ".join(parts) or None
