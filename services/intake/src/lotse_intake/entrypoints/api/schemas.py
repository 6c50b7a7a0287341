"""Marshmallow schemas of the intake API: ``Create<Noun>Schema`` for what a caller sends,
``<Noun>Schema`` for what it gets back. Enumerations are their English values, documented with
the German labels; an unknown value is refused with 422 naming the field, never defaulted.
Unknown fields are refused too."""

from __future__ import annotations

from enum import StrEnum

import marshmallow as ma
from lotse_platform.http.text import Email, Line, Text

from ...domain.model import DepthDecision, LanguageLevel, Person
from ...domain.vocabulary import (
    AccessPath,
    AdmissionCriterion,
    ConsentKind,
    CefrLevel,
    CounsellingDepth,
    EarlierContactPurpose,
    Household,
    IntakeStatus,
    LanguageEvidence,
    OtherServiceKind,
    RegionOfOrigin,
    ResidenceStatus,
    TopicArea,
    describe,
)

ID = ma.validate.Length(min=1, max=100)
#: an id that no replica checks yet is held to its form: free text would carry whatever a
#: client typed into the events it is published with (issue 18, point 5)
UUID_ID = ma.validate.Regexp(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    error="must be a UUID")
NAME = ma.validate.Length(min=1, max=200)
TEXT = ma.validate.Length(max=4000)
# BCP 47 language tags as people use them: "ar", "fa-AF", "ku-Latn"
LANGUAGE = ma.validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                              error="a language tag such as 'ar', 'ti' or 'fa-AF'")


def enum(enum_class: type[StrEnum], **kwargs) -> ma.fields.Enum:
    metadata = {"description": describe(enum_class), **kwargs.pop("metadata", {})}
    return ma.fields.Enum(enum_class, by_value=True, metadata=metadata, **kwargs)


def enum_list(enum_class: type[StrEnum], **kwargs) -> ma.fields.List:
    description = kwargs.pop("description", "")
    return ma.fields.List(enum(enum_class), metadata={
        "description": f"{description} Values: {describe(enum_class)}".strip()}, **kwargs)


def an_id(description: str, **kwargs) -> Line:
    return Line(validate=ID, metadata={"description": description}, **kwargs)


# -- the person ------------------------------------------------------------------------------------
class ContactSchema(ma.Schema):
    phone = Line(validate=ma.validate.Length(max=100), allow_none=True)
    email = Email(validate=ma.validate.Length(max=254), allow_none=True)
    address = Text(validate=ma.validate.Length(max=500), allow_none=True,
                   metadata={"description": "may take several lines"})


class LanguageLevelSchema(ma.Schema):
    """A CEFR level (GER) in one of the person's languages, its evidence and date (004 L144)."""

    language = Line(required=True, validate=LANGUAGE,
                    metadata={"description": "one of the person's `languages`"})
    level = enum(CefrLevel, required=True)
    evidence = enum(LanguageEvidence, required=True)
    assessed_on = ma.fields.Date(required=True, metadata={
        "description": "the day of the certificate, test or assessment"})

    @ma.post_load
    def to_level(self, data, **_):
        return LanguageLevel(data["language"], data["level"], data["evidence"],
                             data["assessed_on"])


class CreatePersonSchema(ma.Schema):
    """Minimal personal data (§67a SGB X)."""

    given_name = Line(required=True, validate=NAME, metadata={"description": "Vorname"})
    family_name = Line(required=True, validate=NAME, metadata={"description": "Familienname"})
    date_of_birth = ma.fields.Date(allow_none=True, load_default=None,
                                   metadata={"description": "Geburtsdatum, if given"})
    contact = ma.fields.Nested(ContactSchema, load_default=dict)
    languages = ma.fields.List(Line(validate=LANGUAGE), load_default=list,
                               validate=ma.validate.Length(max=10),
                               metadata={"description": "languages spoken (BCP 47 tags)"})
    interpreter_needed = ma.fields.Boolean(load_default=False,
                                           metadata={"description": "Dolmetscher nötig"})
    language_levels = ma.fields.List(ma.fields.Nested(LanguageLevelSchema), load_default=list,
                                     validate=ma.validate.Length(max=10),
                                     metadata={"description": "Sprachniveau per language with "
                                                              "its evidence (Nachweis)"})

    @ma.post_load
    def to_person(self, data, **_):
        contact = data["contact"]
        return Person(given_name=data["given_name"].strip(), family_name=data["family_name"].strip(),
                      date_of_birth=data["date_of_birth"], phone=contact.get("phone"),
                      email=contact.get("email"), address=contact.get("address"),
                      languages=tuple(data["languages"]),
                      interpreter_needed=data["interpreter_needed"],
                      language_levels=tuple(data["language_levels"]))


class PersonSchema(ma.Schema):
    given_name = ma.fields.String(required=True)
    family_name = ma.fields.String(required=True)
    date_of_birth = ma.fields.Date(allow_none=True)
    contact = ma.fields.Nested(ContactSchema)
    languages = ma.fields.List(ma.fields.String())
    interpreter_needed = ma.fields.Boolean()
    language_levels = ma.fields.List(ma.fields.Nested(LanguageLevelSchema))

    @ma.pre_dump
    def from_person(self, person: Person, **_):
        return {"given_name": person.given_name, "family_name": person.family_name,
                "date_of_birth": person.date_of_birth,
                "contact": {"phone": person.phone, "email": person.email,
                            "address": person.address},
                "languages": list(person.languages),
                "interpreter_needed": person.interpreter_needed,
                "language_levels": list(person.language_levels)}


class PersonNameSchema(ma.Schema):
    given_name = ma.fields.String(required=True)
    family_name = ma.fields.String(required=True)


# -- first contact -------------------------------------------------------------------------------
class OtherServiceSchema(ma.Schema):
    """Another service already counselling the person (*Parallelbetreuung*)."""

    org_id = an_id("the organisation (a reference, checked)", required=True)
    kind = enum(OtherServiceKind, required=True)


class EarlierIntakeQuerySchema(ma.Schema):
    """The person as the case manager typed her at the first contact."""

    given_name = Line(required=True, validate=NAME)
    family_name = Line(required=True, validate=NAME)
    date_of_birth = ma.fields.Date(required=True)
    purpose = enum(EarlierContactPurpose, required=True)


class EarlierIntakeSchema(ma.Schema):
    intake_id = ma.fields.UUID()
    area_id = ma.fields.String()
    contact_date = ma.fields.Date()
    status = enum(IntakeStatus)
    admitted_on = ma.fields.Date(allow_none=True)


class CreateIntakeSchema(ma.Schema):
    """A first contact (*Erstkontakt*)."""

    person = ma.fields.Nested(CreatePersonSchema, required=True)
    access_path = enum(AccessPath, required=True, metadata={"title": "Zugangsweg"})
    referring_org_id = an_id("organisation that referred the person (required for partner "
                             "and administration referrals)", allow_none=True, load_default=None)
    area_id = an_id("area (town) the person lives in", required=True)
    contact_date = ma.fields.Date(required=True, metadata={"description": "Datum des Erstkontakts"})
    note = Text(validate=TEXT, allow_none=True, load_default=None)
    other_services = ma.fields.List(
        ma.fields.Nested(OtherServiceSchema), load_default=list,
        validate=ma.validate.Length(max=10),
        metadata={"description": "already counselled by another service: which organisation "
                                 "and what kind (Parallelbetreuung, Doppelförderung)"})


# -- screening -----------------------------------------------------------------------------------
class CriterionAnswerSchema(ma.Schema):
    criterion = enum(AdmissionCriterion, required=True)
    met = ma.fields.Boolean(required=True)
    note = Text(validate=TEXT, allow_none=True, load_default=None)


class AdmissionCriterionSchema(ma.Schema):
    """One criterion of the tenant's screening form, with its German label."""

    criterion = enum(AdmissionCriterion, required=True)
    label = ma.fields.String(required=True)


class ScreeningFactsSchema(ma.Schema):
    """Facts for the target-group check. Special categories (residence, origin): they stay in
    intake and are never published."""

    residence_statuses = enum_list(ResidenceStatus, load_default=list,
                                   description="Aufenthaltsstatus (several may hold).")
    stated_age = ma.fields.Integer(allow_none=True, load_default=None,
                                   validate=ma.validate.Range(min=0, max=120),
                                   metadata={"description": "only when the date of birth is "
                                                            "not known"})
    arrived_in_germany_on = ma.fields.Date(allow_none=True, load_default=None,
                                           metadata={"description": "Einreisedatum"})
    unaccompanied_minor_at_entry = ma.fields.Boolean(allow_none=True, load_default=None)
    region_of_origin = enum(RegionOfOrigin, allow_none=True, load_default=None)
    multiple_support_need_established = ma.fields.Boolean(
        allow_none=True, load_default=None,
        metadata={"description": "multipler Hilfebedarf, festgestellt von einer "
                                 "Fachberatungsstelle"})
    disadvantaged = ma.fields.Boolean(allow_none=True, load_default=None,
                                      metadata={"description": "besonders benachteiligt "
                                                               "(Einschätzung der Case Managerin)"})
    multiple_support_need_established_by = an_id(
        "the specialised counselling service (Fachberatungsstelle, an organisation) that "
        "established the multiple support need; required with "
        "`multiple_support_need_established: true`", allow_none=True, load_default=None)
    arrived_in_county_on = ma.fields.Date(allow_none=True, load_default=None,
                                          metadata={"description": "Zuzug in den Kreis"})
    household = enum(Household, allow_none=True, load_default=None)
    born_abroad = ma.fields.Boolean(allow_none=True, load_default=None, metadata={
        "description": "born outside today's Germany (§4 Nr. 2 TIIntG)"})
    parent_immigrated_after_1995 = ma.fields.Boolean(allow_none=True, load_default=None, metadata={
        "description": "a parent was born abroad and immigrated after 31 Dec 1995 "
                       "(§4 Nr. 3 TIIntG)"})


class CreateScreeningSchema(ma.Schema):
    """The screening form (*Screeningbogen*)."""

    criteria = ma.fields.List(ma.fields.Nested(CriterionAnswerSchema), required=True,
                              metadata={"description": "each of the tenant's admission "
                                                       "criteria (`GET /admission-criteria`; "
                                                       "default the first five) answered "
                                                       "yes/no (not all must hold)"})
    topic_areas = enum_list(TopicArea, required=True, description="Themenbereiche mit Bedarf.")
    crisis = ma.fields.Boolean(required=True, metadata={"description": "Krise"})
    facts = ma.fields.Nested(ScreeningFactsSchema, load_default=dict)
    screened_on = ma.fields.Date(allow_none=True, load_default=None)
    target_group_ids = ma.fields.List(Line(validate=ID), allow_none=True,
                                      load_default=None,
                                      metadata={"description": "override of the computed target "
                                                               "groups (needs target_group_note)"})
    target_group_note = Text(validate=TEXT, allow_none=True, load_default=None)


class ScreeningSchema(ma.Schema):
    criteria = ma.fields.List(ma.fields.Nested(CriterionAnswerSchema))
    criteria_met = ma.fields.List(enum(AdmissionCriterion))
    topic_areas = enum_list(TopicArea)
    crisis = ma.fields.Boolean()
    facts = ma.fields.Nested(ScreeningFactsSchema)
    screened_on = ma.fields.Date()
    screened_by = ma.fields.String()
    matching_target_group_ids = ma.fields.List(ma.fields.String(), metadata={
        "description": "target groups computed from the facts"})
    target_group_ids = ma.fields.List(ma.fields.String(), metadata={
        "description": "target groups confirmed by the case manager"})
    target_group_note = ma.fields.String(allow_none=True)


# -- counselling depth ---------------------------------------------------------------------------
class ReferralSchema(ma.Schema):
    org_id = an_id("organisation referred to", required=True)
    topic = enum(TopicArea, required=True)
    # the referral network's directory (issue 11, Open Referral HSDS) names services by UUID;
    # until intake keeps a replica of it, the form is all that is checked
    service_id = Line(validate=UUID_ID, allow_none=True, load_default=None, metadata={
        "description": "its service (directory id, a UUID), if known", "format": "uuid"})


class CreateDecisionSchema(ma.Schema):
    depth = enum(CounsellingDepth, required=True, metadata={"title": "Beratungstiefe"})
    referral = ma.fields.Nested(ReferralSchema, allow_none=True, load_default=None,
                                metadata={"description": "required for referral counselling"})
    decided_on = ma.fields.Date(allow_none=True, load_default=None)
    note = Text(validate=TEXT, allow_none=True, load_default=None)


class DecisionSchema(ma.Schema):
    revision = ma.fields.Integer()
    depth = enum(CounsellingDepth)
    referral = ma.fields.Nested(ReferralSchema, allow_none=True)
    decided_by = ma.fields.String()
    decided_on = ma.fields.Date()
    decided_at = ma.fields.AwareDateTime()
    note = ma.fields.String(allow_none=True)

    @ma.pre_dump
    def with_referral(self, decision: DepthDecision, **_):
        referral = None
        if decision.referral_org_id:
            referral = {"org_id": decision.referral_org_id, "topic": decision.referral_topic,
                        "service_id": decision.referral_service_id}
        return {"revision": decision.revision, "depth": decision.depth, "referral": referral,
                "decided_by": decision.decided_by, "decided_on": decision.decided_on,
                "decided_at": decision.decided_at, "note": decision.note}


# -- consent -------------------------------------------------------------------------------------
class CreateConsentSchema(ma.Schema):
    kind = enum(ConsentKind, required=True)
    given_on = ma.fields.Date(required=True, metadata={"description": "handed over / signed on"})
    valid_from = ma.fields.Date(allow_none=True, load_default=None,
                                metadata={"description": "defaults to given_on"})
    valid_until = ma.fields.Date(allow_none=True, load_default=None,
                                 metadata={"description": "open-ended when empty"})
    language = Line(validate=LANGUAGE, allow_none=True, load_default=None,
                    metadata={"description": "data-protection information: language it was "
                                             "handed over in"})
    partner_org_id = an_id("release of confidentiality: the partner organisation",
                           allow_none=True, load_default=None)
    topic_areas = enum_list(TopicArea, load_default=list,
                            description="release of confidentiality: the problem areas.")


class ConsentSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = enum(ConsentKind)
    given_on = ma.fields.Date()
    valid_from = ma.fields.Date()
    valid_until = ma.fields.Date(allow_none=True)
    language = ma.fields.String(allow_none=True)
    partner_org_id = ma.fields.String(allow_none=True)
    topic_areas = enum_list(TopicArea)
    recorded_by = ma.fields.String()
    withdrawn = ma.fields.Boolean()
    withdrawn_on = ma.fields.Date(allow_none=True)
    withdrawn_by = ma.fields.String(allow_none=True)


class ConsentStateQuerySchema(ma.Schema):
    consent_id = ma.fields.List(ma.fields.UUID(), required=True,
                                validate=ma.validate.Length(min=1, max=50), metadata={
                                    "description": "the consents the sharing rests on "
                                                   "(repeat the parameter: ?consent_id=…&"
                                                   "consent_id=…)"})


class CurrentConsentSchema(ma.Schema):
    """One consent as committed now: ids, kind, partner, topics and dates — no names, no
    language, no one who recorded it."""

    id = ma.fields.UUID(required=True)
    kind = enum(ConsentKind, required=True)
    partner_org_id = ma.fields.String(allow_none=True, required=True)
    topic_areas = enum_list(TopicArea, required=True)
    valid_from = ma.fields.Date(required=True)
    valid_until = ma.fields.Date(allow_none=True, required=True)
    withdrawn = ma.fields.Boolean(required=True)
    withdrawn_on = ma.fields.Date(allow_none=True, required=True)


class CurrentConsentsSchema(ma.Schema):
    """The answer to casework's consent check at the moment of sharing (ADR 0053)."""

    intake_id = ma.fields.UUID(required=True)
    as_of = ma.fields.DateTime(required=True, metadata={
        "description": "when intake read the consents (after every withdrawal answered before)"})
    consents = ma.fields.List(ma.fields.Nested(CurrentConsentSchema), required=True)
    unknown = ma.fields.List(ma.fields.UUID(), required=True, metadata={
        "description": "asked ids that are no consent of this intake (an intake the tenant does "
                       "not have: every id); the caller treats them as not given"})


# -- admission -----------------------------------------------------------------------------------
class CreateAdmissionSchema(ma.Schema):
    case_manager_id = an_id("responsible case manager (user id); defaults to the caller",
                            allow_none=True, load_default=None)
    case_manager_org_id = an_id("her employer organisation; defaults to the caller's",
                                allow_none=True, load_default=None)
    admitted_on = ma.fields.Date(allow_none=True, load_default=None)
    target_group_ids = ma.fields.List(Line(validate=ID), allow_none=True,
                                      load_default=None, metadata={
                                          "description": "defaults to the screening's confirmed "
                                                         "groups still valid"})
    justification = Text(validate=TEXT, allow_none=True, load_default=None,
                         metadata={"description": "required when the person falls into no "
                                                  "valid target group"})


class AdmissionSchema(ma.Schema):
    case_manager_id = ma.fields.String()
    case_manager_org_id = ma.fields.String()
    admitted_on = ma.fields.Date()
    admitted_by = ma.fields.String()
    target_group_ids = ma.fields.List(ma.fields.String())
    outside_target_groups = ma.fields.Boolean()
    justification = ma.fields.String(allow_none=True)


class CaseloadWarningSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "caseload_above_guideline"})
    message = ma.fields.String(required=True)
    message_de = ma.fields.String(required=True)


class CaseloadSchema(ma.Schema):
    """The responsible case manager's caseload with this case, as casework counts it."""

    case_manager_id = ma.fields.String(required=True)
    fte = ma.fields.Float(required=True, allow_none=True)
    open_cases = ma.fields.Integer(required=True, metadata={
        "description": "open cases and admissions waiting for their handover, this one included"})
    norm_low = ma.fields.Integer(required=True, allow_none=True)
    norm_high = ma.fields.Integer(required=True, allow_none=True)
    above_guideline = ma.fields.Boolean(required=True)
    warning = ma.fields.Nested(CaseloadWarningSchema, required=True, allow_none=True)


class AdmittedSchema(AdmissionSchema):
    """The admission, and the case manager's caseload after it with a warning above the
    guideline (the coordinating office decides; nothing is refused for it)."""

    caseload = ma.fields.Nested(CaseloadSchema, required=True, allow_none=True, metadata={
        "description": "null when casework could not say in time"})

    @ma.pre_dump
    def _flatten(self, admitted, **_):
        return {**vars(admitted.admission), "caseload": admitted.caseload}


# -- the intake ----------------------------------------------------------------------------------
class IntakeSchema(ma.Schema):
    id = ma.fields.UUID()
    area_id = ma.fields.String()
    operator_org_id = ma.fields.String(metadata={"description": "the provider running this "
                                                                "instance; empty: the county"})
    status = enum(IntakeStatus)
    access_path = enum(AccessPath)
    referring_org_id = ma.fields.String(allow_none=True)
    contact_date = ma.fields.Date()
    note = ma.fields.String(allow_none=True)
    recorded_by = ma.fields.String()
    recorded_at = ma.fields.AwareDateTime()
    responsible_id = ma.fields.String()
    person = ma.fields.Nested(PersonSchema)
    screening = ma.fields.Nested(ScreeningSchema, allow_none=True)
    decisions = ma.fields.List(ma.fields.Nested(DecisionSchema),
                               metadata={"description": "every decision and revision, oldest first"})
    consents = ma.fields.List(ma.fields.Nested(ConsentSchema))
    admission = ma.fields.Nested(AdmissionSchema, allow_none=True)
    other_services = ma.fields.List(ma.fields.Nested(OtherServiceSchema))


class IntakeSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    area_id = ma.fields.String()
    status = enum(IntakeStatus)
    access_path = enum(AccessPath)
    contact_date = ma.fields.Date()
    responsible_id = ma.fields.String()
    person = ma.fields.Nested(PersonNameSchema)
    current_depth = enum(CounsellingDepth, allow_none=True)

    @ma.pre_dump
    def with_current_depth(self, intake, **_):
        decision = intake.current_decision
        return {"id": intake.id, "area_id": intake.area_id, "status": intake.status,
                "access_path": intake.access_path, "contact_date": intake.contact_date,
                "responsible_id": intake.responsible_id, "person": intake.person,
                "current_depth": decision.depth if decision else None}


class ExpiringConsentSchema(ma.Schema):
    consent = ma.fields.Nested(ConsentSchema)
    intake = ma.fields.Nested(IntakeSummarySchema)


class ExpiringQuerySchema(ma.Schema):
    within_days = ma.fields.Integer(validate=ma.validate.Range(min=1, max=365),
                                    metadata={"description": "default 30"})
