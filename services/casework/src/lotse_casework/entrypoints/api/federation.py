"""Federation: the endpoints another Lotse deployment's casework calls (ADR 0051).

Only a peer deployment's machine client (role ``service``, a trusted external issuer whose
tenant is a configured peer) gets past
:func:`~lotse_casework.service_layer.transfer_to_peer.peer_tenant` — a user's token, this
deployment's own clients and other issuers are refused (403; a token of an issuer not trusted at
all is 401 already).
"""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.auth import SERVICE, current_principal, requires
from lotse_platform.service import handle

from ...domain.commands import (
    ReceivePeerOffer,
    RecordPeerAcceptance,
    RecordPeerCancel,
    RecordPeerErasure,
)
from ...service_layer import transfer_to_peer
from . import case_schemas, schemas
from .common import CONSENT_UNCONFIRMED, provided

blp = Blueprint("federation", __name__, url_prefix="/federation",
                description="Transfers between Lotse deployments (peer casework only)")


@blp.route("/transfers", methods=["POST"])
@blp.arguments(schemas.FederatedOfferSchema)
@blp.response(201, schemas.CreatedSchema)
@requires(SERVICE)
def receive_offer(body):
    """A peer's tenant offers a case to a tenant served here (idempotent on the transfer id):
    the area's case managers are told and see it in their day."""
    return {"id": handle(ReceivePeerOffer(**body), current_principal())}


@blp.route("/transfers/<uuid:transfer_id>/package", methods=["GET"])
@blp.arguments(schemas.PackageQuerySchema, location="query")
@blp.response(200, case_schemas.TransferPackageSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(SERVICE)
def package(query, transfer_id: uuid.UUID):
    """The handover package of a pending offer to the calling peer's tenant (personal data,
    audited here with the receiving case manager named); 409 once it is no longer pending or
    the person's participation is withdrawn, 503 while intake cannot confirm it (ADR 0053)."""
    return transfer_to_peer.serve_package(provided("settings"), provided("units"),
                                          current_principal(), transfer_id,
                                          str(query["from_tenant_id"]), query["case_manager_id"],
                                          provided("consent_owner"))


@blp.route("/transfers/<uuid:transfer_id>/accepted", methods=["POST"])
@blp.arguments(schemas.FederatedAcceptanceSchema)
@blp.response(204)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(SERVICE)
def accepted(body, transfer_id: uuid.UUID):
    """The peer's case manager accepted: the case is handed over here (idempotent); 409 when
    the offer was cancelled meanwhile."""
    handle(RecordPeerAcceptance(transfer_id, **body), current_principal())


@blp.route("/transfers/<uuid:transfer_id>/cancelled", methods=["POST"])
@blp.arguments(schemas.FederatedCancelSchema)
@blp.response(204)
@requires(SERVICE)
def cancelled(body, transfer_id: uuid.UUID):
    """The peer's case manager withdrew her offer: it leaves the day of the receiving case
    managers here (idempotent); 409 when it was accepted here already."""
    handle(RecordPeerCancel(transfer_id, **body), current_principal())


@blp.route("/transfers/<uuid:transfer_id>/erasure", methods=["POST"])
@blp.arguments(schemas.FederatedErasureSchema)
@blp.response(204)
@requires(SERVICE)
def erasure(body, transfer_id: uuid.UUID):
    """The peer erased, on her request, the person whose case a tenant here took over with this
    transfer: the erasure is forwarded to that tenant, whose services erase the copy
    (Art. 17(2), 19 GDPR; idempotent); 409 when the transfer was never accepted here."""
    handle(RecordPeerErasure(transfer_id, **body), current_principal())
