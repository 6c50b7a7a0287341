"""``GET /data-map``: the service's record of processing activities as JSON (Art. 30 GDPR), the
same in every service, for the data-protection officer and those who keep the record for the
controller (ADR 0100). It names tables and columns, never a value: nothing personal, nothing
to audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from ..auth import requires
from ..auth.principal import AUDITOR, COORDINATOR, DATA_PROTECTION_OFFICER, TENANT_ADMIN
from ..http import Blueprint
from .model import DataMap
from .render import as_json
from .vocabulary import LEGAL_BASES, RETENTION_CLASSES, SPECIAL_KINDS, DataClass

#: who reads the record: the data-protection officer, the coordinating office and the tenant's
#: administration (who keep it for the county, the controller) and the auditors
DATA_MAP_READERS = (DATA_PROTECTION_OFFICER, COORDINATOR, TENANT_ADMIN, AUDITOR)


class _Label(ma.Schema):
    key = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)
    label_en = ma.fields.String(required=True)


class DataMapColumnSchema(ma.Schema):
    name = ma.fields.String(required=True)
    data_class = ma.fields.String(required=True, metadata={
        "enum": [c.value for c in DataClass],
        "description": "not_personal, personal or special_category (Art. 9 GDPR)"})
    kind = ma.fields.String(required=True, allow_none=True, metadata={
        "enum": sorted(SPECIAL_KINDS), "description": "the special category's kind"})
    purpose_de = ma.fields.String(required=True)
    purpose_en = ma.fields.String(required=True)
    retention = ma.fields.String(required=True, metadata={"enum": sorted(RETENTION_CLASSES)})
    legal_basis = ma.fields.String(required=True, metadata={"enum": sorted(LEGAL_BASES)})
    note = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "why the column is classified so, where that is not obvious"})


class DataMapTableSchema(ma.Schema):
    name = ma.fields.String(required=True)
    data_class = ma.fields.String(required=True, metadata={
        "description": "the most sensitive class among its columns"})
    purpose_de = ma.fields.String(required=True)
    purpose_en = ma.fields.String(required=True)
    retention = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    columns = ma.fields.List(ma.fields.Nested(DataMapColumnSchema), required=True)


class DataMapSchema(ma.Schema):
    service = ma.fields.String(required=True)
    tables = ma.fields.List(ma.fields.Nested(DataMapTableSchema), required=True)
    retention_classes = ma.fields.List(ma.fields.Nested(_Label), required=True)
    legal_bases = ma.fields.List(ma.fields.Nested(_Label), required=True)


def data_map_blueprint(service: str, data_map: Callable[[], DataMap]) -> Blueprint:
    """The blueprint for one service; ``data_map`` gives its map (loaded on first request)."""
    blp = Blueprint("data_map", __name__, url_prefix="/data-map",
                    description="Verzeichnis von Verarbeitungstätigkeiten (record of processing "
                                "activities, Art. 30 GDPR)")

    @blp.route("")
    class Record(MethodView):
        @blp.response(200, DataMapSchema)
        @requires(*DATA_MAP_READERS)
        def get(self) -> dict[str, Any]:
            """Every table and column of this service with its class of data, purpose,
            retention class and legal basis."""
            return as_json(service, data_map())

    return blp
