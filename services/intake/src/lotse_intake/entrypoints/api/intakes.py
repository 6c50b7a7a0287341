"""First contact, screening, counselling depth, consent and admission of one intake.

Every read and write of the person's data is audited in the transaction that does it. A view
declares the roles (``@requires``) and sends its command through the bus
(``handle(command, principal)``); whether the caller may work this intake — a case manager of
its area, or the office — the handler checks on the loaded intake (ADR 0052).
"""

from __future__ import annotations

import uuid

from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import CASE_MANAGER, SERVICE, current_principal, requires
from lotse_platform.service import current_service, handle, request_uow

from ...domain.commands import (
    AdmitCase,
    CompleteScreening,
    DecideCounsellingDepth,
    GiveConsent,
    RecordContact,
    WithdrawConsent,
)
from ...domain.errors import InvalidField
from ...domain.model import CriterionAnswer, OtherService, Referral
from ...domain.target_groups import ScreeningFacts
from ...service_layer import queries
from ...service_layer.access import INTAKE_ROLES
from .schemas import (
    AdmittedSchema,
    ConsentSchema,
    ConsentStateQuerySchema,
    CreateAdmissionSchema,
    CreateConsentSchema,
    CreateDecisionSchema,
    CreateIntakeSchema,
    CreateScreeningSchema,
    CurrentConsentsSchema,
    DecisionSchema,
    EarlierIntakeQuerySchema,
    EarlierIntakeSchema,
    IntakeSchema,
    ScreeningSchema,
)

blp = Blueprint("intakes", __name__, url_prefix="/intakes",
                description="Erstberatung: first contact, screening, counselling depth, consent, "
                            "admission to KIM case management")


def _operator() -> str:
    return current_service().settings.operator_org_id


@blp.route("")
class Intakes(MethodView):
    @blp.arguments(CreateIntakeSchema)
    @blp.response(201, IntakeSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body):
        """Record a first contact (*Erstkontakt*): the person, the way in, who referred.

        Case managers record in their areas, the coordinating office anywhere.
        """
        principal = current_principal()
        return handle(
            RecordContact(area_id=body["area_id"], access_path=body["access_path"],
                          contact_date=body["contact_date"], person=body["person"],
                          recorded_by=principal.subject,
                          referring_org_id=body["referring_org_id"], note=body["note"],
                          other_services=tuple(OtherService(s["org_id"], s["kind"])
                                               for s in body["other_services"])),
            principal)


@blp.route("/earlier")
class EarlierIntakes(MethodView):
    @blp.arguments(EarlierIntakeQuerySchema)
    @blp.response(200, EarlierIntakeSchema(many=True))
    @requires(*INTAKE_ROLES)
    def post(self, body):
        """At a first contact: does the tenant have an earlier intake of this person (name and
        date of birth as typed; case and spacing ignored)? Tenant-wide, for a returning
        person (001 L211) and parallel care (000 L170, 002 L335). POST keeps the name out of
        URLs and logs. Audited: one read per match and one for the search, reason
        `search:<purpose>`. Answers ids and dates only."""
        principal = current_principal()
        return queries.find_earlier_intakes(body["given_name"], body["family_name"],
                                            body["date_of_birth"], body["purpose"],
                                            request_uow(principal))


@blp.route("/<uuid:intake_id>")
class IntakeById(MethodView):
    @blp.response(200, IntakeSchema)
    @requires(*INTAKE_ROLES)
    def get(self, intake_id: uuid.UUID):
        """One intake with the person, screening, decisions, consents and admission (audited)."""
        principal = current_principal()
        return queries.read_intake(intake_id, request_uow(principal))


@blp.route("/<uuid:intake_id>/screening")
class IntakeScreening(MethodView):
    @blp.arguments(CreateScreeningSchema)
    @blp.response(200, ScreeningSchema)
    @requires(*INTAKE_ROLES)
    def put(self, body, intake_id: uuid.UUID):
        """Complete the screening form (*Screeningbogen*), or complete it again before admission.

        The target-group check runs against the tenant's groups valid on the screening day for
        the intake's area; ``target_group_ids`` overrides its result and then needs
        ``target_group_note``.
        """
        principal = current_principal()
        facts = ScreeningFacts(**{**body["facts"], "residence_statuses": tuple(
            body["facts"].get("residence_statuses", ()))})
        criteria = [CriterionAnswer(c["criterion"], c["met"], c["note"]) for c in body["criteria"]]
        return handle(
            CompleteScreening(intake_id=intake_id, criteria=criteria,
                              topic_areas=body["topic_areas"], crisis=body["crisis"],
                              facts=facts, screened_by=principal.subject,
                              screened_on=body["screened_on"],
                              target_group_ids=body["target_group_ids"],
                              target_group_note=body["target_group_note"]),
            principal)


@blp.route("/<uuid:intake_id>/decisions")
class IntakeDecisions(MethodView):
    @blp.arguments(CreateDecisionSchema)
    @blp.response(201, DecisionSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body, intake_id: uuid.UUID):
        """Decide the counselling depth (*Beratungstiefe*), or revise it: each decision is a new
        revision, earlier ones are kept. Referral counselling names organisation and topic."""
        principal = current_principal()
        referral = body["referral"]
        return handle(
            DecideCounsellingDepth(
                intake_id=intake_id, depth=body["depth"], decided_by=principal.subject,
                decided_on=body["decided_on"], note=body["note"],
                referral=Referral(referral["org_id"], referral["topic"], referral["service_id"])
                if referral else None),
            principal)


@blp.route("/<uuid:intake_id>/consents")
class IntakeConsents(MethodView):
    @blp.arguments(CreateConsentSchema)
    @blp.response(201, ConsentSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body, intake_id: uuid.UUID):
        """Record a consent: data-protection information handed over (date, language), a
        release of confidentiality (*Schweigepflichtentbindung*) for one partner and some
        problem areas, or the signed counselling agreement (*Beratungsvereinbarung*)."""
        principal = current_principal()
        return handle(
            GiveConsent(intake_id=intake_id, kind=body["kind"], given_on=body["given_on"],
                        recorded_by=principal.subject, valid_from=body["valid_from"],
                        valid_until=body["valid_until"], language=body["language"],
                        partner_org_id=body["partner_org_id"], topic_areas=body["topic_areas"]),
            principal)


@blp.route("/<uuid:intake_id>/consents/current")
class CurrentConsents(MethodView):
    @blp.arguments(ConsentStateQuerySchema, location="query")
    @blp.response(200, CurrentConsentsSchema)
    @requires(SERVICE)
    def get(self, query, intake_id: uuid.UUID):
        """The current state of the consents a sharing rests on, for casework (ADR 0053).

        Only machine clients with the role ``service``. Casework asks at the moment it shares a
        case — a partner joins a case conference, a transfer is offered, read or accepted, a
        colleague is made deputy — for exactly the consents that sharing relies on, inside its
        own transaction, and refuses (409) when one is withdrawn, expired or ``unknown``, and
        refuses to share at all (503) when intake does not answer. A withdrawal answered before
        this call is in its answer. Ids, kinds, partners, topic areas and dates only (what the
        consent events carry): not audited here; casework audits the share.
        """
        state = queries.current_consents(intake_id, query["consent_id"],
                                         request_uow(current_principal()))
        return {
            "intake_id": state.intake_id, "as_of": state.as_of, "unknown": state.unknown,
            "consents": [{"id": c.id, "kind": c.kind, "partner_org_id": c.partner_org_id,
                          "topic_areas": c.topic_areas, "valid_from": c.valid_from,
                          "valid_until": c.valid_until, "withdrawn": c.withdrawn,
                          "withdrawn_on": c.withdrawn_on} for c in state.consents],
        }


@blp.route("/<uuid:intake_id>/consents/<uuid:consent_id>/withdrawal")
class ConsentWithdrawal(MethodView):
    @blp.response(200, ConsentSchema)
    @requires(*INTAKE_ROLES)
    def post(self, intake_id: uuid.UUID, consent_id: uuid.UUID):
        """Record the withdrawal (*Widerruf*) of a consent. It takes effect at once: no handover
        from then on, and the withdrawal is published to casework and the referral network."""
        principal = current_principal()
        return handle(
            WithdrawConsent(intake_id=intake_id, consent_id=consent_id,
                            withdrawn_by=principal.subject),
            principal)


@blp.route("/<uuid:intake_id>/admission")
class IntakeAdmission(MethodView):
    @blp.arguments(CreateAdmissionSchema)
    @blp.response(201, AdmittedSchema)
    @requires(*INTAKE_ROLES)
    def post(self, body, intake_id: uuid.UUID):
        """Admit the person to KIM case management.

        Refused with 409 (``urn:lotse:problem:consent-missing``, ``errors`` naming each missing
        item) without the signed counselling agreement and the data-protection information, or
        without a completed screening; 409 unless the current decision is ``case_management``;
        422 naming ``justification`` when the person falls into no valid target group and no
        justification is given.

        Answers the responsible case manager's caseload with this case as casework counts it,
        with a warning when it goes above the guideline for her FTE share (the coordinating
        office decides; the admission is not refused for it), or ``caseload: null`` when
        casework cannot say in time.
        """
        principal = current_principal()
        case_manager_id, case_manager_org_id = _case_manager(principal, body)
        return handle(
            AdmitCase(intake_id=intake_id, case_manager_id=case_manager_id,
                      case_manager_org_id=case_manager_org_id, admitted_by=principal.subject,
                      admitted_on=body["admitted_on"], target_group_ids=body["target_group_ids"],
                      justification=body["justification"]),
            principal)


def _case_manager(principal, body) -> tuple[str, str]:
    """The responsible case manager: as given, else the caller when she is a case manager of
    the county's own intake. A provider's instance hands over to a county case manager, who
    must be named. (The caller as the default is data of the request: it becomes the command's
    fields here, before the intake is loaded, so a missing name is 422 as it always was.)"""
    case_manager_id = body["case_manager_id"]
    org_id = body["case_manager_org_id"]
    own = not _operator() and principal.has_any_role(CASE_MANAGER)
    if case_manager_id is None:
        if not own:
            raise InvalidField("case_manager_id", "name the responsible case manager")
        case_manager_id = principal.subject
    if org_id is None:
        if not (own and case_manager_id == principal.subject):
            raise InvalidField("case_manager_org_id", "name the case manager's organisation")
        org_id = principal.organisation
    return case_manager_id, org_id
