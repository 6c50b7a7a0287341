"""The directory as Open Referral HSDS 3.0 (issue 11, ADR 0088): export as JSON (a list of
organisations with their locations and services nested) or as HSDS's tabular data package (ZIP
of CSVs and ``datapackage.json``), and import of either — all or nothing, a 422 listing every
rejected row. The coordinating office's: it maintains the county's directory.
"""

from __future__ import annotations

import json

import marshmallow as ma
from flask import Response, request
from lotse_platform.http import Blueprint
from lotse_platform.auth import COORDINATOR, current_principal, requires
from lotse_platform.errors import BadRequest, UnsupportedMediaType
from lotse_platform.http import PROBLEM_MEDIA_TYPE, ProblemSchema, accepts, body_limit
from lotse_platform.service import request_uow

from ...service_layer.hsds import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportReport,
    export_document,
    export_package,
    import_document,
    import_package,
)

blp = Blueprint("network-directory-hsds", __name__, url_prefix="/",
                description="The directory as Open Referral HSDS 3.0: export (JSON, tabular data "
                            "package) and import")

HSDS_DOCUMENT = {
    "type": "array",
    "description": "HSDS 3.0 organizations (compiled organization.json: each with its "
                   "locations and services nested), as compiled/organization_package.json",
    "items": {"type": "object", "additionalProperties": True},
}
ZIP_MEDIA_TYPE = "application/zip"
#: a county's whole directory in one file: far more than the API's usual body limit (about 8 KB
#: of JSON a service; 32 MiB hold a few thousand)
MAX_IMPORT_BYTES = 32 * 1024 * 1024


class ImportArgsSchema(ma.Schema):
    dry_run = ma.fields.Boolean(load_default=False, metadata={
        "description": "true: check the file and report what would change, change nothing"})


class CountsSchema(ma.Schema):
    created = ma.fields.Integer(required=True)
    updated = ma.fields.Integer(required=True)
    unchanged = ma.fields.Integer(required=True)


class EntryChangeSchema(ma.Schema):
    table = ma.fields.String(required=True, metadata={
        "description": "organization, location or service"})
    id = ma.fields.UUID(required=True)
    change = ma.fields.String(required=True, metadata={
        "description": "created, updated or unchanged"})


class ImportReportSchema(ma.Schema):
    dry_run = ma.fields.Boolean(required=True)
    organizations = ma.fields.Nested(CountsSchema, required=True)
    locations = ma.fields.Nested(CountsSchema, required=True)
    services = ma.fields.Nested(CountsSchema, required=True)
    changes = ma.fields.List(ma.fields.Nested(EntryChangeSchema), required=True)


class RejectedRowSchema(ma.Schema):
    """A rejected row of an import (a refused query argument: ``field`` and ``message``)."""

    table = ma.fields.String(allow_none=True, metadata={
        "description": "the HSDS table (object) of the rejected row: organization, service, …"})
    path = ma.fields.String(metadata={
        "description": "where: the JSON pointer of the object (/0/services/2), or the CSV row "
                       "of a package (services.csv#row=4, RFC 7111; the header is row 1)"})
    row = ma.fields.String(allow_none=True, metadata={"description": "the object's HSDS id"})
    field = ma.fields.String(allow_none=True, metadata={
        "description": "the field (dotted inside the object: contacts.0.name)"})
    reason = ma.fields.String()
    message = ma.fields.String(metadata={"description": "the same as reason (a refused query "
                                                        "argument has field and message only)"})


class ImportRejectedSchema(ProblemSchema):
    errors = ma.fields.List(ma.fields.Nested(RejectedRowSchema))


def _report(report: ImportReport) -> dict[str, object]:
    return {"dry_run": report.dry_run, "changes": report.changes, **{
        f"{table}s": {change: report.count(table, change)
                      for change in (CREATED, UPDATED, UNCHANGED)}
        for table in ("organization", "location", "service")}}


def _attachment(body: bytes | str, media_type: str, filename: str) -> Response:
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/directory/export.json", methods=["GET"])
@blp.response(200, schema=HSDS_DOCUMENT, content_type="application/json",
              description="the directory as an HSDS 3.0 document")
@requires(COORDINATOR)
def export_json():
    """The county's directory as HSDS 3.0 JSON: a list of organizations, each with its
    locations and services (languages, service areas, schedules, contacts, taxonomy attributes)
    nested. Organisational data only; the export is audited."""
    document = export_document(request_uow(current_principal()))
    return _attachment(json.dumps(document, ensure_ascii=False, indent=1), "application/json",
                       "hsds-directory.json")


@blp.route("/directory/export.zip", methods=["GET"])
@blp.response(200, schema={"type": "string", "format": "binary",
                           "description": "a ZIP of CSV files and datapackage.json"},
              content_type=ZIP_MEDIA_TYPE,
              description="the directory as HSDS 3.0's tabular data package")
@requires(COORDINATOR)
def export_zip():
    """The county's directory as HSDS 3.0's tabular data package: ``datapackage.json`` as the
    specification publishes it and one CSV per table (organizations.csv, services.csv,
    locations.csv, service_at_location.csv, phones.csv, schedules.csv, languages.csv, …), ids
    as foreign keys. The export is audited."""
    return _attachment(export_package(request_uow(current_principal())), ZIP_MEDIA_TYPE,
                       "hsds-directory.zip")


@blp.route("/directory/import", methods=["POST"])
@blp.arguments(ImportArgsSchema, location="query")
@blp.doc(requestBody={"required": True, "content": {
    "application/json": {"schema": HSDS_DOCUMENT},
    ZIP_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary",
                                "description": "HSDS's tabular data package, as export.zip"}}}})
@blp.response(200, ImportReportSchema)
@blp.alt_response(422, schema=ImportRejectedSchema, content_type=PROBLEM_MEDIA_TYPE,
                  description="rejected rows, each with table, path (JSON pointer; in a "
                  "package the CSV row, services.csv#row=4), row (the object's id), field and "
                  "reason; nothing was changed")
@blp.alt_response(409, schema=ProblemSchema, content_type=PROBLEM_MEDIA_TYPE,
                  description="an id of the file is another county's directory's; nothing "
                              "was changed")
@accepts("application/json", ZIP_MEDIA_TYPE)
@body_limit(lambda: MAX_IMPORT_BYTES)
@requires(COORDINATOR)
def import_json(args):
    """Import an HSDS 3.0 document (the export's form: JSON, or the tabular data package as a
    ZIP) into the county's directory, all or nothing: every object is checked against HSDS's schema and Lotse's rules (known towns and
    organisations, Lotse's taxonomy terms, what the directory holds) first; any rejected row
    refuses the whole file (422, every row listed) and nothing changes. Entries are created or
    replaced by their HSDS ids (an entry equal to the file's stays as it is: importing an export
    again changes nothing), each change audited and published as the edit path does."""
    uow = request_uow(current_principal())
    if request.mimetype == ZIP_MEDIA_TYPE:
        return _report(import_package(uow, request.get_data(), dry_run=args["dry_run"]))
    if not request.is_json:
        raise UnsupportedMediaType("the body is an HSDS 3.0 document (application/json) or "
                                   "HSDS's tabular data package (application/zip)")
    document = request.get_json(silent=True)
    if document is None:
        raise BadRequest("the body is not JSON")
    return _report(import_document(uow, document, dry_run=args["dry_run"]))
