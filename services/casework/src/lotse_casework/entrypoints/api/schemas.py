"""Request bodies of the casework API (marshmallow). Enumerations are validated here; the
rules that need the case (SMART goals, home visits, releases) are the domain's, which names
every missing part in a 422."""

from __future__ import annotations

import marshmallow as ma
from lotse_platform.http.text import Line, Text, Url, refused_character
from marshmallow import validate as v

from ...domain.appointments import MAX_APPOINTMENT_MINUTES
from ...domain.caseload import DIFFICULTIES
from ...domain.contacts import (
    CONFERENCE_LEVELS,
    MAX_CONFERENCE_MINUTES,
    MAX_CONTACT_MINUTES,
    MAX_WRITE_UP_MINUTES,
    PERSON_ROLES,
)
from ...domain.phases import PHASES
from ...domain.team import DISCUSSION_KINDS
from ...domain.vocabulary import (
    APPOINTMENT_TYPES,
    CEFR_LEVELS,
    CLOSURE_REASONS,
    CONTACT_INTENSITIES,
    CONTACT_PURPOSES,
    CONTACT_TYPES,
    LANGUAGE_EVIDENCE,
    LEGAL_AREAS,
    LIFE_AREAS,
    NETWORK_KINDS,
    NETWORK_QUALITIES,
    RESOURCE_KINDS,
    RESPONSIBLE,
    SHARE_KINDS,
    TOPIC_AREAS,
    described,
)

ID = v.Length(min=1, max=100)
TEXT = v.Length(max=4000)


def one_of(values, description: str = "", **kw) -> Line:
    """A string from ``values``, documented with the German labels."""
    text = f"{description} {described(values)}".strip()
    return Line(validate=v.OneOf(values), metadata={"description": text}, **kw)


def Topic(**kw):  # noqa: N802 - a field factory
    return one_of(TOPIC_AREAS, "topic area (Themenbereich)", **kw)


def Topics(**kw):  # noqa: N802
    return ma.fields.List(Topic(), **kw)


class PhaseChangeSchema(ma.Schema):
    to = one_of(PHASES, "the next phase of the case cycle (Regelkreis).", required=True)
    note = Text(validate=TEXT, load_default=None)


class TopicsSchema(ma.Schema):
    topic_areas = Topics(required=True)
    legal_areas = ma.fields.List(Line(validate=v.OneOf(LEGAL_AREAS)),
                                 load_default=None)


class CaseSettingsSchema(ma.Schema):
    motto_goal = Line(validate=v.Length(max=500), load_default=None,
                      metadata={"description": "the client's own motto goal"})
    risk_flagged = ma.fields.Boolean(load_default=None,
                                     metadata={"description": "a risk is seen (home visits by two)"})
    difficulty = one_of(DIFFICULTIES, "difficulty of the case (Schwierigkeitsgrad); a case "
                        "reconstruction takes medium ones.", load_default=None)
    typical = ma.fields.Boolean(load_default=None, metadata={
        "description": "the network discusses it as a typical case (Fallrekonstruktion)"})


class EvaluationSchema(ma.Schema):
    plan = Text(validate=TEXT)
    methods = Text(validate=TEXT)
    cooperation = Text(validate=TEXT, metadata={"description": "with third parties"})
    client_satisfaction = ma.fields.Integer(validate=v.Range(1, 5),
                                            metadata={"description": "1 (low) to 5 (high)"})
    service_planning_hints = Text(validate=TEXT)
    write_up_minutes = ma.fields.Integer(validate=v.Range(1, MAX_WRITE_UP_MINUTES), metadata={
        "description": "time of the evaluation write-up (Auswertungs-/Reflexionsdokumentation; "
                       "guideline: up to 2 hours), counted in the effort"})


class ClosureSchema(ma.Schema):
    reason = one_of(CLOSURE_REASONS, 'closure reason (Abschlussgrund).', required=True)
    evaluation = ma.fields.Nested(EvaluationSchema, load_default=None)


class LifeAreaSchema(ma.Schema):
    area = one_of(LIFE_AREAS, 'life area (Lebensbereich).', required=True)
    client_view = Text(validate=TEXT, load_default=None,
                       metadata={"description": "the client's self-assessment"})
    case_manager_view = Text(validate=TEXT, load_default=None)
    disagreement = Text(validate=TEXT, load_default=None,
                        metadata={"description": "where the views differ"})


class ResourceSchema(ma.Schema):
    kind = one_of(RESOURCE_KINDS, 'kind of resource (Ressourcenkarte).', required=True)
    description = Text(required=True, validate=v.Length(min=1, max=1000))


class NetworkEntrySchema(ma.Schema):
    label = Line(required=True, validate=v.Length(min=1, max=200),
                 metadata={"description": "who (a person or a service)"})
    kind = one_of(NETWORK_KINDS, 'who (Netzwerkkarte).', required=True)
    relation = Line(validate=v.Length(max=200), load_default=None)
    quality = one_of(NETWORK_QUALITIES, 'supportive or straining.', required=True)
    intensity = one_of(CONTACT_INTENSITIES, 'contact intensity.', required=True)
    organisation_id = Line(validate=ID, load_default=None)


class LanguageLevelSchema(ma.Schema):
    """A CEFR level in one language, what it rests on and when (004 L144)."""

    language = Line(required=True, validate=v.Regexp(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
                    metadata={"description": "BCP 47 tag, e.g. de"})
    level = one_of(CEFR_LEVELS, "CEFR level (GER).", required=True)
    evidence = one_of(LANGUAGE_EVIDENCE, "what the level rests on (Nachweis).", required=True)
    assessed_on = ma.fields.Date(required=True)


class CreateAssessmentSchema(ma.Schema):
    life_areas = ma.fields.List(ma.fields.Nested(LifeAreaSchema), required=True)
    resources = ma.fields.List(ma.fields.Nested(ResourceSchema), load_default=list)
    network = ma.fields.List(ma.fields.Nested(NetworkEntrySchema), load_default=list)
    language_levels = ma.fields.List(ma.fields.Nested(LanguageLevelSchema), load_default=list,
                                     validate=v.Length(max=20), metadata={
        "description": "the language levels as they stand now (the re-assessment records "
                       "progress against intake's and earlier ones)"})


class CreateGoalSchema(ma.Schema):
    """SMART parts are optional here so that a missing one is named by the SMART rule."""

    topic_area = Topic(required=True)
    statement = Text(validate=TEXT, load_default=None, allow_none=True)
    indicator = Text(validate=TEXT, load_default=None, allow_none=True)
    responsible = Line(load_default=None, allow_none=True)
    responsible_org_id = Line(validate=ID, load_default=None, allow_none=True)
    realism_note = Text(validate=TEXT, load_default=None, allow_none=True)
    due_on = ma.fields.Date(load_default=None, allow_none=True)
    primary = ma.fields.Boolean(load_default=False, metadata={
        "description": "the case's primary goal (das primäre Ziel); one per case, an earlier "
                       "primary goal is no longer"})


class GoalRevisionSchema(ma.Schema):
    reason = Text(required=True, validate=v.Length(min=1, max=1000))
    topic_area = Topic(load_default=None)
    statement = Text(validate=TEXT, load_default=None)
    indicator = Text(validate=TEXT, load_default=None)
    responsible = one_of(RESPONSIBLE, 'who is responsible (SMART: zugehörig).', load_default=None)
    responsible_org_id = Line(validate=ID, load_default=None)
    realism_note = Text(validate=TEXT, load_default=None)
    due_on = ma.fields.Date(load_default=None)
    primary = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: the goal becomes the case's primary goal"})


class ReasonSchema(ma.Schema):
    reason = Text(validate=v.Length(max=1000), load_default=None)


class MonitoringSchema(ma.Schema):
    every_days = ma.fields.Integer(required=True, validate=v.Range(1, 180),
                                   metadata={"description": "a monitoring contact every n days"})
    contact_types = ma.fields.List(one_of(CONTACT_TYPES, 'contact type (Kontaktart).'),
                                   required=True)


class CreateHelpPlanSchema(ma.Schema):
    monitoring = ma.fields.Nested(MonitoringSchema, required=True)
    changes = Text(validate=TEXT, load_default=None,
                   metadata={"description": "plan review: what changed"})
    reason = Text(validate=TEXT, load_default=None,
                  metadata={"description": "plan review: why"})


class CreateStepSchema(ma.Schema):
    goal_id = ma.fields.UUID(required=True)
    description = Text(required=True, validate=v.Length(min=1, max=1000))
    responsible = one_of(RESPONSIBLE, 'who is responsible (SMART: zugehörig).', required=True)
    responsible_org_id = Line(validate=ID, load_default=None)
    due_on = ma.fields.Date(required=True)


class CreateContactSchema(ma.Schema):
    type = one_of(CONTACT_TYPES, 'contact type (Kontaktart).', required=True)
    occurred_on = ma.fields.Date(required=True)
    duration_minutes = ma.fields.Integer(required=True, validate=v.Range(1, MAX_CONTACT_MINUTES),
                                         metadata={"description": "an appointment takes 1 to "
                                                   "2 hours (guideline); longer is counted "
                                                   "beyond it"})
    topics = Topics(load_default=list)
    purpose = one_of(CONTACT_PURPOSES, 'what the contact was for.', load_default=None)
    notes = Text(validate=v.Length(max=8000), load_default=None)
    client_agreement = ma.fields.Boolean(load_default=False, metadata={
        "description": "home visit: taken from its appointment (agreed in advance)"})
    second_staff_id = Line(validate=ID, load_default=None)
    risk_seen = ma.fields.Boolean(load_default=False)
    appointment_id = ma.fields.UUID(load_default=None, metadata={
        "description": "the planned appointment that took place (required for a home visit: "
                       "agreed in advance); it is then marked as taken place"})
    children_present = ma.fields.Boolean(load_default=False, metadata={
        "description": "children or young people were present (Kinder- und Jugendschutz)"})
    child_protection_concern = ma.fields.Boolean(load_default=False, metadata={
        "description": "a concern for a child's wellbeing: needs youth_office_org_id; the case "
                       "manager gets a flagged notice, the coordinating office sees it, a "
                       "referral need to the youth office is recorded"})
    youth_office_org_id = Line(validate=ID, load_default=None, metadata={
        "description": "the youth office (Jugendamt), an organisation of the directory"})


class TimeOfDay(ma.fields.Time):
    """A local time of day (``09:30``), held to the rule of single-line text (ADR 0060) before
    it is parsed, so a control character is named as in every other field."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            problem = refused_character(value, multiline=False)
            if problem is not None:
                raise ma.ValidationError(problem)
        return super()._deserialize(value, attr, data, **kwargs)


class CreateAppointmentSchema(ma.Schema):
    kind = one_of(sorted(APPOINTMENT_TYPES), "kind of appointment (Termin, Begleitung, "
                  "Hausbesuch, Videotelefonat).", required=True)
    on = ma.fields.Date(required=True, metadata={"description": "the day (the tenant's)"})
    at = TimeOfDay(required=True, metadata={"description": "time of day, local"})
    duration_minutes = ma.fields.Integer(
        required=True, validate=v.Range(1, MAX_APPOINTMENT_MINUTES),
        metadata={"description": "as planned; the guideline's appointment is 1 to 2 hours"})
    place = Line(required=True, validate=v.Length(min=1, max=300))
    with_whom = Line(validate=v.Length(max=300), load_default=None, metadata={
        "description": "who takes part besides the client and the case manager"})
    interpreter_needed = ma.fields.Boolean(load_default=False)
    client_agreement = ma.fields.Boolean(load_default=False, metadata={
        "description": "home visit: the client agreed to it in advance (vorab verbindlich "
                       "vereinbart), required"})


class CreateTeamDiscussionSchema(ma.Schema):
    kind = one_of(DISCUSSION_KINDS, "Fallbesprechung (case_discussion), kollegiale Beratung "
                  "(peer_consultation) or Supervision.", required=True)
    held_on = ma.fields.Date(required=True)
    participant_ids = ma.fields.List(Line(validate=ID), load_default=list, metadata={
        "description": "case managers of the team (the one recording takes part)"})
    case_ids = ma.fields.List(ma.fields.UUID(), load_default=list, metadata={
        "description": "the cases discussed (ids)"})
    topics = Topics(load_default=list)
    minutes = Text(validate=v.Length(max=20000), load_default=None)
    structural_issues = Text(validate=TEXT, load_default=None, metadata={
        "description": "problems on the structural level seen in the discussion"})


class CreateConsultationHoursSchema(ma.Schema):
    place = Line(required=True, validate=v.Length(min=1, max=300))
    weekday = ma.fields.Integer(required=True, validate=v.Range(0, 6),
                                metadata={"description": "0 = Monday … 6 = Sunday"})
    starts = TimeOfDay(required=True)
    ends = TimeOfDay(required=True)


class ParticipantSchema(ma.Schema):
    organisation_id = Line(required=True, validate=ID)
    role = Line(validate=v.Length(max=200), load_default=None)


class ConferencePersonSchema(ma.Schema):
    """A person taking part without an organisation (001 L622: teachers, volunteers)."""

    role = one_of(PERSON_ROLES, "what the person is to the client.", required=True)
    name = Line(validate=v.Length(max=200), load_default=None, metadata={
        "description": "how the participants address the person (case content, never logged)"})
    client_agreed = ma.fields.Boolean(required=True, metadata={
        "description": "the client agreed to this person taking part (no release of "
                       "confidentiality to an organisation covers them): must be true"})


class CreateConferenceSchema(ma.Schema):
    planned_on = ma.fields.Date(required=True)
    topics = Topics(required=True, validate=v.Length(min=1))
    agenda = Text(required=True, validate=v.Length(min=1, max=4000))
    participants = ma.fields.List(ma.fields.Nested(ParticipantSchema), load_default=list)
    persons = ma.fields.List(ma.fields.Nested(ConferencePersonSchema), load_default=list,
                             validate=v.Length(max=20))


class CreateConferenceRoundSchema(ma.Schema):
    """The coordinating office's round over every active case of one case manager (003 L35)."""

    case_manager_id = Line(required=True, validate=ID, metadata={
        "description": "the case manager whose active cases are reviewed"})
    planned_on = ma.fields.Date(required=True)
    topics = Topics(required=True, validate=v.Length(min=1))
    agenda = Text(required=True, validate=v.Length(min=1, max=4000))
    organisation_ids = ma.fields.List(Line(validate=ID), load_default=list,
                                      validate=v.Length(max=20), metadata={
        "description": "organisations invited to each conference (the immigration office …); "
                       "each joins where the case's release covers every topic"})


class ConferenceCalendarArgsSchema(ma.Schema):
    start = ma.fields.Date(data_key="from", load_default=None, metadata={
        "description": "first day (default: 92 days ago)"})
    end = ma.fields.Date(data_key="to", load_default=None, metadata={
        "description": "last day (default: in 92 days)"})
    level = one_of(CONFERENCE_LEVELS, "only this level.", load_default=None)
    round_id = ma.fields.UUID(load_default=None, metadata={
        "description": "only the conferences of this review round"})

    @ma.validates_schema
    def _window(self, data, **_kw):
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ma.ValidationError("on or after from", field_name="to")
        if start and end and (end - start).days > 400:
            raise ma.ValidationError("at most 400 days after from", field_name="to")


class ActionSchema(ma.Schema):
    action = Text(required=True, validate=v.Length(min=1, max=1000))
    responsible = one_of(RESPONSIBLE, 'who is responsible (SMART: zugehörig).', required=True)
    responsible_org_id = Line(validate=ID, load_default=None)
    due_on = ma.fields.Date(load_default=None)


class ConferenceHeldSchema(ma.Schema):
    held_on = ma.fields.Date(required=True)
    minutes = Text(required=True, validate=v.Length(max=20000))
    actions = ma.fields.List(ma.fields.Nested(ActionSchema), load_default=list)
    duration_minutes = ma.fields.Integer(
        validate=v.Range(1, MAX_CONFERENCE_MINUTES), load_default=None, metadata={
            "description": "how long it took (guideline: 1 to 2 hours), counted in the effort"})


class CreateShareSchema(ma.Schema):
    colleague_id = Line(required=True, validate=ID, metadata={
        "description": "a colleague case manager, or with partner_org_id the partner's "
                       "specialist adviser (Fachberater*in)"})
    kind = one_of(SHARE_KINDS, 'deputy or tandem.', required=True)
    valid_from = ma.fields.Date(load_default=None)
    valid_until = ma.fields.Date(required=True)
    partner_org_id = Line(validate=ID, load_default=None, metadata={
        "description": "a tandem with a partner organisation's specialist: the organisation "
                       "(needs its release of confidentiality for every topic)"})
    topics = Topics(load_default=list, metadata={
        "description": "a partner's tandem: the topics it counsels on (Schwerpunkte)"})


class CreateTransferSchema(ma.Schema):
    """Within the tenant: the receiving case manager (and her area). To another tenant running
    Lotse: ``to_tenant_id`` and the receiving ``to_area_id``."""

    to_case_manager_id = Line(validate=ID, load_default=None)
    to_tenant_id = Line(validate=ID, load_default=None)
    to_area_id = Line(validate=ID, load_default=None)
    note = Text(validate=TEXT, load_default=None)

    @ma.validates_schema
    def one_receiver(self, data, **_):
        if bool(data.get("to_case_manager_id")) == bool(data.get("to_tenant_id")):
            raise ma.ValidationError("name either to_case_manager_id or to_tenant_id",
                                     "to_case_manager_id")


class CaseManagerSchema(ma.Schema):
    organisation_id = Line(required=True, validate=ID)
    fte = ma.fields.Float(required=True, metadata={"description": "share of a full-time post"})
    areas = ma.fields.List(Line(validate=ID), load_default=list)
    active = ma.fields.Boolean(load_default=True)


class CreatedSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    version = ma.fields.Integer()


# -- federation (peer deployments, ADR 0051) ------------------------------------------------------
class FederatedOfferSchema(ma.Schema):
    """An offer delivered by a peer deployment: ids and facts, never personal data."""

    transfer_id = ma.fields.UUID(required=True, metadata={"description": "the sender's id"})
    from_tenant_id = ma.fields.UUID(required=True)
    to_tenant_id = ma.fields.UUID(required=True)
    to_area_id = Line(required=True, validate=ID)
    from_case_id = ma.fields.UUID(required=True)
    callback_url = Url(required=True, schemes={"http", "https"}, require_tld=False,
                       validate=v.Length(max=500),
                       metadata={"description": "the sender's casework base URL"})
    topic_areas = Topics(required=True)
    legal_areas = ma.fields.List(Line(validate=v.OneOf(LEGAL_AREAS)),
                                 load_default=list)
    phase = one_of(PHASES, "the case's phase.", required=True)
    offered_on = ma.fields.Date(load_default=None)


class PackageQuerySchema(ma.Schema):
    from_tenant_id = ma.fields.UUID(required=True, metadata={"description": "sending tenant"})
    case_manager_id = Line(required=True, validate=ID, metadata={
        "description": "the receiving case manager who reads it (named in the audit entry)"})


class FederatedAcceptanceSchema(ma.Schema):
    from_tenant_id = ma.fields.UUID(required=True)
    accepted_by = Line(required=True, validate=ID,
                       metadata={"description": "the receiving case manager"})


class FederatedErasureSchema(ma.Schema):
    from_tenant_id = ma.fields.UUID(required=True, metadata={
        "description": "the sending tenant, where the person was erased"})
    to_tenant_id = ma.fields.UUID(required=True, metadata={
        "description": "the tenant served here that took over her case"})
    erasure_id = ma.fields.UUID(required=True, metadata={
        "description": "the sending tenant's erasure (the one forwarded here derives from it)"})


class FederatedCancelSchema(ma.Schema):
    from_tenant_id = ma.fields.UUID(required=True, metadata={"description": "sending tenant"})
    to_tenant_id = ma.fields.UUID(required=True, metadata={
        "description": "the tenant served here the offer was made to"})
