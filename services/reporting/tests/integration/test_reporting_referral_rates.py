"""The referral rates read from one row per referral (ADR 0101, amended for issue 12 "Speed"):
the projector keeps each referral's row as its events arrive, in any order and however often;
the report counts the rows with one grouped select and gives the figures the referral facts
gave; a rebuild gives the same rows."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.auth import COORDINATOR
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.subject_rights.export import collect
from lotse_platform.testing import known_directory, put_directory

from lotse_reporting.adapters import orm
from lotse_reporting.adapters.data_map import DATA_MAP, SUBJECT_KEYS
from lotse_reporting.domain import standard
from lotse_reporting.domain.standard import Filters
from lotse_reporting.service_layer import projections

from reporting_intake import caller, deliver

pytestmark = pytest.mark.integration

KREIS = "org-kreis-mettmann"
WARM, TANDEM, COUNSELLING = (network.REFERRAL_MODE_WARM_HANDOVER, network.REFERRAL_MODE_TANDEM,
                             network.REFERRAL_MODE_REFERRAL_COUNSELLING)
STATES = {"sent": network.ReferralSent, "accepted": network.ReferralAccepted,
          "arrived": network.ReferralArrived, "declined": network.ReferralDeclined,
          "not_arrived": network.ReferralNotArrived, "completed": network.ReferralCompleted,
          "cancelled": network.ReferralCancelled}


def envelope(event: Any, tenant: uuid.UUID, at: datetime) -> Envelope:
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source="/lotse/network",
                    time=at, data=event.SerializeToString(), tenant=tenant)


def referral(tenant: uuid.UUID, states: tuple[str, ...], *, partner: str = "org-mbe",
             mode: int = WARM, topic: int = kim.TOPIC_AREA_RESIDENCE, sent_on: str = "2024-09-20",
             case_manager: str = "cm-nang", at: datetime = datetime(2024, 9, 20, 9, tzinfo=UTC),
             referral_id: str | None = None, intake_id: str = "") -> list[Envelope]:
    """One referral's events in the order given, as network publishes them (each carrying the
    referral's facts: partner, kind, topic area, the day it was sent, its case manager)."""
    facts = network.ReferralFacts(referral_id=str(uuid.uuid4()) if referral_id is None
                                  else referral_id, partner_org_id=partner,
                                  topic_area=topic, mode=mode, sent_on=sent_on,
                                  source=network.REFERRAL_SOURCE_CASE,
                                  case_manager_id=case_manager, intake_id=intake_id)
    return [envelope(STATES[state](referral=facts), tenant, at) for state in states]


def rates(office) -> list[tuple[str, str, int, int, int]]:
    answer = office.get("/reports/referral-rates")
    assert answer.status_code == 200, answer.get_json()
    return [(r["partner_org_id"], r["kind"], r["sent"], r["accepted"], r["arrived"])
            for r in answer.get_json()["rows"]]


def test_a_referrals_state_changes_move_it_between_the_counts(reporting, app, issuer, tenant):
    """Sent, then accepted, then arrived: the referral counts as sent, then accepted too, then
    arrived too; a declined one stays sent only; an arrival reported before the acceptance
    counts both; an event delivered again counts once."""
    put_directory(reporting, tenant, [*known_directory(organisations=(KREIS,)),
                                      Known(ORGANISATION, "org-mbe", version=1, name="MBE")])
    office = caller(app, issuer, tenant, "ks-1", (COORDINATOR,), KREIS)
    sent, accepted, arrived, completed = referral(tenant, ("sent", "accepted", "arrived",
                                                           "completed"))
    declined = referral(tenant, ("sent", "declined"))
    late_sent, early_arrival = referral(tenant, ("sent", "arrived"), mode=TANDEM)

    assert deliver(reporting, [sent]) == 1
    assert rates(office) == [("org-mbe", "warm_handover", 1, 0, 0)]
    assert deliver(reporting, [accepted, accepted]) == 1
    assert rates(office) == [("org-mbe", "warm_handover", 1, 1, 0)]
    assert deliver(reporting, [arrived, completed]) == 2
    assert rates(office) == [("org-mbe", "warm_handover", 1, 1, 1)]
    assert deliver(reporting, declined) == 2
    assert rates(office) == [("org-mbe", "warm_handover", 2, 1, 1)]
    assert deliver(reporting, [early_arrival]) == 1
    assert rates(office) == [("org-mbe", "tandem", 1, 1, 1), ("org-mbe", "warm_handover", 2, 1, 1)]
    assert deliver(reporting, [late_sent]) == 1
    assert rates(office) == [("org-mbe", "tandem", 1, 1, 1), ("org-mbe", "warm_handover", 2, 1, 1)]
    with reporting.uow(tenant) as uow:
        rows = uow.referral_rate_rows()
    assert sorted((r.sent, r.accepted, r.arrived) for r in rows) == [
        (True, False, False), (True, True, True), (True, True, True)]


def story(tenant: uuid.UUID) -> list[Envelope]:
    """Referrals of every kind to three partners over a year, by three case managers, in every
    state; their events out of order, one delivered twice, one without the day it was sent (its
    month: the day the event happened, in Berlin — 31 January 23:30 UTC is in February), one
    without an id (a referral of its own per event)."""
    paths = (("sent",), ("sent", "accepted"), ("sent", "accepted", "arrived", "completed"),
             ("sent", "declined"), ("sent", "accepted", "not_arrived"), ("sent", "cancelled"),
             ("arrived", "sent", "accepted"), ("accepted", "sent"))
    events: list[Envelope] = []
    for n in range(48):
        month = (1, 2, 6, 12)[n % 4]
        events += referral(tenant, paths[n % len(paths)],
                           partner=("org-mbe", "org-caritas", "org-jobcenter")[n % 3],
                           mode=(WARM, TANDEM, COUNSELLING)[n % 5 % 3],
                           topic=(kim.TOPIC_AREA_RESIDENCE, kim.TOPIC_AREA_LANGUAGE,
                                  kim.TOPIC_AREA_UNSPECIFIED)[n % 7 % 3],
                           sent_on=f"2025-{month:02d}-{1 + n % 28:02d}",
                           case_manager=("cm-1", "cm-2", "")[n % 4 % 3])
    events += referral(tenant, ("sent", "accepted"), sent_on="",
                       at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    events += referral(tenant, ("sent", "arrived"), referral_id="")
    events.insert(5, events[20])
    return events


FILTERS = [
    Filters(),
    Filters(date(2025, 1, 1), date(2025, 1, 31)),
    Filters(date(2025, 2, 1), date(2025, 6, 30)),
    Filters(date_from=date(2025, 6, 1)),
    Filters(date_to=date(2025, 2, 28)),
    Filters(case_managers=frozenset({"cm-2"})),
    Filters(date(2025, 1, 1), date(2025, 12, 31), case_managers=frozenset({"cm-1", ""})),
    # referral events carry no area and no target group: nothing to count, as with the facts
    Filters(area_id="area-hilden"),
    Filters(target_group_id="tg-25ab"),
]


def test_the_rows_give_the_figures_the_referral_facts_gave_and_a_rebuild_the_same_rows(
        reporting, tenant):
    events = story(tenant)
    assert deliver(reporting, events) == len(events) - 1
    with reporting.uow(tenant) as uow:
        live = uow.referral_rate_rows()
        counted = [uow.referral_totals(f) for f in FILTERS]
        by_facts = [uow.referral_counts(f) for f in FILTERS]
        facts = uow.facts("referrals")
    assert len(live) == 48 + 1 + 2
    for filters, totals, per_referral in zip(FILTERS, counted, by_facts, strict=True):
        # the facts grouped per referral by the database (the report's query before) and the
        # same in Python: what the rows must give
        assert totals == standard.referral_totals(per_referral), filters
        assert totals == standard.referral_totals(standard.referral_counts(facts, filters))
    assert sum(t[3] for t in counted[0]) == 51
    assert [sum(t[3] for t in found) for found in counted[1:5]] == [12, 25, 24, 27]
    assert counted[-2:] == [[], []]

    projections.rebuild(reporting.uow, reporting.catalogue(), ["referral_rates"], stream=None,
                        batch_size=7)
    with reporting.uow(tenant) as uow:
        assert uow.referral_rate_rows() == live


def test_the_referral_rates_are_built_from_past_events_on_deployment(reporting, superuser,
                                                                        tenant):
    """A release that brings the referral rates' rows (a new projection: its version is behind)
    builds them from the events stored before it (``migrate`` → ``catch_up``)."""
    events = story(tenant)
    deliver(reporting, events)
    with reporting.uow(tenant) as uow:
        built = uow.referral_rate_rows()
        figures = uow.referral_totals(Filters())
    with superuser.begin() as connection:
        connection.execute(sa.text("DELETE FROM referral_rate_projection WHERE tenant_id = :t"),
                           {"t": tenant})
        connection.execute(sa.text("DELETE FROM projection_versions "
                                   "WHERE name = 'referral_rates'"))
    with reporting.uow(tenant) as uow:
        assert uow.referral_rate_rows() == []
    reporting.migrate()
    with reporting.uow(tenant) as uow:
        assert uow.referral_rate_rows() == built
        assert uow.referral_totals(Filters()) == figures


def test_her_referrals_rows_are_in_her_subject_access_part(reporting, tenant):
    """ADR 0108: a referral made for her intake is found by its id in the referral rates' rows
    too (pseudonymous statistics, part of what reporting holds about her)."""
    intake_id = str(uuid.uuid4())
    hers = referral(tenant, ("sent", "accepted"), intake_id=intake_id)
    referral_id = network.ReferralSent.FromString(hers[0].data).referral.referral_id
    others = referral(tenant, ("sent",))
    deliver(reporting, hers + others)
    with reporting.uow(tenant) as uow:
        part = collect(uow.session, service="reporting", metadata=orm.metadata,
                       data_map=DATA_MAP, keys=SUBJECT_KEYS, platform=orm.platform,
                       tenant_id=tenant, request_id=uuid.uuid4(), person_id=intake_id,
                       collected_at=datetime.now(UTC))
    document = json.loads(part.content)
    [table] = [t for t in document["tables"] if t["name"] == "referral_rate_projection"]
    assert [(r["referral_id"], r["sent"], r["accepted"], r["arrived"]) for r in table["rows"]] == [
        (referral_id, True, True, False)]
    assert table["columns"]["topic_area"] == "health"  # special category (Art. 9 GDPR)
