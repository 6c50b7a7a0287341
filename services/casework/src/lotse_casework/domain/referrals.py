"""The referrals of a case as the network service reports them (issue 11: "the case file in
casework shows its referrals and their state" — in linking the case manager keeps case
responsibility and must know whether the client arrived, DOMAIN.md §5).

Network owns the referral; casework keeps a copy of its state from network's events
(``network.referral.*.v1``): ids, partner, mode, topic area, the state and the days it changed —
no reason, shared content or feedback (those stay in network). A referral's states only move
forward (sent → accepted | declined → arrived | not arrived → completed; cancelled from any open
one), so an event that arrives late — a lower rank than what is kept — changes nothing, and a
redelivered one neither.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

#: the order of a referral's states; a terminal state ranks above what can follow it
RANKS = {"sent": 1, "accepted": 2, "declined": 6, "arrived": 3, "not_arrived": 6,
         "completed": 6, "cancelled": 6}


@dataclass
class CaseReferral:
    referral_id: str
    case_id: uuid.UUID
    partner_org_id: str
    mode: str
    topic_area: str
    status: str
    sent_on: date | None = None
    status_on: date | None = None
    arrived_on: date | None = None
    tenant_id: uuid.UUID | None = None

    def advance(self, status: str, on: date | None) -> bool:
        """Move to ``status`` when it follows what is kept; whether it did."""
        if RANKS[status] <= RANKS[self.status]:
            return False
        self.status, self.status_on = status, on
        if status == "arrived":
            self.arrived_on = on
        return True
