"""Consent at the moment of sharing (ADR 0053): which of a case's consents a sharing rests on,
and the case's consents as their owner, intake, has them now.

Casework keeps a copy of the person's consents (from the handover package and intake's consent
events) for display and for its consumers; the copy may be a moment behind a withdrawal. Before
anything of a case reaches another organisation or another case manager, the consents the
sharing relies on are confirmed with intake inside the sharing's transaction, and the rule that
decides the sharing is applied to the confirmed state:

1. the rule on the copy first — whatever it refuses is refused without asking anybody;
2. :func:`to_confirm_for_partners` / :func:`to_confirm_for_handing_on` name the consents that
   decision rested on (none when nothing leaves the organisation);
3. :func:`confirmed` puts intake's answer in their place — a consent intake does not know
   counts as withdrawn — and the same rule decides again.

No I/O here: asking intake is the service layer's (:mod:`..service_layer.consent_check`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from .model import Case, Consent, participation_withdrawn, topics_without_release
from .vocabulary import PARTICIPATION_CONSENTS

RELEASE = "release_of_confidentiality"


@dataclass(frozen=True)
class CurrentConsent:
    """One consent as intake has it committed now (ids, kind, partner, topics, dates)."""

    consent_id: str
    kind: str
    partner_org_id: str = ""
    topic_areas: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    withdrawn: bool = False
    withdrawn_on: date | None = None


def _participation(consents: list[Consent]) -> list[Consent]:
    return [c for c in consents if c.kind in PARTICIPATION_CONSENTS and c.withdrawn_on is None]


def to_confirm_for_partners(case: Case, consents: list[Consent], partners: Iterable[str],
                            topics: list[str], today: date) -> list[Consent]:
    """The consents that telling ``partners`` about ``topics`` of the case rests on: the
    participation consents and each outside partner's releases valid today that cover one of
    the topics. None when every partner is the case manager's own organisation (nothing leaves
    it), and none when the copy refuses already (the rule refuses without asking)."""
    outsiders = [p for p in dict.fromkeys(partners) if p != case.organisation_id]
    if not outsiders:
        return []
    if any(topics_without_release(case, consents, p, topics, today) for p in outsiders):
        return []
    wanted = set(topics)
    releases = [c for c in consents
                if c.kind == RELEASE and c.partner_org_id in outsiders and c.valid_on(today)
                and wanted & set(c.topic_areas)]
    return _participation(consents) + releases


def to_confirm_for_handing_on(case: Case, consents: list[Consent]) -> list[Consent]:
    """The consents that handing the case file to another case manager rests on (a transfer, a
    deputy or tandem, the handover package read before accepting): the participation consents.
    None when the copy shows participation withdrawn already (refused without asking)."""
    if participation_withdrawn(case, consents):
        return []
    return _participation(consents)


def confirmed(consents: list[Consent], relied: list[Consent],
              current: Mapping[str, CurrentConsent], today: date) -> list[Consent]:
    """The case's ``consents`` with each one in ``relied`` as intake has it now; one intake
    does not know (absent from ``current``) counts as withdrawn today. New objects: the
    copy itself is not changed (it stays what intake's events made it)."""
    relied_ids = {c.consent_id for c in relied}
    result = []
    for consent in consents:
        if consent.consent_id not in relied_ids:
            result.append(consent)
            continue
        now = current.get(consent.consent_id)
        if now is None:
            result.append(replace(consent, withdrawn_on=today))
            continue
        result.append(replace(
            consent, kind=now.kind, partner_org_id=now.partner_org_id,
            topic_areas=list(now.topic_areas), valid_from=now.valid_from,
            valid_until=now.valid_until,
            withdrawn_on=(now.withdrawn_on or today) if now.withdrawn else None))
    return result
