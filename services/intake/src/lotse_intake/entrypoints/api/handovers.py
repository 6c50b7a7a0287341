"""The handover of an admitted case to casework (*Fallübergabe*): a stable contract for
machine clients, documented in docs/intake.md."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import SERVICE, current_principal, requires
from lotse_platform.service import request_uow

from ...service_layer.queries import release_handover
from .handover_schemas import HandoverSchema

blp = Blueprint("handovers", __name__, url_prefix="/handovers",
                description="Handover packages for casework (machine clients only)")


@blp.route("/<uuid:intake_id>")
class HandoverById(MethodView):
    @blp.response(200, HandoverSchema)
    @requires(SERVICE)
    def get(self, intake_id: uuid.UUID):
        """The handover package of an admitted case, for the casework service.

        Only machine clients with the role ``service``. Released when the person's consent
        allows it now — the county's intake: counselling agreement and data-protection
        information; a provider's own intake: in addition a valid release of confidentiality for
        the receiving case manager's organisation covering the screening's topic areas.
        Otherwise 409 ``urn:lotse:problem:consent-missing`` with ``errors`` naming what is
        missing; 409 ``conflict`` when the case is not admitted. Every release is audited
        (``export``, reason ``handover``).
        """
        handover = release_handover(intake_id, request_uow(current_principal()))
        intake = handover.intake
        return {
            "intake_id": intake.id, "operator_org_id": intake.operator_org_id,
            "area_id": intake.area_id, "access_path": intake.access_path,
            "referring_org_id": intake.referring_org_id, "contact_date": intake.contact_date,
            "person": intake.person, "screening": intake.screening,
            "admission": intake.admission, "consents": intake.consents,
            "counselling_history": intake.decisions, "released_under": handover.released_under,
            "household": handover.household,
        }
