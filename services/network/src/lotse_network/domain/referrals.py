"""Referrals (*Vermittlungen*) with their whole lifecycle (issue 11, DOMAIN.md §5 linking, §6,
ADR 0084).

A case manager refers a case (casework) or an intake (intake's decision "referral counselling")
to a partner organisation: a mode (*Verweisberatung*, *warme Übergabe*, *Tandem*), one topic
area, a reason, an urgency and what is shared — a list of data categories, each with what the
case manager writes for the partner. The case manager keeps case responsibility and must know
whether the client arrived and how the help stands (DOMAIN.md §5).

Consent: the person's release of confidentiality (*Schweigepflichtentbindung*) for that partner
organisation and that topic area must be valid when the referral is made and sent, and each
data category shared needs a release covering its topic area (:func:`releases_for`,
:func:`missing_releases`). The service layer confirms the releases with intake at that moment
(ADR 0053); what the partner reads is confirmed again at every read.

The lifecycle (:data:`TRANSITIONS`), each step recorded with who and when
(:class:`ReferralStep`); every state has exactly one HL7 FHIR Task status of the SDOH Clinical
Care referral-management profile (:data:`FHIR_STATUS`, ADR 0084)::

    proposed → sent → accepted | declined
    accepted → appointment | arrived | not_arrived
    appointment → appointment (moved) | arrived | not_arrived
    arrived → completed            (feedback: repeatable while arrived)
    proposed | sent | accepted | appointment | arrived → cancelled
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from datetime import date, datetime, timedelta

from lotse_platform.clock import now
from lotse_platform.errors import Conflict, Forbidden, NotFound, ProblemError, Unprocessable

from .vocabulary import TOPIC_AREAS

# -- vocabulary -----------------------------------------------------------------------------------
MODES = ("referral_counselling", "warm_handover", "tandem")
URGENCIES = ("normal", "urgent")
SOURCES = ("case", "intake")

STATES = ("proposed", "sent", "accepted", "declined", "appointment", "arrived", "not_arrived",
          "completed", "cancelled")
OPEN_STATES = ("proposed", "sent", "accepted", "appointment", "arrived")
#: the states the partner has the referral in (sent to her organisation)
WITH_PARTNER = ("sent", "accepted", "appointment", "arrived")

#: state → the states a step may lead to; ``feedback`` and ``exchange`` are entries, not states
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("sent", "cancelled"),
    "sent": ("accepted", "declined", "cancelled"),
    "accepted": ("appointment", "arrived", "not_arrived", "cancelled"),
    "appointment": ("appointment", "arrived", "not_arrived", "cancelled"),
    "arrived": ("completed", "cancelled"),
    "declined": (),
    "not_arrived": (),
    "completed": (),
    "cancelled": (),
}

#: each state's HL7 FHIR Task.status (http://hl7.org/fhir/task-status) as the SDOH Clinical
#: Care profile SDOHCC-TaskForReferralManagement uses it (value set
#: SDOHCC-ValueSetReferralTaskStatus: every TaskStatus code but ``ready`` and ``received``);
#: one-to-one, ``entered-in-error`` unused (ADR 0084)
FHIR_STATUS: dict[str, str] = {
    "proposed": "draft",
    "sent": "requested",
    "accepted": "accepted",
    "declined": "rejected",
    "appointment": "on-hold",
    "arrived": "in-progress",
    "not_arrived": "failed",
    "completed": "completed",
    "cancelled": "cancelled",
}

#: the steps a referral takes: a state it moves to, or an entry
STEPS = ("sent", "accepted", "declined", "appointment", "arrived", "not_arrived", "feedback",
         "exchange", "completed", "cancelled")
#: what the receiving organisation's staff may record (the case manager may record them too:
#: the answer of a partner without Lotse users)
PARTNER_STEPS = ("accepted", "declined", "appointment", "arrived", "not_arrived", "feedback",
                 "exchange")
#: steps that carry a text (required)
TEXT_STEPS = ("declined", "feedback", "exchange")

#: data categories a referral may share, each with the topic area whose release covers it;
#: ``person`` (who the person is: name, date of birth — so that the partner knows whom it is
#: expecting) and ``contact`` (how to reach the person) go with any release the referral rests on
DATA_CATEGORIES: dict[str, str | None] = {
    "person": None,
    "contact": None,
    "languages": "language",
    "residence_status": "residence",
    "education": "education",
    "work_training": "work_training",
    "housing": "housing",
    "health": "health",
    "livelihood": "livelihood",
    "family": "family_childcare",
    "debts": "debts",
    "social_environment": "social_environment",
}

LABELS: dict[str, str] = {
    "referral_counselling": "Verweisberatung", "warm_handover": "warme Übergabe",
    "tandem": "Tandem", "normal": "normal", "urgent": "dringend",
    "proposed": "vorgeschlagen", "sent": "gesendet", "accepted": "angenommen",
    "declined": "abgelehnt", "appointment": "Termin vereinbart", "arrived": "angekommen",
    "not_arrived": "nicht angekommen", "completed": "abgeschlossen", "cancelled": "storniert",
    "feedback": "Rückmeldung", "exchange": "Austausch im Tandem",
    "person": "Angaben zur Person (Name, Geburtsdatum)", "contact": "Kontaktdaten", "languages": "Sprachen", "residence_status": "Aufenthaltsstatus",
    "education": "Bildung", "work_training": "Arbeit / Ausbildung", "housing": "Wohnen",
    "health": "Gesundheit", "livelihood": "Existenzsicherung", "family": "Familie",
    "debts": "Schulden", "social_environment": "soziales Umfeld",
}


def label(code: str) -> str:
    return LABELS.get(code, code)


# -- refusals -------------------------------------------------------------------------------------
class ReferralError(ProblemError):
    """Base of the referrals' refusals."""


class ReferralRefused(ReferralError, Conflict):
    """The step conflicts with the referral's state (409)."""

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail, extensions=extensions)


class IllegalTransition(ReferralRefused):
    """A step the lifecycle does not allow from the current state; ``allowed`` lists those it
    does (409)."""

    def __init__(self, current: str, step: str, allowed: list[str]) -> None:
        listed = ", ".join(allowed) if allowed else "none"
        super().__init__(f"a referral in state {current} cannot take the step {step}; "
                         f"allowed: {listed}", current=current, allowed=allowed)
        self.allowed = allowed


class MissingRelease(ReferralRefused):
    """No valid release of confidentiality for the partner and topic area (409); ``missing``
    names each: ``{"partner_org_id": …, "partner_name": … (None while unknown), "topic_area": …}``
    and the detail names the partner as the case manager knows it."""

    def __init__(self, missing: Sequence[tuple[str, str]],
                 names: Mapping[str, str] | None = None) -> None:
        names = names or {}
        named = "; ".join(f"{names.get(p) or 'partner ' + p}, topic area {t}"
                          for p, t in missing)
        super().__init__(f"no valid release of confidentiality (Schweigepflichtentbindung) "
                         f"for: {named}",
                         missing=[{"partner_org_id": p, "partner_name": names.get(p),
                                   "topic_area": t} for p, t in missing])
        self.missing = list(missing)


class ReferralIncomplete(ReferralError, Unprocessable):
    """The request lacks what a referral or a step requires (422, naming each field)."""

    def __init__(self, detail: str, fields: dict[str, str]) -> None:
        super().__init__(detail, errors=[{"field": f, "message": m} for f, m in fields.items()])


class ReferralNotVisible(ReferralError, NotFound):
    """The caller may not see this referral: answered as if it did not exist (404)."""


class StepNotYours(ReferralError, Forbidden):
    """The caller's side may not record this step (403)."""


# -- consents -------------------------------------------------------------------------------------
@dataclass
class ConsentCopy:
    """What network keeps of one consent from intake's events (``intake.consent.given.v1`` /
    ``.withdrawn.v1``): ids, kinds, partner, topic areas and dates — never a name."""

    consent_id: str
    intake_id: str
    operator_org_id: str
    kind: str
    partner_org_id: str = ""
    topic_areas: list[str] = field(default_factory=list)
    valid_from: date | None = None
    valid_until: date | None = None
    withdrawn_on: date | None = None
    tenant_id: uuid.UUID | None = None

    def is_release(self) -> bool:
        return self.kind == "release_of_confidentiality"

    def valid_on(self, day: date) -> bool:
        return (self.withdrawn_on is None
                and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))

    def covers(self, partner_org_id: str, topic_area: str, day: date) -> bool:
        return (self.is_release() and self.partner_org_id == partner_org_id
                and topic_area in self.topic_areas and self.valid_on(day))


def topics_needed(topic_area: str, categories: Iterable[str]) -> list[str]:
    """The topic areas a referral's releases must cover: its own, and each shared category's."""
    needed = [topic_area]
    for category in categories:
        topic = DATA_CATEGORIES.get(category)
        if topic and topic not in needed:
            needed.append(topic)
    return needed


def releases_for(consents: Iterable[ConsentCopy], partner_org_id: str,
                 topics: Iterable[str], day: date) -> list[ConsentCopy]:
    """The releases valid on ``day`` for the partner that cover any of ``topics``."""
    wanted = set(topics)
    return [c for c in consents if c.is_release() and c.partner_org_id == partner_org_id
            and c.valid_on(day) and wanted.intersection(c.topic_areas)]


def missing_releases(consents: Iterable[ConsentCopy], partner_org_id: str,
                     topics: Iterable[str], day: date) -> list[tuple[str, str]]:
    """(partner, topic area) for each topic no release valid on ``day`` covers."""
    consents = list(consents)
    return [(partner_org_id, t) for t in topics
            if not any(c.covers(partner_org_id, t, day) for c in consents)]


def released_categories(shared: Iterable[dict[str, Any]], consents: Iterable[ConsentCopy],
                        partner_org_id: str, topic_area: str, day: date) -> list[dict[str, Any]]:
    """What the partner may see of what was shared, under ``consents`` as confirmed now: the
    categories whose topic area a valid release covers, and ``contact`` while the referral's own
    topic area is covered; nothing without that."""
    consents = list(consents)
    if not any(c.covers(partner_org_id, topic_area, day) for c in consents):
        return []
    visible = []
    for item in shared:
        topic = DATA_CATEGORIES.get(item["category"])
        if topic is None or any(c.covers(partner_org_id, topic, day) for c in consents):
            visible.append(item)
    return visible


@dataclass
class CaseCopy:
    """What network keeps of a casework case from casework's events (``casework.case.opened.v1``,
    ``.transferred.v1``): the intake whose consents it rests on and its case manager — ids only.
    A referral from a case is made by its case manager, for its intake."""

    case_id: uuid.UUID
    intake_id: str
    operator_org_id: str
    case_manager_id: str
    tenant_id: uuid.UUID | None = None


# -- the referral ---------------------------------------------------------------------------------
@dataclass
class ReferralStep:
    """One step of a referral: the state it led to (or an entry: feedback, exchange), who took
    it, of which organisation, on which day and when, and its text where it has one."""

    referral_id: uuid.UUID
    step: str
    by: str
    by_org: str
    on: date
    text: str | None = None
    appointment_on: date | None = None
    at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None


@dataclass
class Referral:
    intake_id: str
    operator_org_id: str
    case_manager_id: str
    case_manager_org_id: str
    partner_org_id: str
    mode: str
    topic_area: str
    reason: str
    urgency: str
    created_on: date
    case_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    shared: list[dict[str, Any]] = field(default_factory=list)  # [{"category", "content"}]
    consent_ids: list[str] = field(default_factory=list)
    status: str = "proposed"
    status_on: date | None = None
    sent_on: date | None = None
    arrived_on: date | None = None
    last_feedback_on: date | None = None
    appointment_on: date | None = None
    closed_on: date | None = None
    shared_hidden_on: date | None = None
    created_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def source(self) -> str:
        return "case" if self.case_id is not None else "intake"

    @property
    def fhir_status(self) -> str:
        return FHIR_STATUS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def categories(self) -> list[str]:
        return [item["category"] for item in self.shared]

    @classmethod
    def propose(cls, *, by: str, by_org: str, today: date, intake_id: str,
                operator_org_id: str, partner_org_id: str, mode: str, topic_area: str,
                reason: str, urgency: str, shared: list[dict[str, Any]],
                case_id: uuid.UUID | None = None,
                service_id: uuid.UUID | None = None) -> Referral:
        problems: dict[str, str] = {}
        if mode not in MODES:
            problems["mode"] = f"one of {', '.join(MODES)}"
        if topic_area not in TOPIC_AREAS:
            problems["topic_area"] = f"one of {', '.join(TOPIC_AREAS)}"
        if urgency not in URGENCIES:
            problems["urgency"] = f"one of {', '.join(URGENCIES)}"
        if not (reason or "").strip():
            problems["reason"] = "missing"
        seen: set[str] = set()
        for index, item in enumerate(shared):
            category = item.get("category")
            if category not in DATA_CATEGORIES:
                problems[f"shared.{index}.category"] = \
                    f"one of {', '.join(DATA_CATEGORIES)}"
            elif category in seen:
                problems[f"shared.{index}.category"] = "shared twice"
            seen.add(str(category))
            if not str(item.get("content") or "").strip():
                problems[f"shared.{index}.content"] = "missing"
        if by_org == partner_org_id:
            problems["partner_org_id"] = "a referral goes to another organisation"
        if problems:
            raise ReferralIncomplete("the referral cannot be made: " + ", ".join(problems),
                                     problems)
        return cls(intake_id=intake_id, operator_org_id=operator_org_id, case_manager_id=by,
                   case_manager_org_id=by_org, partner_org_id=partner_org_id, mode=mode,
                   topic_area=topic_area, reason=reason.strip(), urgency=urgency,
                   created_on=today, status_on=today, case_id=case_id, service_id=service_id,
                   shared=[{"category": i["category"], "content": str(i["content"]).strip()}
                           for i in shared])

    def allowed_steps(self) -> list[str]:
        steps = list(TRANSITIONS[self.status])
        if self.status == "arrived":
            steps.append("feedback")
        if self.mode == "tandem" and self.status in ("accepted", "appointment", "arrived"):
            steps.append("exchange")
        return steps

    def take(self, step: str, *, by: str, by_org: str, today: date, text: str | None = None,
             appointment_on: date | None = None) -> ReferralStep:
        """Take ``step`` (a state or an entry); illegal from the current state: 409 listing the
        allowed ones. A decline, feedback and exchange need a text; an appointment its day."""
        if step not in STEPS:
            raise ReferralIncomplete("no such step", {"step": f"one of {', '.join(STEPS)}"})
        allowed = self.allowed_steps()
        if step not in allowed:
            raise IllegalTransition(self.status, step, allowed)
        problems: dict[str, str] = {}
        if step in TEXT_STEPS and not (text or "").strip():
            problems["text"] = f"a {step} step states it"
        if step == "appointment":
            if appointment_on is None:
                problems["appointment_on"] = "the day of the appointment (for a warm handover: " \
                                             "the joint meeting)"
            elif appointment_on < today:
                problems["appointment_on"] = "today or later"
        if problems:
            raise ReferralIncomplete(f"the step {step} is incomplete: " + ", ".join(problems),
                                     problems)
        if step in STATES:
            self.status = step
            self.status_on = today
        if step == "sent":
            self.sent_on = today
        elif step == "arrived":
            self.arrived_on = today
        elif step == "feedback":
            self.last_feedback_on = today
        elif step == "appointment":
            self.appointment_on = appointment_on
        if step in ("declined", "not_arrived", "completed", "cancelled"):
            self.closed_on = today
        return ReferralStep(referral_id=self.id, step=step, by=by, by_org=by_org, on=today,
                            text=(text or "").strip() or None,
                            appointment_on=appointment_on if step == "appointment" else None)

    def hide_shared(self, today: date) -> None:
        """The release was withdrawn: what was shared is no longer the partner's to read; its
        content is erased here too (the categories stay, as codes)."""
        self.shared = [{"category": i["category"], "content": ""} for i in self.shared]
        self.shared_hidden_on = today

    # the case manager's lists ------------------------------------------------------------------
    def waiting_for_answer(self) -> bool:
        return self.status == "sent"

    def without_arrival(self, today: date, days: int) -> bool:
        return (self.status in ("accepted", "appointment") and self.sent_on is not None
                and self.sent_on <= today - timedelta(days=days))

    def feedback_due(self, today: date, days: int) -> bool:
        last = self.last_feedback_on or self.arrived_on
        return (self.status == "arrived" and last is not None
                and last <= today - timedelta(days=days))


LISTS = ("waiting", "without_arrival", "feedback_due")


def on_list(referral: Referral, name: str, today: date, days: int) -> bool:
    if name == "waiting":
        return referral.waiting_for_answer()
    if name == "without_arrival":
        return referral.without_arrival(today, days)
    return referral.feedback_due(today, days)
