"""Cooperation agreements (*Kooperationsvereinbarungen*) between the county or a municipality
and its partners (issue 11; seeds 001 L140, L286, L343; 004 L124–126, L130).

An agreement names its parties (organisations of identity's directory, plus partners without
Lotse users by name), its scope (target groups, topic areas, municipalities), who takes which
cases, how data is handled, its validity and its status. It holds organisational data only —
no client is ever named here. Mettmann's steering group decided on 2023-05-10 to initiate
agreements between the immigration office and the counselling services and between the BAMF
and the counselling services (004 L124–L130): an agreement with the status ``initiated`` and
that decision as its ``basis``.

An agreement whose ``valid_until`` lies before the tenant's day is ``expired``
(:meth:`Agreement.expired`, the day from ``uow.today()``); a referral to a partner finds the
agreement that covers it with :meth:`Agreement.covers`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from lotse_platform.errors import Unprocessable

from .vocabulary import TOPIC_AREAS

#: initiated (decided, e.g. by the steering group) → negotiating → signed → terminated
AGREEMENT_STATUSES = ("initiated", "negotiating", "signed", "terminated")

AGREEMENT_STATUS_LABELS = {"initiated": "initiiert", "negotiating": "in Abstimmung",
                           "signed": "unterzeichnet", "terminated": "beendet"}


class InvalidAgreement(Unprocessable):
    """422 naming the field of an agreement that cannot be."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, errors=[{"field": field_name, "message": message}])


@dataclass
class Agreement:
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
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """The rules of an agreement's own fields (422 naming the field)."""
        if not self.title.strip():
            raise InvalidAgreement("title", "an agreement needs a title")
        if len(set(self.party_org_ids)) + len(set(self.other_parties)) < 2:
            raise InvalidAgreement("party_org_ids", "an agreement has at least two parties "
                                   "(organisations, or partners named in other_parties)")
        unknown = [t for t in self.topic_areas if t not in TOPIC_AREAS]
        if unknown:
            raise InvalidAgreement("topic_areas", f"unknown topic areas: {', '.join(unknown)}")
        if self.status not in AGREEMENT_STATUSES:
            raise InvalidAgreement("status", f"one of {', '.join(AGREEMENT_STATUSES)}")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise InvalidAgreement("valid_until", "an agreement cannot end before it begins")
        if self.status == "signed" and self.signed_on is None:
            raise InvalidAgreement("signed_on", "a signed agreement says when it was signed")

    def expired(self, today: date) -> bool:
        """Its validity ended before ``today`` (the tenant's day)."""
        return self.valid_until is not None and self.valid_until < today

    def in_force(self, on: date) -> bool:
        """Signed and valid on the day ``on``."""
        return (self.status == "signed" and (self.valid_from is None or self.valid_from <= on)
                and not self.expired(on))

    def covers(self, *, partner_org_id: str | None = None, topic_area: str | None = None,
               area_id: str | None = None, valid_on: date | None = None) -> bool:
        """Whether a referral to ``partner_org_id`` on ``topic_area`` in ``area_id`` falls
        under this agreement (on the day ``valid_on``): an agreement without topic areas covers
        every topic, one without municipalities the whole county. ``None``: not asked."""
        if partner_org_id is not None and partner_org_id not in self.party_org_ids:
            return False
        if topic_area is not None and self.topic_areas and topic_area not in self.topic_areas:
            return False
        if area_id is not None and self.area_ids and area_id not in self.area_ids:
            return False
        return valid_on is None or self.in_force(valid_on)


class AgreementForm(StrEnum):
    """Which signed document a copy attached to an agreement is (ADR 0082, 0085)."""

    SIGNED_AGREEMENT = "signed_agreement"


AGREEMENT_FORM_LABELS: dict[AgreementForm, str] = {
    AgreementForm.SIGNED_AGREEMENT: "Kooperationsvereinbarung (unterzeichnet)",
}
