"""One frozen dataclass per write of reporting's API: the request's data and the ids it acts on;
the actor is the unit of work's principal. Reporting's figures are reads; its writes are the
coordinating office's own administrative figures (posts, funding, forwarding contracts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


# -- the coordinating office's administration ------------------------------------------------------
@dataclass(frozen=True)
class SavePost:
    building_block: str
    function: str
    employer_org_id: str
    fte: Decimal
    filled_fte: Decimal
    valid_from: date
    area_id: str | None = None
    valid_until: date | None = None
    label: str = ""
    post_id: uuid.UUID | None = None  # None: a new post


@dataclass(frozen=True)
class SaveFundingYear:
    year: int
    applied_on: date | None = None
    requested: Decimal | None = None
    notice_on: date | None = None
    granted: Decimal | None = None
    granted_fte: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordFundCall:
    year: int
    half: int
    due_on: date
    amount: Decimal | None = None
    called_on: date | None = None
    received_on: date | None = None


@dataclass(frozen=True)
class SaveForwardingContract:
    year: int
    recipient_org_id: str
    building_block: str
    fte: Decimal
    amount: Decimal
    signed_on: date | None = None
    transfers: dict[int, date] = field(default_factory=dict)
    contract_id: uuid.UUID | None = None  # None: a new contract
