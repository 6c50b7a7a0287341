"""The network service's unit of work on SQLAlchemy: the platform's (transaction, outbox, audit,
directory replica) plus what the handlers ask for
(:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork`)."""

from __future__ import annotations

import uuid

from lotse_platform.uow import SqlAlchemyUnitOfWork

from ..domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep

# -- the directory (ADR 0083): its store, a mixin ----------------------------------------------------
from .directory import DirectoryStore

# -- end of the directory ----------------------------------------------------------------------------


class SqlAlchemyNetworkUnitOfWork(DirectoryStore, SqlAlchemyUnitOfWork):
    def __enter__(self) -> SqlAlchemyNetworkUnitOfWork:
        super().__enter__()
        return self

    def add(self, *records: object) -> None:
        self.session.add_all(records)

    # -- referrals (ADR 0084) -------------------------------------------------------------------
    def referral(self, referral_id: uuid.UUID, *, lock: bool = False) -> Referral | None:
        query = self.session.query(Referral).filter_by(id=referral_id)
        if lock:
            query = query.with_for_update()
        return query.one_or_none()

    def referral_steps(self, referral_id: uuid.UUID) -> list[ReferralStep]:
        return (self.session.query(ReferralStep)
                .filter(ReferralStep.referral_id == referral_id)
                .order_by(ReferralStep.at).all())

    def referrals_of(self, case_manager_id: str) -> list[Referral]:
        return (self.session.query(Referral)
                .filter(Referral.case_manager_id == case_manager_id)
                .order_by(Referral.created_at).all())

    def referrals_to(self, partner_org_id: str) -> list[Referral]:
        return (self.session.query(Referral)
                .filter(Referral.partner_org_id == partner_org_id)
                .order_by(Referral.created_at).all())

    def all_referrals(self) -> list[Referral]:
        return self.session.query(Referral).order_by(Referral.created_at).all()

    def referrals_of_intake(self, intake_id: str, partner_org_id: str, *,
                            lock: bool = False) -> list[Referral]:
        query = (self.session.query(Referral)
                 .filter(Referral.intake_id == intake_id,
                         Referral.partner_org_id == partner_org_id)
                 .order_by(Referral.created_at))
        if lock:
            query = query.with_for_update()
        return query.all()

    def consents_of(self, intake_id: str) -> list[ConsentCopy]:
        return (self.session.query(ConsentCopy)
                .filter(ConsentCopy.intake_id == intake_id).all())

    def consent(self, consent_id: str) -> ConsentCopy | None:
        return self.session.get(ConsentCopy, consent_id)

    def case_copy(self, case_id: uuid.UUID) -> CaseCopy | None:
        return self.session.get(CaseCopy, case_id)

    def referrals_of_case(self, case_id: uuid.UUID) -> list[Referral]:
        return (self.session.query(Referral).filter(Referral.case_id == case_id)
                .order_by(Referral.created_at).all())
    # -- end of referrals -----------------------------------------------------------------------
