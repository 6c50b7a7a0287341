"""In-memory stand-ins of the network's adapters, for fast service-layer tests, and intake's
consent check as a test says it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from lotse_platform.testing import FakeUnitOfWork

from lotse_network.domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep


class FakeNetworkUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None, principal=None) -> None:
        super().__init__(tenant_id, source="/lotse/network", principal=principal)
        self.records: list[object] = []

    def add(self, *records: object) -> None:
        self.records.extend(records)

    def today(self) -> date:
        from lotse_platform import clock

        return clock.today(self.tenant_id)

    # -- referrals ------------------------------------------------------------------------------
    def _referrals(self) -> list[Referral]:
        return [r for r in self.records if isinstance(r, Referral)]

    def referral(self, referral_id, *, lock=False):
        return next((r for r in self._referrals() if r.id == referral_id), None)

    def referral_steps(self, referral_id):
        return [s for s in self.records if isinstance(s, ReferralStep)
                and s.referral_id == referral_id]

    def referrals_of(self, case_manager_id):
        return [r for r in self._referrals() if r.case_manager_id == case_manager_id]

    def referrals_to(self, partner_org_id):
        return [r for r in self._referrals() if r.partner_org_id == partner_org_id]

    def all_referrals(self):
        return self._referrals()

    def referrals_of_intake(self, intake_id, partner_org_id, *, lock=False):
        return [r for r in self._referrals()
                if r.intake_id == intake_id and r.partner_org_id == partner_org_id]

    def consents_of(self, intake_id):
        return [c for c in self.records if isinstance(c, ConsentCopy) and c.intake_id == intake_id]

    def case_copy(self, case_id):
        return next((c for c in self.records if isinstance(c, CaseCopy) and c.case_id == case_id),
                    None)

    def referrals_of_case(self, case_id):
        return [r for r in self._referrals() if r.case_id == case_id]

    def consent(self, consent_id):
        return next((c for c in self.records if isinstance(c, ConsentCopy)
                     and c.consent_id == consent_id), None)


class IntakeAsTestSays:
    """Intake's answer to the consent check (ADR 0053) as the test sets it: ``consents`` by id;
    an id not there is unknown to intake. Each call is kept in ``calls``."""

    def __init__(self) -> None:
        self.consents: dict[str, ConsentCopy] = {}
        self.calls: list[tuple[str, str, list[str]]] = []

    def give(self, consent: ConsentCopy) -> None:
        self.consents[consent.consent_id] = consent

    def withdraw(self, consent_id: str, on: date) -> None:
        self.consents[consent_id] = replace(self.consents[consent_id], withdrawn_on=on)

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids: Sequence[str]) -> dict[str, ConsentCopy]:
        self.calls.append((operator_org_id, intake_id, list(consent_ids)))
        return {i: self.consents[i] for i in consent_ids
                if i in self.consents and self.consents[i].intake_id == intake_id}

    def close(self) -> None:
        """Holds no connection."""
