"""Referrals (Vermittlungen) with their lifecycle: the case manager refers a case or an intake to
a partner organisation, the partner's staff answer in their inbox, the case manager follows her
lists (ADR 0084). Every read and write of a referral is audited."""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from lotse_platform.http import Blueprint
from lotse_platform.audit.api import PurposeArgsSchema, stated_purpose
from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    PROVIDER_STAFF,
    current_principal,
    requires,
)
from lotse_platform.http import PROBLEM_MEDIA_TYPE, ProblemSchema
from lotse_platform.http.text import Line, Text
from lotse_platform.service import current_service, handle, request_uow
from marshmallow import validate as v

from lotse_platform.documents.api import PDF_RESPONSE, pdf_response
from ...domain.referrals import (
    DATA_CATEGORIES,
    FHIR_STATUS,
    LABELS,
    LISTS,
    MODES,
    STATES,
    STEPS,
    URGENCIES,
    label,
)
from ...domain.vocabulary import TOPIC_AREAS
from ...domain.vocabulary import label as topic_label
from ...service_layer import referrals
from ...service_layer.referrals import MakeReferral, TakeReferralStep

blp = Blueprint("network-referrals", __name__, url_prefix="/",
                description="Referrals to partner organisations (Vermittlungen): Verweisberatung, "
                            "warme Übergabe, Tandem — with consent, lifecycle and the partner's "
                            "inbox")

TEXT = v.Length(min=1, max=4000)
CASE_MANAGERS = (CASE_MANAGER,)
PARTNERS = (PROVIDER_STAFF, AUTHORITY_LIAISON)

#: the documented 503 of a view that shares or shows a referral (ADR 0053)
CONSENT_UNCONFIRMED: dict[str, Any] = {
    "schema": ProblemSchema, "content_type": PROBLEM_MEDIA_TYPE,
    "description": "intake, which keeps the person's consents, cannot confirm the releases "
                   "now (down, too slow, an error): nothing was shared (ADR 0053)",
    "headers": {"Retry-After": {"description": "seconds to wait before trying again",
                                "schema": {"type": "integer"}}},
}
MISSING_RELEASE: dict[str, Any] = {
    "schema": ProblemSchema, "content_type": PROBLEM_MEDIA_TYPE,
    "description": "no valid release of confidentiality for the partner and topic area "
                   "(``missing``: partner_org_id, topic_area each), or a step the lifecycle "
                   "does not allow from the current state (``allowed``)",
}


def _described(values, what: str) -> str:
    """``what`` with each code and its German label."""
    return f"{what}: " + ", ".join(
        f"{c} ({label(c) if c in LABELS else topic_label(c)})" for c in values)


class SharedItemSchema(ma.Schema):
    category = Line(required=True, validate=v.OneOf(list(DATA_CATEGORIES)), metadata={
        "description": _described(DATA_CATEGORIES, "data category; allowed only when the "
                                                   "person's release covers its topic area")})
    content = Text(required=True, validate=TEXT, metadata={
        "description": "what the case manager shares of this category with the partner"})


class MakeReferralSchema(ma.Schema):
    case_id = ma.fields.UUID(load_default=None, metadata={
        "description": "the casework case referred, the caller's own (empty: an intake's "
                       "referral)"})
    intake_id = ma.fields.UUID(load_default=None, metadata={
        "description": "the person's intake record, whose releases the referral rests on: "
                       "required without case_id; with it, the case's intake (may be left out)"})
    partner_org_id = ma.fields.UUID(required=True, metadata={
        "description": "the receiving organisation (identity's directory)"})
    service_id = ma.fields.UUID(load_default=None, metadata={
        "description": "a service of the partner in the network's directory"})
    mode = Line(required=True, validate=v.OneOf(MODES), metadata={
        "description": _described(MODES, "mode")})
    topic_area = Line(required=True, validate=v.OneOf(TOPIC_AREAS), metadata={
        "description": _described(TOPIC_AREAS, "topic area (Themenbereich)")})
    reason = Text(required=True, validate=TEXT, metadata={"description": "why (Anlass)"})
    urgency = Line(load_default="normal", validate=v.OneOf(URGENCIES), metadata={
        "description": _described(URGENCIES, "urgency")})
    shared = ma.fields.List(ma.fields.Nested(SharedItemSchema), load_default=list,
                            validate=v.Length(max=len(DATA_CATEGORIES)))
    send = ma.fields.Boolean(load_default=True, metadata={
        "description": "send at once (default); false: proposed, sent later"})


class StepSchema(ma.Schema):
    step = Line(required=True, validate=v.OneOf(STEPS), metadata={
        "description": _described(STEPS, "the step")})
    text = Text(load_default=None, validate=TEXT, metadata={
        "description": "a decline's reason, the feedback (how the help stands), a tandem "
                       "exchange entry, a cancellation's note"})
    appointment_on = ma.fields.Date(load_default=None, metadata={
        "description": "the appointment's day (warm handover: the joint meeting)"})


class StepDoneSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    status = ma.fields.String(required=True)
    fhir_status = ma.fields.String(required=True)


class CreatedSchema(ma.Schema):
    id = ma.fields.UUID(required=True)


class StepViewSchema(ma.Schema):
    step = ma.fields.String()
    by = ma.fields.String()
    by_org = ma.fields.String()
    on = ma.fields.Date()
    at = ma.fields.DateTime()
    text = ma.fields.String(allow_none=True)
    appointment_on = ma.fields.Date(allow_none=True)


class SharedViewSchema(ma.Schema):
    category = ma.fields.String()
    content = ma.fields.String()


class CoveringAgreementSchema(ma.Schema):
    """A cooperation agreement with the partner covering the referral's topic area."""

    id = ma.fields.UUID(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    valid_until = ma.fields.Date(required=True, allow_none=True)
    in_force = ma.fields.Boolean(required=True, metadata={"description": "signed and valid today"})
    expired = ma.fields.Boolean(required=True, metadata={
        "description": "its validity has ended (abgelaufen)"})


class ReferralSchema(ma.Schema):
    agreements = ma.fields.List(ma.fields.Nested(CoveringAgreementSchema), metadata={
        "description": "the referring case manager's and the office's view: the cooperation "
                       "agreements covering it (Kooperationsvereinbarung), an expired one flagged"})
    id = ma.fields.UUID()
    source = ma.fields.String(metadata={"description": "case or intake"})
    case_id = ma.fields.UUID(allow_none=True)
    intake_id = ma.fields.String()
    partner_org_id = ma.fields.String()
    service_id = ma.fields.UUID(allow_none=True)
    case_manager_id = ma.fields.String()
    mode = ma.fields.String()
    topic_area = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    urgency = ma.fields.String()
    shared = ma.fields.List(ma.fields.Nested(SharedViewSchema))
    person = ma.fields.String(allow_none=True, metadata={
        "description": "partner's view: who the person is (the shared category `person`: "
                       "name, date of birth) while released; null when not shared or not "
                       "released"})
    released = ma.fields.Boolean(metadata={
        "description": "partner's view: the person's release is valid now (confirmed with "
                       "intake at this read); false: nothing shared is shown"})
    status = ma.fields.String(metadata={"description": _described(STATES, "state")})
    fhir_status = ma.fields.String(metadata={
        "description": "HL7 FHIR Task.status (SDOH Clinical Care referral management): "
                       + ", ".join(f"{s} → {f}" for s, f in FHIR_STATUS.items())})
    allowed_steps = ma.fields.List(ma.fields.String())
    created_on = ma.fields.Date()
    sent_on = ma.fields.Date(allow_none=True)
    appointment_on = ma.fields.Date(allow_none=True)
    arrived_on = ma.fields.Date(allow_none=True)
    closed_on = ma.fields.Date(allow_none=True)
    shared_hidden_on = ma.fields.Date(allow_none=True)
    consent_ids = ma.fields.List(ma.fields.String())
    steps = ma.fields.List(ma.fields.Nested(StepViewSchema))


class ListArgsSchema(PurposeArgsSchema):
    list = Line(load_default=None, validate=v.OneOf(LISTS), metadata={
        "description": "waiting (for an answer), without_arrival (N days after sending, "
                       "tenant setting, default 14), feedback_due"})


class ReleasesArgsSchema(ma.Schema):
    case_id = ma.fields.UUID(required=True, metadata={"description": "the caller's own case"})


class ReleaseSchema(ma.Schema):
    consent_id = ma.fields.String()
    partner_org_id = ma.fields.String()
    topic_areas = ma.fields.List(ma.fields.String())
    valid_from = ma.fields.Date(allow_none=True)
    valid_until = ma.fields.Date(allow_none=True)
    withdrawn_on = ma.fields.Date(allow_none=True)
    valid_today = ma.fields.Boolean()


def _provided(name: str) -> Any:
    return current_service().dependencies()[name]()


@blp.route("/referrals", methods=["POST"])
@blp.arguments(MakeReferralSchema)
@blp.response(201, CreatedSchema)
@blp.alt_response(409, **MISSING_RELEASE)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*CASE_MANAGERS)
def make_referral(body):
    """Refer a case or an intake to a partner organisation. The person's release of
    confidentiality for that partner and topic area — and for each shared category's topic
    area — must be valid now, confirmed with intake at this moment: missing, withdrawn or
    unknown, 409 naming the missing release (partner and topic area); intake not answering,
    503 and nothing shared."""
    shared = tuple({"category": i["category"], "content": i["content"]} for i in body["shared"])
    return {"id": handle(MakeReferral(
        intake_id=body["intake_id"], partner_org_id=str(body["partner_org_id"]),
        mode=body["mode"], topic_area=body["topic_area"], reason=body["reason"],
        urgency=body["urgency"], case_id=body["case_id"], service_id=body["service_id"],
        shared=shared, send=body["send"]), current_principal())}


@blp.route("/referrals", methods=["GET"])
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, ReferralSchema(many=True))
@requires(CASE_MANAGER, COORDINATOR)
def list_referrals(args):
    """A case manager's own referrals, or one of her lists: waiting for an answer, without
    arrival after N days, feedback due. The coordinating office reads the tenant's referrals
    with a stated purpose (audited with it)."""
    principal = current_principal()
    days = _provided("settings").arrival_overdue_days_of(principal.tenant)
    return referrals.case_manager_lists(request_uow(principal), principal, args["list"], days,
                                        stated_purpose(args))


@blp.route("/referrals/inbox", methods=["GET"])
@blp.response(200, ReferralSchema(many=True))
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*PARTNERS)
def inbox():
    """The open referrals sent to the caller's organisation, urgent first — with the released
    data only, each person's release confirmed with intake at this read (a withdrawal is seen
    at once)."""
    principal = current_principal()
    return referrals.inbox(request_uow(principal), principal, _provided("consent_owner"))


@blp.route("/referrals/releases", methods=["GET"])
@blp.arguments(ReleasesArgsSchema, location="query")
@blp.response(200, ReleaseSchema(many=True))
@requires(*CASE_MANAGERS)
def releases(args):
    """The releases of confidentiality (Schweigepflichtentbindungen) of the person of the
    caller's own case, as intake's events brought them: to which partner a referral can go, for
    which topic areas, until when — valid ones first. Making the referral confirms them with
    intake again."""
    principal = current_principal()
    return referrals.releases_of_case(request_uow(principal), principal, args["case_id"])


@blp.route("/referrals/<uuid:referral_id>", methods=["GET"])
@blp.arguments(PurposeArgsSchema, location="query")
@blp.response(200, ReferralSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(CASE_MANAGER, COORDINATOR, *PARTNERS)
def read_referral(args, referral_id: uuid.UUID):
    """One referral: the referring case manager's in full; the receiving organisation's staff
    with the released data only (confirmed with intake now); the coordinating office with a
    stated purpose."""
    principal = current_principal()
    return referrals.read_referral(request_uow(principal), principal, referral_id,
                                   stated_purpose(args), _provided("consent_owner"))


@blp.route("/referrals/<uuid:referral_id>/letter", methods=["GET"])
@blp.response(200, **PDF_RESPONSE)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(CASE_MANAGER)
def referral_letter(referral_id: uuid.UUID):
    """The referral letter (PDF, German) for a partner without Lotse users: what the partner
    would read in its inbox — the data released for it, confirmed with intake now. The partner's
    answer is then recorded as the referral's steps. Only the referring case manager prints it
    (audited)."""
    principal = current_principal()
    return pdf_response(referrals.referral_letter(request_uow(principal), principal,
                                                  referral_id, _provided("consent_owner")),
                        "vermittlung.pdf")


@blp.route("/referrals/<uuid:referral_id>/steps", methods=["POST"])
@blp.arguments(StepSchema)
@blp.response(201, StepDoneSchema)
@blp.alt_response(409, **MISSING_RELEASE)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(CASE_MANAGER, *PARTNERS)
def take_step(body, referral_id: uuid.UUID):
    """One step of the lifecycle, recorded with who and when. The receiving organisation's
    staff accept, decline (with a reason), agree the appointment, confirm arrival or not, give
    feedback and (tandem) write exchange entries; the referring case manager may record each
    of them too (a partner without Lotse users), and alone sends, completes and cancels. A step
    the lifecycle does not allow: 409 listing the allowed ones."""
    return handle(TakeReferralStep(referral_id, body["step"], body["text"],
                                   body["appointment_on"]), current_principal())
