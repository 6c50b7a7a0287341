"""Cooperation agreements, bodies with their next dates, and the knowledge base: the rules
without a database (in-memory unit of work; the same handlers run on PostgreSQL in
integration/test_network_cooperation_api.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from lotse_network.domain.agreements import Agreement, InvalidAgreement
from lotse_network.domain.bodies import Body, InvalidBody, Rhythm, nth_weekday
from lotse_network.domain.commands import (
    ChangeAgreement,
    ContributionGiven,
    FollowUpGiven,
    RecordAgreement,
    RecordMeeting,
    ReviseArticle,
    SetUpBody,
    WriteArticle,
)
from lotse_network.service_layer.agreements import change_agreement, record_agreement
from lotse_network.service_layer.bodies import record_meeting, set_up_body
from lotse_network.service_layer.knowledge import revise_article, write_article
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, PROVIDER_STAFF, Principal
from lotse_platform.errors import Forbidden
from lotse_platform.references import UnknownReference
from lotse_platform.testing import known_directory
from network_fakes import FakeNetworkUnitOfWork

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = 2
ABH, BAMF, AWO, CARITAS, KREIS = "org-abh", "org-bamf", "org-awo", "org-caritas", "org-kreis"


def _uow(principal: Principal | None = None) -> FakeNetworkUnitOfWork:
    uow = FakeNetworkUnitOfWork()
    uow.principal = principal
    uow.references.put_all(known_directory(
        organisations=[ABH, BAMF, AWO, CARITAS, KREIS], areas=["area-brakel"]))
    return uow


def _person(*roles: str, org: str = KREIS) -> Principal:
    return Principal(subject="user-1", tenant=uuid.uuid4(), organisation=org,
                     roles=frozenset(roles), areas=frozenset({"area-brakel"}))


# -- next dates -----------------------------------------------------------------------------

def test_the_case_manager_exchange_falls_on_every_third_wednesday_afternoon():
    """001 L399: "monatlichen Austauschtreffen mit der Koordination (jeder dritte
    Mittwochnachmittag im Monat)" — across the end of the month and of the year."""
    exchange = Rhythm("monthly", WEDNESDAY, 3, time(14, 0))
    after_decembers = datetime(2026, 12, 16, 14, 30, tzinfo=BERLIN)

    dates = exchange.next_dates(after_decembers, BERLIN, 3)

    assert [d.date() for d in dates] == [date(2027, 1, 20), date(2027, 2, 17),
                                         date(2027, 3, 17)]
    assert all(d.time() == time(14, 0) and d.tzinfo == BERLIN for d in dates)


def test_the_next_date_is_counted_in_the_tenants_time_zone_at_2330_utc():
    """001 L399 again: at 23:30 UTC on the third Wednesday it is already Thursday in Höxter,
    so an all-day exchange of that Wednesday is past; at 23:30 UTC the evening before, the
    tenant's Wednesday has begun and today's afternoon meeting is still to come."""
    all_day = Rhythm("monthly", WEDNESDAY, 3)
    assert all_day.next_dates(datetime(2026, 12, 16, 23, 30, tzinfo=UTC), BERLIN, 1)[0].date() \
        == date(2027, 1, 20)
    assert all_day.next_dates(datetime(2026, 12, 16, 23, 30, tzinfo=UTC),
                              ZoneInfo("UTC"), 1)[0].date() == date(2026, 12, 16), \
        "in UTC it would still be Wednesday"
    afternoon = Rhythm("monthly", WEDNESDAY, 3, time(14, 0))
    assert afternoon.next_dates(datetime(2026, 12, 15, 23, 30, tzinfo=UTC), BERLIN, 1)[0] \
        == datetime(2026, 12, 16, 14, 0, tzinfo=BERLIN)


def test_quarterly_and_last_weekday_rhythms_cross_month_and_year_ends():
    """001 L410: "quartalsweisen Austauschtreffen mit den KS"; 000 L133: "Jour-Fixe …
    (monatlich)" on the last Friday."""
    quarterly = Rhythm("quarterly", 1, 1, time(10, 0))  # first Tuesday of the quarter
    assert [d.date() for d in quarterly.next_dates(
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC), BERLIN, 3)] == [
        date(2027, 1, 5), date(2027, 4, 6), date(2027, 7, 6)]
    assert nth_weekday(2026, 12, 4, -1) == date(2026, 12, 25)
    assert nth_weekday(2027, 2, 6, -1) == date(2027, 2, 28)
    weekly = Rhythm("weekly", 0)
    assert [d.date() for d in weekly.next_dates(datetime(2026, 12, 27, 23, 30, tzinfo=UTC),
                                                 BERLIN, 2)] == [date(2026, 12, 28),
                                                                 date(2027, 1, 4)]


def test_a_monthly_body_without_which_weekday_is_refused_naming_the_field():
    """001 L399: a monthly exchange is "jeder dritte …": which one must be said."""
    with pytest.raises(InvalidBody) as refused:
        Body("Austauschtreffen", "case_manager_exchange", [KREIS], None, "monthly", WEDNESDAY)
    assert refused.value.errors[0]["field"] == "nth"


# -- agreements -----------------------------------------------------------------------------

def _mettmann(partner: str, basis: str) -> RecordAgreement:
    return RecordAgreement(f"Kooperationsvereinbarung {partner} – Beratungsakteure",
                           [partner, AWO, CARITAS], topic_areas=["residence"],
                           status="initiated", basis=basis)


def test_mettmanns_steering_decision_of_2023_05_10_is_expressible():
    """004 L124–L126, L130: "Initiierung einer Kooperationsvereinbarung zwischen ABH und
    Beratungsakteuren … zwischen BAMF und Beratungsakteuren" — two initiated agreements
    with the decision as their basis, found by partner and topic."""
    uow = _uow(_person(COORDINATOR))
    abh = record_agreement(_mettmann(ABH, "Lenkungsgruppe 10.05.2023, 2a"), uow)
    bamf = record_agreement(_mettmann(BAMF, "Lenkungsgruppe 10.05.2023, 2b"), uow)

    found = [a.id for a in uow.list_agreements() if a.covers(partner_org_id=AWO,
                                                             topic_area="residence")]
    assert sorted(found) == sorted([abh, bamf])
    assert {a.status for a in uow.list_agreements()} == {"initiated"}
    assert not any(a.covers(partner_org_id=AWO, valid_on=date(2026, 12, 7))
                   for a in uow.list_agreements()), "initiated, not yet in force"
    assert uow.audited == [("create", "agreement", abh, None),
                           ("create", "agreement", bamf, None)]


def test_an_agreement_covers_a_referral_by_partner_topic_area_and_day_and_expires():
    """001 L140: "Fallweitergabe zwischen der CMS und den Wohlfahrtsverbänden nach Absprache
    (siehe auch Kooperationsvereinbarungen)"; issue 11: an expired agreement is flagged."""
    agreement = Agreement("Fallweitergabe", [KREIS, AWO], topic_areas=["housing"],
                          area_ids=["area-brakel"], valid_from=date(2022, 1, 1),
                          valid_until=date(2026, 12, 6), status="signed",
                          signed_on=date(2021, 12, 14))
    assert agreement.covers(partner_org_id=AWO, topic_area="housing", area_id="area-brakel",
                            valid_on=date(2026, 12, 6))
    assert not agreement.covers(partner_org_id=CARITAS)
    assert not agreement.covers(partner_org_id=AWO, topic_area="debts")
    assert not agreement.covers(partner_org_id=AWO, area_id="area-warburg")
    assert agreement.expired(date(2026, 12, 7)) and not agreement.expired(date(2026, 12, 6))
    assert not agreement.covers(partner_org_id=AWO, valid_on=date(2026, 12, 7))


def test_a_bad_agreement_is_refused_naming_the_field_and_nothing_is_written():
    """001 L343: an agreement holds "wie der Umgang mit Daten gesichert wird" between parties:
    one party, an end before the beginning, an unknown organisation are refused by name."""
    uow = _uow(_person(COORDINATOR))
    with pytest.raises(InvalidAgreement) as one_party:
        record_agreement(RecordAgreement("Allein", [AWO]), uow)
    assert one_party.value.errors[0]["field"] == "party_org_ids"
    with pytest.raises(InvalidAgreement) as backwards:
        record_agreement(RecordAgreement("Rückwärts", [AWO, KREIS], valid_from=date(2026, 2, 1),
                                         valid_until=date(2026, 1, 1)), uow)
    assert backwards.value.errors[0]["field"] == "valid_until"
    with pytest.raises(UnknownReference) as unknown:
        record_agreement(RecordAgreement("Fremd", [AWO, "org-nowhere"],
                                         area_ids=["area-nowhere"]), uow)
    assert [e["field"] for e in unknown.value.errors] == ["party_org_ids.1", "area_ids.0"]
    assert (uow.commits, uow.list_agreements(), uow.audited) == (0, [], [])


def test_only_the_coordinating_office_keeps_agreements():
    """002 L227: the coordinating office prepares the agreements (Vorbereitung von
    Kooperationsvereinbarungen); case managers and provider staff only read them."""
    for role in (CASE_MANAGER, PROVIDER_STAFF):
        with pytest.raises(Forbidden):
            record_agreement(_mettmann(ABH, "x"), _uow(_person(role)))
    uow = _uow(_person(COORDINATOR))
    agreement_id = record_agreement(_mettmann(ABH, "x"), uow)
    change_agreement(ChangeAgreement(agreement_id, {"status": "signed",
                                                    "signed_on": date(2026, 11, 2)}), uow)
    assert uow.get_agreement(agreement_id).status == "signed"
    with pytest.raises(InvalidAgreement) as unsigned:
        change_agreement(ChangeAgreement(agreement_id, {"signed_on": None}), uow)
    assert unsigned.value.errors[0]["field"] == "signed_on"


# -- bodies, meetings -----------------------------------------------------------------------

def test_a_network_meeting_records_what_each_actor_presented_and_its_follow_ups():
    """004 L91: "anhand der Punkte Zielgruppe, Angebot und (bestehende)
    Kooperationsvereinbarung das jeweilige Angebot zu präsentieren"; 004 L93: missing
    agreements identified — a follow-up."""
    uow = _uow(_person(COORDINATOR))
    body = set_up_body(SetUpBody("Netzwerktreffen Brakel", "network_meeting", [KREIS, CARITAS],
                                 "area-brakel"), uow)
    meeting_id = record_meeting(RecordMeeting(
        body, uow.today(), [KREIS, CARITAS],
        [ContributionGiven(CARITAS, "Zugewanderte", "Migrationsberatung", "keine")],
        "Protokoll", [FollowUpGiven("Vereinbarung entwerfen", KREIS)]), uow)

    meeting = uow.get_meeting(meeting_id)
    assert meeting.contributions[0].offers == "Migrationsberatung"
    (event, aggregate, sequence), = uow.published
    assert (event.meeting_id, event.body_kind, event.area_id, list(event.participant_org_ids),
            event.contributions, event.follow_ups, aggregate) == (
        str(meeting_id), "network_meeting", "area-brakel", [KREIS, CARITAS], 1, 1, meeting_id)
    assert "Migrationsberatung" not in str(event) and "Protokoll" not in str(event), \
        "reporting gets counts, never what was said"
    assert [f.what for f in meeting.follow_ups] == ["Vereinbarung entwerfen"]
    with pytest.raises(InvalidBody) as stranger:
        record_meeting(RecordMeeting(body, uow.today(), [KREIS],
                                     [ContributionGiven(AWO, "x")]), uow)
    assert stranger.value.errors[0]["field"] == "contributions"


# -- knowledge base -------------------------------------------------------------------------

def test_an_article_keeps_who_changed_what_and_when():
    """001 L169: "Wissensdatenbanken nutzen und pflegen" — by the coordinating office and the
    case managers, every version kept."""
    uow = _uow(_person(CASE_MANAGER))
    article_id = write_article(WriteArticle("Beschäftigungsduldung", "Zuständig: ABH",
                                            ["residence"]), uow)
    lea = _person(CASE_MANAGER)
    uow.principal = Principal(subject="user-2", tenant=lea.tenant, organisation=KREIS,
                              roles=frozenset({COORDINATOR}))
    revise_article(ReviseArticle(article_id, "Beschäftigungsduldung", "Zuständig: ABH, "
                                 "Unterlagen: Arbeitsvertrag", ["residence", "work_training"]),
                   uow)

    versions = uow.article_versions(article_id)
    assert [(v.version, v.changed_by, v.body) for v in versions] == [
        (1, "user-1", "Zuständig: ABH"), (2, "user-2", "Zuständig: ABH, Unterlagen: "
                                                       "Arbeitsvertrag")]
    assert uow.get_article(article_id).version == 2
    with pytest.raises(Forbidden):
        write_article(WriteArticle("x", "y"), _uow(_person(PROVIDER_STAFF)))
