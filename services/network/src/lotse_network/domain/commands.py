"""One frozen dataclass per write of the network's API: the request's data and the ids it acts
on; the actor is the unit of work's principal. (Added with the directory, the referrals, the
agreements and the meetings.)"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

# -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) ------------------


@dataclass(frozen=True)
class RecordAgreement:
    title: str
    party_org_ids: list[str]
    other_parties: list[str] = field(default_factory=list)
    target_group_ids: list[str] = field(default_factory=list)
    topic_areas: list[str] = field(default_factory=list)
    area_ids: list[str] = field(default_factory=list)
    cases_taken: str = ""
    data_handling: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    status: str = "initiated"
    basis: str | None = None
    signed_on: date | None = None
    document_ref: str | None = None


@dataclass(frozen=True)
class ChangeAgreement:
    """The fields given change; the others stay (``changes`` holds only those given)."""

    agreement_id: uuid.UUID
    changes: dict[str, object]


@dataclass(frozen=True)
class AttachAgreementCopy:
    """Attach the scan of the signed agreement (PDF, JPEG or PNG), sealed (ADR 0082)."""

    agreement_id: uuid.UUID
    form: str
    content: bytes = field(repr=False)
    content_type: str | None
    uploaded_by: str
    copy_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class SetUpBody:
    name: str
    kind: str
    member_org_ids: list[str]
    area_id: str | None = None
    rhythm: str = "none"
    weekday: int | None = None
    nth: int | None = None
    starts_at: time | None = None


@dataclass(frozen=True)
class ContributionGiven:
    org_id: str
    target_group: str = ""
    offers: str = ""
    agreements: str = ""


@dataclass(frozen=True)
class FollowUpGiven:
    what: str
    owner_org_id: str
    due_on: date | None = None


@dataclass(frozen=True)
class RecordMeeting:
    body_id: uuid.UUID
    held_on: date
    participant_org_ids: list[str]
    contributions: list[ContributionGiven] = field(default_factory=list)
    minutes: str = ""
    follow_ups: list[FollowUpGiven] = field(default_factory=list)


@dataclass(frozen=True)
class CompleteFollowUp:
    meeting_id: uuid.UUID
    follow_up_id: uuid.UUID


@dataclass(frozen=True)
class WriteArticle:
    title: str
    body: str
    topic_areas: list[str] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviseArticle:
    article_id: uuid.UUID
    title: str
    body: str
    topic_areas: list[str] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)
