"""What the casework API answers about a case (marshmallow): the case file and its parts,
contacts, transfers. Each view returns the domain's objects and ``@blp.response(<status>,
<Schema>)`` dumps them with one of these, so the OpenAPI description says what comes back. Internal columns (``tenant_id``, ``event_sequence``) are not declared, so
they stay inside. Parts held as free-form JSON (an assessment's life areas, the person's contact
and screening, a goal's history, …) are dumped as they were stored."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from marshmallow import fields

from ...adapters.federation_client import PeerUnavailable
from ...domain.phases import PHASES
from ...domain.vocabulary import (
    CLOSURE_REASONS,
    CONSENT_KINDS,
    CONTACT_PURPOSES,
    CONTACT_TYPES,
    LEGAL_AREAS,
    RESPONSIBLE,
    SHARE_KINDS,
)
from .schemas import Topic, Topics, one_of


class Answer(ma.Schema):
    """An answer's schema. Unknown keys are left out when a peer's package is read (below)."""

    class Meta:
        unknown = ma.EXCLUDE


def Phase(**kw):  # noqa: N802 - a field factory
    return one_of(PHASES, "phase of the case cycle (Regelkreis).", **kw)


def LegalAreas(**kw):  # noqa: N802
    return fields.List(one_of(LEGAL_AREAS, "legal area (Rechtskreis)."), **kw)


def Responsible(**kw):  # noqa: N802
    return one_of(RESPONSIBLE, "who is responsible (SMART: zugehörig).", **kw)


def FreeForm(description: str, **kw):  # noqa: N802
    return fields.Dict(keys=fields.String(), metadata={"description": description}, **kw)


def FreeFormList(description: str, **kw):  # noqa: N802
    return fields.List(fields.Dict(keys=fields.String()), metadata={"description": description},
                       **kw)


# -- the case file --------------------------------------------------------------------------------
class CaseSummarySchema(Answer):
    """A case in a list: ids, phase and topics, no personal data."""

    id = fields.UUID(required=True)
    phase = Phase(required=True)
    area_id = fields.String(required=True)
    case_manager_id = fields.String(required=True)
    opened_on = fields.Date(required=True)
    topic_areas = Topics(required=True)
    legal_areas = LegalAreas(required=True)
    consent_withdrawn = fields.Boolean(required=True)
    access = fields.String(required=True, allow_none=True, metadata={
        "description": "how the caller reaches the case: own, shared (deputy or tandem) or "
                       "supervision (Fachaufsicht, read only); null in a transfer's package"})


class PersonSchema(Answer):
    """The case's copy of the person's data from intake's handover package (personal data)."""

    case_id = fields.UUID(required=True)
    name = fields.String(required=True)
    date_of_birth = fields.Date(required=True, allow_none=True)
    contact = FreeForm("phone, email, address", required=True)
    languages = fields.List(fields.String(), required=True)
    interpreter_needed = fields.Boolean(required=True)
    screening = FreeForm("intake's screening: criteria, topic areas, crisis, target groups",
                         required=True)
    counselling_history = FreeFormList("intake's counselling-depth decisions, oldest first",
                                       required=True)
    language_levels = FreeFormList("CEFR levels recorded at the first contact: language, "
                                   "level, evidence, assessed_on", load_default=list)
    received_at = fields.AwareDateTime(required=True)


class ConsentSchema(Answer):
    """A consent kept from intake (Einwilligung, Schweigepflichtentbindung)."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    consent_id = fields.String(required=True,
                               metadata={"description": "intake's id of the consent"})
    kind = one_of(CONSENT_KINDS, "kind of consent.", required=True)
    partner_org_id = fields.String(required=True, metadata={
        "description": "the partner a release of confidentiality is for; empty otherwise"})
    topic_areas = Topics(required=True)
    valid_from = fields.Date(required=True, allow_none=True)
    valid_until = fields.Date(required=True, allow_none=True)
    withdrawn_on = fields.Date(required=True, allow_none=True)


class PhaseTransitionSchema(Answer):
    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    from_phase = Phase(required=True, allow_none=True)
    to_phase = Phase(required=True)
    changed_by = fields.String(required=True)
    changed_at = fields.AwareDateTime(required=True)
    note = fields.String(required=True, allow_none=True)


class AssessmentSchema(Answer):
    """One version of the assessment (Bestandsaufnahme)."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    recorded_by = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)
    life_areas = FreeFormList("area, client_view, case_manager_view, disagreement",
                              required=True)
    resources = FreeFormList("kind, description (Ressourcenkarte)", required=True)
    network = FreeFormList("label, kind, relation, quality, intensity, organisation_id "
                           "(Netzwerkkarte)", required=True)
    # not required: a peer deployment of an earlier release sends none (ADR 0051)
    language_levels = FreeFormList("language, level (CEFR), evidence, assessed_on",
                                   load_default=list)


class GoalSchema(Answer):
    """A SMART goal (Zielvereinbarung) with its revisions."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    topic_area = Topic(required=True)
    statement = fields.String(required=True)
    indicator = fields.String(required=True)
    responsible = Responsible(required=True)
    responsible_org_id = fields.String(required=True)
    realism_note = fields.String(required=True)
    due_on = fields.Date(required=True)
    set_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"description": "open, reached or dropped"})
    revision = fields.Integer(required=True)
    history = FreeFormList("earlier revisions: revision, on, reason, before", required=True)
    closed_on = fields.Date(required=True, allow_none=True)
    status_reason = fields.String(required=True, allow_none=True)
    primary = fields.Boolean(load_default=False, metadata={
        "description": "the case's primary goal (das primäre Ziel); absent from a package of "
                       "an older deployment: false"})


class HelpPlanSchema(Answer):
    """One version of the help plan (Hilfeplan); a review says what changed and why."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    created_by = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    monitoring_every_days = fields.Integer(required=True)
    monitoring_contact_types = fields.List(one_of(CONTACT_TYPES, "contact type (Kontaktart)."),
                                      required=True)
    changes = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)


class StepSchema(Answer):
    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    goal_id = fields.UUID(required=True)
    description = fields.String(required=True)
    responsible = Responsible(required=True)
    responsible_org_id = fields.String(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(required=True, metadata={"description": "open, done or dropped"})
    done_on = fields.Date(required=True, allow_none=True)


class ConferenceSchema(Answer):
    """A case conference (Fallkonferenz)."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    planned_on = fields.Date(required=True)
    topics = Topics(required=True)
    agenda = fields.String(required=True)
    created_by = fields.String(required=True)
    participants = FreeFormList("organisation_id, role", required=True)
    status = fields.String(required=True, metadata={"description": "planned or held"})
    held_on = fields.Date(required=True, allow_none=True)
    minutes = fields.String(required=True, allow_none=True)
    actions = FreeFormList("action, responsible, responsible_org_id, due_on", required=True)
    level = fields.String(required=True, metadata={
        "description": "town (convened by the case manager) or county (by the coordinating "
                       "office)"})
    round_id = fields.UUID(required=True, allow_none=True, metadata={
        "description": "the coordinating office's review round it belongs to"})
    persons = FreeFormList("role, name: persons taking part without an organisation",
                           required=True)


class CaseReferralSchema(Answer):
    """A referral of the case and its state, as the network service reports it (the reason,
    what was shared and the feedback are read there)."""

    referral_id = fields.String(required=True)
    partner_org_id = fields.String(required=True)
    mode = fields.String(required=True, metadata={
        "description": "referral_counselling (Verweisberatung), warm_handover (warme Übergabe) "
                       "or tandem"})
    topic_area = Topic(required=True)
    status = fields.String(required=True, metadata={
        "description": "sent, accepted, declined, arrived, not_arrived, completed, cancelled"})
    sent_on = fields.Date(required=True, allow_none=True)
    status_on = fields.Date(required=True, allow_none=True)
    arrived_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "when the partner confirmed the client arrived"})


class CalendarConferenceSchema(ConferenceSchema):
    """A conference in the caller's calendar, with whose case it is."""

    case_manager_id = fields.String(required=True)
    client_name = fields.String(required=True, allow_none=True)


class RoundConferenceSchema(Answer):
    case_id = fields.UUID(required=True)
    conference_id = fields.UUID(required=True)
    organisations_without_release = fields.List(fields.String(), required=True, metadata={
        "description": "invited organisations the case's release does not cover: the "
                       "conference is planned without them"})


class ConferenceRoundSchema(Answer):
    round_id = fields.UUID(required=True)
    planned_on = fields.Date(required=True)
    conferences = fields.List(fields.Nested(RoundConferenceSchema), required=True)


class ShareSchema(Answer):
    """The case shared with a colleague until a date (Vertretung, Tandem)."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    colleague_id = fields.String(required=True)
    kind = one_of(SHARE_KINDS, "deputy or tandem.", required=True)
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)
    created_by = fields.String(required=True)
    ended_at = fields.AwareDateTime(required=True, allow_none=True)
    partner_org_id = fields.String(load_default=None, allow_none=True, metadata={
        "description": "a tandem with a partner organisation's specialist adviser"})
    topics = Topics(load_default=list, metadata={"description": "… on these topics"})


class EffortSchema(Answer):
    """Contacts in one phase against the effort guideline (DOMAIN.md §5): counts only."""

    phase = Phase(required=True)
    contacts = fields.Integer(required=True)
    appointments = fields.Integer(required=True)
    minutes = fields.Integer(required=True)
    referral_appointments = fields.Integer(required=True)
    follow_ups = fields.Integer(required=True)
    conferences = fields.Integer(required=True, metadata={"description": "case conferences held"})
    reflection_talks = fields.Integer(required=True, metadata={
        "description": "contacts for the reflection talk (Reflexionsgespräch)"})
    long_appointments = fields.Integer(required=True, metadata={
        "description": "appointments longer than the guideline's 2 hours"})
    write_up_minutes = fields.Integer(required=True, metadata={
        "description": "the evaluation write-up (evaluation phase)"})
    guideline = fields.String(required=True)
    beyond_guideline = fields.Boolean(required=True)
    beyond = fields.List(fields.String(), required=True, metadata={
        "description": "each measure above the guideline, e.g. 'appointments 4 > 3 (…)'"})


class CaseFileSchema(CaseSummarySchema):
    """The case file (Fallakte) with the person's data: the latest assessment and help plan,
    goals, steps, conferences, running shares; contacts as a count and the effort."""

    intake_id = fields.String(required=True)
    operator_org_id = fields.String(required=True, metadata={
        "description": "the intake instance the case came from; empty: the county's own"})
    organisation_id = fields.String(required=True,
                                    metadata={"description": "the case manager's employer"})
    target_group_ids = fields.List(fields.String(), required=True)
    motto_goal = fields.String(required=True, allow_none=True)
    primary_topic_area = Topic(required=True, allow_none=True)  # of the primary goal; null: none
    risk_flagged = fields.Boolean(required=True)
    difficulty = fields.String(required=True, allow_none=True, metadata={
        "description": "low, medium or high (Schwierigkeitsgrad); null: not judged"})
    typical = fields.Boolean(required=True, metadata={
        "description": "discussed in the network as a typical case"})
    case_manager_since = fields.Date(required=True, metadata={
        "description": "when the current case manager took the case"})
    consent_withdrawn_at = fields.AwareDateTime(required=True, allow_none=True)
    sharing_stopped = fields.Boolean(required=True)
    allowed_transitions = fields.List(Phase(), required=True)
    closed_on = fields.Date(required=True, allow_none=True)
    closure_reason = one_of(CLOSURE_REASONS, "closure reason (Abschlussgrund).", required=True,
                            allow_none=True)
    evaluation = FreeForm("the evaluation at closure: plan, methods, cooperation, "
                          "client_satisfaction, service_planning_hints", required=True,
                          allow_none=True)
    person = fields.Nested(PersonSchema, required=True, allow_none=True)
    consents = fields.List(fields.Nested(ConsentSchema), required=True)
    transitions = fields.List(fields.Nested(PhaseTransitionSchema), required=True)
    assessment = fields.Nested(AssessmentSchema, required=True, allow_none=True,
                          metadata={"description": "the latest version"})
    assessment_versions = fields.Integer(required=True)
    goals = fields.List(fields.Nested(GoalSchema), required=True)
    help_plan = fields.Nested(HelpPlanSchema, required=True, allow_none=True,
                         metadata={"description": "the latest version"})
    help_plan_versions = fields.Integer(required=True)
    steps = fields.List(fields.Nested(StepSchema), required=True)
    conferences = fields.List(fields.Nested(ConferenceSchema), required=True)
    referrals = fields.List(fields.Nested(CaseReferralSchema), load_default=list, metadata={
        "description": "the case's referrals as the network service reports them (issue 11)"})
    shares = fields.List(fields.Nested(ShareSchema), required=True,
                         metadata={"description": "the running ones"})
    effort = fields.List(fields.Nested(EffortSchema), required=True)
    contacts = fields.Integer(required=True, metadata={"description": "how many were recorded"})


# -- contacts -------------------------------------------------------------------------------------
class ContactSchema(Answer):
    """A contact with or about the client; ``notes`` are personal data."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    type = one_of(CONTACT_TYPES, "contact type (Kontaktart).", required=True)
    occurred_on = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True)
    topics = Topics(required=True)
    phase = Phase(required=True)
    recorded_by = fields.String(required=True)
    purpose = one_of(CONTACT_PURPOSES, "what the contact was for.", required=True,
                     allow_none=True)
    notes = fields.String(required=True, allow_none=True)
    client_agreement = fields.Boolean(required=True)
    second_staff_id = fields.String(required=True, allow_none=True)
    risk_seen = fields.Boolean(required=True)
    recorded_at = fields.AwareDateTime(required=True)
    appointment_id = fields.UUID(required=True, allow_none=True, metadata={
        "description": "the appointment it took place as"})
    children_present = fields.Boolean(required=True)
    child_protection_concern = fields.Boolean(required=True)
    youth_office_org_id = fields.String(required=True, allow_none=True)


class AppointmentSchema(Answer):
    """A planned appointment (Terminabsprache); place and company are case content."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    on = fields.Date(required=True)
    at = fields.Time(required=True)
    duration_minutes = fields.Integer(required=True)
    place = fields.String(required=True)
    with_whom = fields.String(required=True, allow_none=True)
    interpreter_needed = fields.Boolean(required=True)
    client_agreement = fields.Boolean(required=True, metadata={
        "description": "a home visit agreed with the client in advance"})
    status = fields.String(required=True, metadata={
        "description": "planned, took_place, no_show (nicht erschienen) or cancelled"})
    contact_id = fields.UUID(required=True, allow_none=True)
    planned_by = fields.String(required=True)
    closed_at = fields.AwareDateTime(required=True, allow_none=True)


class TeamDiscussionSchema(Answer):
    """A case discussion, peer consultation or supervision inside the case-management team
    (Fallbesprechung, Supervision): part of the coordinating office's Fachaufsicht."""

    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    held_on = fields.Date(required=True)
    recorded_by = fields.String(required=True)
    participant_ids = fields.List(fields.String(), required=True)
    case_ids = fields.List(fields.String(), required=True)
    topics = Topics(required=True)
    minutes = fields.String(required=True, allow_none=True)
    structural_issues = fields.String(required=True, allow_none=True)


class ConsultationHoursSchema(Answer):
    """A case manager's open consultation hour at a place (offene Sprechstunde): for questions
    about appointments and short matters of up to 20 minutes."""

    id = fields.UUID(required=True)
    case_manager_id = fields.String(required=True)
    place = fields.String(required=True)
    weekday = fields.Integer(required=True, metadata={"description": "0 = Monday"})
    starts = fields.Time(required=True)
    ends = fields.Time(required=True)


class ContactsSchema(Answer):
    contacts = fields.List(fields.Nested(ContactSchema), required=True)
    effort = fields.List(fields.Nested(EffortSchema), required=True)


# -- transfers ------------------------------------------------------------------------------------
class TransferSchema(Answer):
    """A transfer of the case (Fallübergabe), as the sending county recorded it."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    from_area_id = fields.String(required=True)
    from_case_manager_id = fields.String(required=True)
    to_area_id = fields.String(required=True)
    to_case_manager_id = fields.String(required=True, metadata={
        "description": "empty for an offer to another tenant"})
    to_organisation_id = fields.String(required=True)
    requested_by = fields.String(required=True)
    requested_at = fields.AwareDateTime(required=True)
    note = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, metadata={
        "description": "pending, accepted, declined or cancelled"})
    decided_at = fields.AwareDateTime(required=True, allow_none=True)
    to_tenant_id = fields.String(required=True, metadata={
        "description": "the receiving tenant; empty within the tenant"})


class PackagedCaseSchema(Answer):
    """The case in a handover package: within the tenant its summary, to another tenant
    (``from_tenant_id`` set) phase, opening date, topics and the risk flag only."""

    id = fields.UUID()
    phase = Phase(required=True)
    area_id = fields.String()
    case_manager_id = fields.String()
    opened_on = fields.Date(required=True)
    topic_areas = Topics(required=True)
    legal_areas = LegalAreas(required=True)
    consent_withdrawn = fields.Boolean()
    access = fields.String(allow_none=True, metadata={"description": "null"})
    risk_flagged = fields.Boolean(metadata={"description": "to another tenant only"})


class TransferPackageSchema(Answer):
    """What the receiving case manager reads before she accepts (Übergabepaket); also what a
    peer deployment fetches for its case manager. ``from_tenant_id`` and ``consents`` (the
    participation consents) come with an offer from another tenant only."""

    transfer = fields.Nested(TransferSchema, required=True)
    from_tenant_id = fields.String()
    case = fields.Nested(PackagedCaseSchema, required=True)
    person = fields.Nested(PersonSchema, required=True, allow_none=True)
    motto_goal = fields.String(required=True, allow_none=True)
    consents = fields.List(fields.Nested(ConsentSchema))
    goals = fields.List(fields.Nested(GoalSchema), required=True, metadata={
        "description": "to another tenant: the open ones"})
    help_plan = fields.Nested(HelpPlanSchema, required=True, allow_none=True,
                         metadata={"description": "the latest version"})
    assessment = fields.Nested(AssessmentSchema, required=True, allow_none=True,
                          metadata={"description": "the latest version"})
    steps = fields.List(fields.Nested(StepSchema), required=True, metadata={
        "description": "to another tenant: the open ones"})

    @ma.pre_dump
    def read_a_peer_package(self, package, **_):
        # A package a peer deployment served (ADR 0051) arrives here as its JSON: read with
        # this schema first (ISO dates and ids to values), it is answered exactly as one of
        # this deployment; one that cannot be read is the peer's error, as on accepting.
        if not isinstance(package.get("transfer"), Mapping):
            return package
        try:
            return self.load(package)
        except ma.ValidationError as error:
            raise PeerUnavailable("unreadable handover package: "
                                  f"{', '.join(sorted(error.messages))}") from None
