"""The case file and the case as a whole: list, read, phase, topics, motto goal and safety,
closure, deputies and tandems, transfer."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import current_principal, requires
from lotse_platform.service import handle, request_uow

from ...domain.commands import (
    AcceptTransfer,
    CancelTransfer,
    ChangePhase,
    CloseCase,
    DeclineTransfer,
    EndShare,
    OfferTransfer,
    SetMottoAndRisk,
    SetTopics,
    ShareCase,
)
from ...service_layer import case_file, overview, transfer_in_county, transfer_to_tenant
from . import case_schemas, overview_schemas, schemas
from .common import CONSENT_UNCONFIRMED, READERS, WRITERS, provided

blp = Blueprint("cases", __name__, url_prefix="/",
                description="Case files (Fallakten): the case cycle from admission to closure")


@blp.route("/cases", methods=["GET"])
@blp.response(200, case_schemas.CaseSummarySchema(many=True))
@requires(*WRITERS)
def list_cases():
    """The caller's open cases and those shared with her (no personal data)."""
    principal = current_principal()
    return case_file.my_cases(request_uow(principal), principal)


@blp.route("/cases/<uuid:case_id>", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, case_schemas.CaseFileSchema)
@requires(*READERS)
def read_case(args, case_id: uuid.UUID):
    """The case file with the person's data (audited). The coordinating office reads it for
    supervision (Fachaufsicht) stating ``?purpose=`` (written to the audit trail) and, if it
    likes, ``?purpose_note=`` (kept beside the entry, erasable)."""
    principal = current_principal()
    return case_file.case_file(request_uow(principal), principal, case_id,
                               stated_purpose(args))


@blp.route("/cases/<uuid:case_id>/phase", methods=["POST"])
@blp.arguments(schemas.PhaseChangeSchema)
@blp.response(204)
@requires(*WRITERS)
def change_phase(body, case_id: uuid.UUID):
    """Move the case to the next phase of the cycle; 409 lists the allowed ones."""
    handle(ChangePhase(case_id, body["to"], body["note"]), current_principal())


@blp.route("/cases/<uuid:case_id>/topics", methods=["PUT"])
@blp.arguments(schemas.TopicsSchema)
@blp.response(204)
@requires(*WRITERS)
def set_topics(body, case_id: uuid.UUID):
    """The case's topic areas, and its legal areas (derived unless given)."""
    handle(SetTopics(case_id, body["topic_areas"], body["legal_areas"]), current_principal())


@blp.route("/cases/<uuid:case_id>/settings", methods=["PATCH"])
@blp.arguments(schemas.CaseSettingsSchema)
@blp.response(204)
@requires(*WRITERS)
def case_settings(body, case_id: uuid.UUID):
    """The client's motto goal (Mottoziel), the safety flag (risk seen), and the case
    manager's judgement for a case reconstruction: difficulty (Schwierigkeitsgrad) and
    whether the network discusses it as a typical case."""
    handle(SetMottoAndRisk(case_id, **body), current_principal())


@blp.route("/cases/<uuid:case_id>/closure", methods=["POST"])
@blp.arguments(schemas.ClosureSchema)
@blp.response(204)
@requires(*WRITERS)
def close_case(body, case_id: uuid.UUID):
    """Close the case with a reason (and, for the regular end, its evaluation)."""
    handle(CloseCase(case_id, body["reason"], body["evaluation"]), current_principal())


@blp.route("/cases/<uuid:case_id>/shares", methods=["POST"])
@blp.arguments(schemas.CreateShareSchema)
@blp.response(201, schemas.CreatedSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*WRITERS)
def share_case(body, case_id: uuid.UUID):
    """Share the case with a named colleague (deputy or tandem) until a date; audited. 409 once
    the person's participation is withdrawn, 503 while intake cannot confirm it (ADR 0053)."""
    return {"id": handle(ShareCase(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/shares/<uuid:share_id>", methods=["DELETE"])
@blp.response(204)
@requires(*WRITERS)
def end_share(case_id: uuid.UUID, share_id: uuid.UUID):
    handle(EndShare(case_id, share_id), current_principal())


@blp.route("/cases/<uuid:case_id>/transfers", methods=["POST"])
@blp.arguments(schemas.CreateTransferSchema)
@blp.response(201, overview_schemas.TransferAnswerSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*WRITERS)
def offer_transfer(body, case_id: uuid.UUID):
    """Hand the case over to the case manager of the area the client moved to; answers her
    caseload once she takes it, with a warning above the guideline (not a refusal: the office
    decides). 409 once the person's participation is withdrawn, 503 while intake cannot
    confirm it (ADR 0053)."""
    principal = current_principal()
    transfer_id = handle(OfferTransfer(case_id, **body), principal)
    receiver = body.get("to_case_manager_id") if not body.get("to_tenant_id") else None
    return {"id": transfer_id,
            "caseload": overview.caseload_after(request_uow(principal), receiver, taking=1)
            if receiver else None}


@blp.route("/transfers/<uuid:transfer_id>", methods=["GET"])
@blp.response(200, case_schemas.TransferPackageSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*WRITERS)
def read_transfer(transfer_id: uuid.UUID):
    """The handover package, for the receiving case manager (audited); 409 once the person's
    participation is withdrawn, 503 while intake cannot confirm it (ADR 0053)."""
    principal = current_principal()
    offered = transfer_to_tenant.package(provided("units"), provided("peers"), principal,
                                         transfer_id, provided("consent_owner"))
    if offered is not None:
        return offered
    return transfer_in_county.transfer_package(request_uow(principal), principal, transfer_id,
                                               provided("consent_owner"))


@blp.route("/transfers/<uuid:transfer_id>/accept", methods=["POST"])
@blp.response(200, overview_schemas.TransferAnswerSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*WRITERS)
def accept_transfer(transfer_id: uuid.UUID):
    """Take the case over; from now on the sender sees nothing of it. An offer from another
    tenant opens a new case here with a copy of the file. Answers the case and her caseload
    with it, with a warning above the guideline. 409 once the person's participation is
    withdrawn (the case stays), 503 while intake cannot confirm it (ADR 0053)."""
    principal = current_principal()
    case_id = handle(AcceptTransfer(transfer_id), principal)
    return {"id": case_id,
            "caseload": overview.caseload_after(request_uow(principal), principal.subject)}


@blp.route("/transfers/<uuid:transfer_id>/cancel", methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def cancel_transfer(transfer_id: uuid.UUID):
    """The sender withdraws a pending offer. An offer to another tenant leaves the receiving
    case managers' day as soon as casework's consumer has told that tenant (here or at a peer
    deployment)."""
    handle(CancelTransfer(transfer_id), current_principal())


@blp.route("/transfers/<uuid:transfer_id>/decline", methods=["POST"])
@blp.response(204)
@requires(*WRITERS)
def decline_transfer(transfer_id: uuid.UUID):
    handle(DeclineTransfer(transfer_id), current_principal())
