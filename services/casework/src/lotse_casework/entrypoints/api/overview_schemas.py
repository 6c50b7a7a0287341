"""What the overview answers (marshmallow): the case manager's day, the caseload against the
guideline — ids, dates and counts, no personal data. See :mod:`.case_schemas` for how views and these schemas work together."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from ...domain.vocabulary import CONSENT_KINDS, CONTACT_TYPES
from .case_schemas import Answer, Responsible
from .schemas import Topic, one_of


# -- the case manager's day -----------------------------------------------------------------------
class OverdueStepSchema(Answer):
    case_id = fields.UUID(required=True)
    step_id = fields.UUID(required=True)
    goal_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)
    responsible = Responsible(required=True)


class MonitoringDueSchema(Answer):
    case_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)
    last_contact_on = fields.Date(required=True, allow_none=True)
    contact_types = fields.List(one_of(CONTACT_TYPES, "contact type (Kontaktart)."), required=True)


class GoalDueSchema(Answer):
    case_id = fields.UUID(required=True)
    goal_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)
    topic_area = Topic(required=True)


class ConsentExpiringSchema(Answer):
    case_id = fields.UUID(required=True)
    consent_id = fields.String(required=True)
    kind = one_of(CONSENT_KINDS, "kind of consent.", required=True)
    partner_org_id = fields.String(required=True)
    valid_until = fields.Date(required=True)


class NoticeSchema(Answer):
    id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={
        "description": "consent_withdrawn, handover_waiting_for_consent, transfer_offered, …"})
    case_id = fields.UUID(required=True, allow_none=True)
    reference = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    flagged = fields.Boolean(required=True, metadata={
        "description": "needs her first: a concern for a child's wellbeing "
                       "(child_protection_concern, reference: the concern's id)"})


class WaitingForConsentSchema(Answer):
    intake_id = fields.String(required=True)
    operator_org_id = fields.String(required=True)
    since = fields.AwareDateTime(required=True)
    area_id = fields.String(required=True)


class IncomingTransferSchema(Answer):
    """Within the tenant: ``case_id`` and ``from_case_manager_id``; from another tenant, to
    the caller's area: ``from_tenant_id`` and ``to_area_id``."""

    transfer_id = fields.UUID(required=True)
    case_id = fields.UUID()
    from_case_manager_id = fields.String()
    from_tenant_id = fields.String()
    to_area_id = fields.String()
    requested_at = fields.AwareDateTime(required=True)


class AppointmentTodaySchema(Answer):
    appointment_id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    at = fields.Time(required=True)
    duration_minutes = fields.Integer(required=True)
    interpreter_needed = fields.Boolean(required=True)
    status = fields.String(required=True, metadata={
        "description": "planned, took_place, no_show or cancelled"})


class ConsultationHoursTodaySchema(Answer):
    id = fields.UUID(required=True)
    place = fields.String(required=True)
    starts = fields.Time(required=True)
    ends = fields.Time(required=True)


class MyDaySchema(Answer):
    """The case manager's day (in the county's time zone)."""

    date = fields.Date(required=True)
    overdue_steps = fields.List(fields.Nested(OverdueStepSchema), required=True)
    monitoring_due = fields.List(fields.Nested(MonitoringDueSchema), required=True)
    goals_due = fields.List(fields.Nested(GoalDueSchema), required=True, metadata={
        "description": "open goals due within 14 days"})
    consents_expiring = fields.List(fields.Nested(ConsentExpiringSchema), required=True, metadata={
        "description": "within 30 days"})
    notices = fields.List(fields.Nested(NoticeSchema), required=True,
                          metadata={"description": "the unread ones"})
    waiting_for_handover_consent = fields.List(fields.Nested(WaitingForConsentSchema),
                                               required=True)
    incoming_transfers = fields.List(fields.Nested(IncomingTransferSchema), required=True)
    open_cases = fields.Integer(required=True)
    appointments = fields.List(fields.Nested(AppointmentTodaySchema), required=True, metadata={
        "description": "today's appointments of her cases (Terminabsprachen), by time"})
    consultation_hours = fields.List(fields.Nested(ConsultationHoursTodaySchema), required=True,
                                     metadata={"description": "her open consultation hours today"})


# -- supervision figures (ids and counts only) ----------------------------------------------------
class CaseloadLineSchema(Answer):
    case_manager_id = fields.String(required=True)
    organisation_id = fields.String(required=True)
    fte = fields.Float(required=True, allow_none=True, metadata={
        "description": "share of a full-time post; null when not known"})
    open_cases = fields.Integer(required=True)
    norm_low = fields.Integer(required=True, allow_none=True)
    norm_high = fields.Integer(required=True, allow_none=True)
    above_range = fields.Boolean(required=True)
    below_range = fields.Boolean(required=True)


class OrganisationCaseloadSchema(Answer):
    organisation_id = fields.String(required=True)
    case_managers = fields.Integer(required=True)
    fte = fields.Float(required=True)
    open_cases = fields.Integer(required=True)
    above_range = fields.Integer(required=True, metadata={
        "description": "how many of its case managers are above the range"})


class CaseloadSchema(Answer):
    case_managers = fields.List(fields.Nested(CaseloadLineSchema), required=True)
    organisations = fields.List(fields.Nested(OrganisationCaseloadSchema), required=True)


class CaseloadQuerySchema(ma.Schema):
    above_guideline = fields.Boolean(load_default=False, metadata={
        "description": "only the case managers above the guideline (the coordinating office's "
                       "list to decide on)"})


class OneCaseloadQuerySchema(ma.Schema):
    taking = fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=10), metadata={
        "description": "cases she is about to take (an admission): the caseload after them"})


class CaseloadWarningSchema(Answer):
    code = fields.String(required=True, metadata={"description": "caseload_above_guideline"})
    message = fields.String(required=True)
    message_de = fields.String(required=True)


class CaseloadAfterSchema(Answer):
    """A case manager's caseload after a step (an admission, a transfer), against the guideline
    for her FTE share: a warning above it, never a refusal."""

    case_manager_id = fields.String(required=True)
    fte = fields.Float(required=True, allow_none=True)
    open_cases = fields.Integer(required=True, metadata={
        "description": "open cases and admissions waiting for their handover, the step included"})
    norm_low = fields.Integer(required=True, allow_none=True)
    norm_high = fields.Integer(required=True, allow_none=True)
    above_guideline = fields.Boolean(required=True)
    warning = fields.Nested(CaseloadWarningSchema, required=True, allow_none=True)


class TransferAnswerSchema(Answer):
    id = fields.UUID(required=True, metadata={"description": "the transfer offered; accepted: "
                                                             "the case"})
    caseload = fields.Nested(CaseloadAfterSchema, required=True, allow_none=True, metadata={
        "description": "the receiving case manager's caseload once she takes the case (null for "
                       "an offer to another tenant)"})


class ChildProtectionConcernSchema(Answer):
    """A concern for a child's wellbeing seen at a contact (Kinder- und Jugendschutz) and the
    referral need to the youth office it opened; ids and dates only."""

    id = fields.UUID(required=True)
    case_id = fields.UUID(required=True)
    contact_id = fields.UUID(required=True)
    case_manager_id = fields.String(required=True, allow_none=True, metadata={
        "description": "null once the case is closed"})
    raised_on = fields.Date(required=True)
    youth_office_org_id = fields.String(required=True)
    referral_status = fields.String(required=True, metadata={
        "description": "needed: the referral to the youth office is the network service's"})
