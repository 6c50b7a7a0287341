"""In-memory stand-ins of the network's adapters, for fast service-layer tests, and intake's
consent check as a test says it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from lotse_platform.testing import FakeUnitOfWork

from lotse_network.domain.agreements import Agreement
from lotse_network.domain.bodies import Body, Meeting
from lotse_network.domain.knowledge import Article, ArticleVersion
from lotse_network.domain.referrals import CaseCopy, ConsentCopy, Referral, ReferralStep


class FakeNetworkUnitOfWork(FakeUnitOfWork):
    """:class:`~lotse_network.service_layer.unit_of_work.NetworkUnitOfWork` in memory."""

    def __init__(self, tenant_id: uuid.UUID | None = None, principal=None) -> None:
        super().__init__(tenant_id, source="/lotse/network", principal=principal)
        self.records: list[object] = []
        # -- agreements, bodies, knowledge (ADR 0085): count once committed (changes to a
        # record read are kept at once)
        self.cooperation: dict[type, dict[object, object]] = {}
        self._added: list[tuple[type, object, object]] = []

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


    # -- cooperation agreements, bodies and meetings, knowledge base (ADR 0085) --------------
    def _table(self, kind: type) -> dict[object, object]:
        return {**self.cooperation.get(kind, {}),
                **{key: row for k, key, row in self._added if k is kind}}

    def _add(self, kind: type, key: object, row: object) -> None:
        self._added.append((kind, key, row))

    def commit(self) -> None:
        for kind, key, row in self._added:
            self.cooperation.setdefault(kind, {})[key] = row
        self._added = []
        super().commit()

    def rollback(self) -> None:
        self._added = []
        super().rollback()

    def add_agreement(self, agreement: Agreement) -> None:
        self._add(Agreement, agreement.id, agreement)

    def get_agreement(self, agreement_id: uuid.UUID) -> Agreement | None:
        return self._table(Agreement).get(agreement_id)  # type: ignore[return-value]

    def list_agreements(self) -> list[Agreement]:
        return sorted(self._table(Agreement).values(), key=lambda a: a.title)  # type: ignore

    def add_body(self, body: Body) -> None:
        self._add(Body, body.id, body)

    def get_body(self, body_id: uuid.UUID) -> Body | None:
        return self._table(Body).get(body_id)  # type: ignore[return-value]

    def list_bodies(self, area_id: str | None = None) -> list[Body]:
        return [b for b in self._table(Body).values()  # type: ignore[misc]
                if area_id is None or b.area_id == area_id]  # type: ignore[attr-defined]

    def add_meeting(self, meeting: Meeting) -> None:
        self._add(Meeting, meeting.id, meeting)

    def get_meeting(self, meeting_id: uuid.UUID) -> Meeting | None:
        return self._table(Meeting).get(meeting_id)  # type: ignore[return-value]

    def list_meetings(self, body_id: uuid.UUID) -> list[Meeting]:
        return sorted((m for m in self._table(Meeting).values()  # type: ignore[misc]
                       if m.body_id == body_id), key=lambda m: m.held_on, reverse=True)

    def add_article(self, article: Article) -> None:
        self._add(Article, article.id, article)

    def get_article(self, article_id: uuid.UUID) -> Article | None:
        return self._table(Article).get(article_id)  # type: ignore[return-value]

    def search_articles(self, text, topic_area, limit, offset):  # type: ignore[no-untyped-def]
        found = [a for a in self._table(Article).values()
                 if (not text or text.lower() in (a.title + a.body).lower())
                 and (topic_area is None or topic_area in a.topic_areas)]
        return found[offset:offset + limit], len(found)

    def add_article_version(self, version: ArticleVersion) -> None:
        self._add(ArticleVersion, (version.article_id, version.version), version)

    def article_versions(self, article_id: uuid.UUID) -> list[ArticleVersion]:
        return sorted((v for v in self._table(ArticleVersion).values()  # type: ignore[misc]
                       if v.article_id == article_id), key=lambda v: v.version)


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
