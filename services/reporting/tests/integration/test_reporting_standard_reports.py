"""The standard reports read from casework's, intake's, network's and identity's events (issue
12, "Standard reports"): the Hilden table (004 L134–142), the caseload against the guideline
(DOMAIN.md §1) and the monthly time series; filters, scopes and suppression."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from lotse.casework.v1 import events_pb2 as casework
from lotse.identity.v1 import events_pb2 as identity
from lotse.intake.v1 import events_pb2 as intake
from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse.network.v1 import events_pb2 as network
from lotse_platform.auth import CASE_MANAGER, COORDINATOR, ORG_ADMIN, STEERING_MEMBER
from lotse_platform.contracts import Envelope, event_type_of
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import known_directory, put_directory

from reporting_intake import caller, deliver

pytestmark = pytest.mark.integration

HILDEN, VELBERT = "area-hilden", "area-velbert"
KREIS, STADT = "org-kreis-mettmann", "org-stadt-hilden"
NANG, EL_KHABBACHI, OTHER = "cm-nang", "cm-elkhabbachi", "cm-velbert"
TG_25AB, TG_104C, TG_DULDUNG = "tg-25ab", "tg-104c", "tg-duldung-27"
TG_MULTIPLE, TG_SOE = "tg-multiple-need", "tg-south-east-europe"
RESIDENCE, WORK, LANGUAGE = (kim.TOPIC_AREA_RESIDENCE, kim.TOPIC_AREA_WORK_TRAINING,
                             kim.TOPIC_AREA_LANGUAGE)
SEPTEMBER = datetime(2023, 9, 15, 10, tzinfo=UTC)


def envelope(event: Any, tenant: uuid.UUID, *, sequence: int | None = None,
             at: datetime = SEPTEMBER) -> Envelope:
    service = event_type_of(event).split(".", 1)[0]
    return Envelope(id=uuid.uuid4(), type=event_type_of(event), source=f"/lotse/{service}",
                    time=at, data=event.SerializeToString(), tenant=tenant, sequence=sequence)


def case(tenant, case_manager, group, topic, area=HILDEN, closed=False) -> list[Envelope]:
    """A case opened (and its primary goal set) by ``case_manager``; maybe closed."""
    facts = casework.CaseFacts(case_id=str(uuid.uuid4()), area_id=area,
                               case_manager_id=case_manager, target_group_ids=[group],
                               opened_on="2023-03-01", primary_topic_area=topic)
    events: list[Any] = [casework.CaseOpened(case=facts),
                         casework.GoalSet(case=facts, goal_id=str(uuid.uuid4()),
                                          topic_area=topic, primary=True)]
    if closed:
        events.append(casework.CaseClosed(case=facts, reason=casework.CLOSURE_REASON_GOALS_REACHED,
                                          closed_on="2023-07-31", duration_days=152))
    return [envelope(e, tenant, sequence=n) for n, e in enumerate(events, start=1)]


#: 004 L140–142: Frau Nang 13 (8 Duldung/Gestattung >27, 2 §§25a/b, 2 multiple need, 1 §104c),
#: Frau El Khabbachi 9 (4 §104c, 2 §§25a/b, 2 Duldung/Gestattung >27, 1 South-East Europe);
#: 004 L134: primary goal residence 14, work/training 5, language 3
HILDEN_CASES = (
    [(NANG, TG_DULDUNG, RESIDENCE)] * 8 + [(NANG, TG_25AB, RESIDENCE)] * 2
    + [(NANG, TG_MULTIPLE, WORK)] * 2 + [(NANG, TG_104C, WORK)]
    + [(EL_KHABBACHI, TG_104C, RESIDENCE)] * 4 + [(EL_KHABBACHI, TG_25AB, WORK)] * 2
    + [(EL_KHABBACHI, TG_DULDUNG, LANGUAGE)] * 2 + [(EL_KHABBACHI, TG_SOE, LANGUAGE)])


def staff(tenant, user, org, fte, version=1) -> Envelope:
    return envelope(identity.UserCreated(user_id=user, organisation_id=org, fte=fte,
                                         roles=["case_manager"], version=version), tenant)


@pytest.fixture
def hilden(reporting, tenant) -> uuid.UUID:
    put_directory(reporting, tenant, known_directory(
        organisations=(KREIS, STADT), areas=(HILDEN, VELBERT),
        users=[(NANG, KREIS, ["case_manager"]), (EL_KHABBACHI, STADT, ["case_manager"]),
               (OTHER, KREIS, ["case_manager"])]))
    events = [e for cm, group, topic in HILDEN_CASES for e in case(tenant, cm, group, topic)]
    events += case(tenant, NANG, TG_DULDUNG, RESIDENCE, closed=True)  # closed in July
    events += case(tenant, OTHER, TG_104C, RESIDENCE, area=VELBERT)
    # Hilden's two posts: one of the county, one of the town (004 L134)
    events += [staff(tenant, NANG, KREIS, 0.5), staff(tenant, EL_KHABBACHI, STADT, 0.75),
               staff(tenant, OTHER, KREIS, 0.1)]
    assert deliver(reporting, events) == len(events)
    return tenant


def test_the_hilden_table_by_primary_goal_and_per_case_manager_by_target_group(
        hilden, app, issuer):
    """004 L134: 22 people in case management in Hilden — residence 14, work/training 5,
    language 3; 004 L140–142: per case manager by target group."""
    office = caller(app, issuer, hilden, "ks-1", (COORDINATOR,), KREIS)

    answer = office.get("/reports/primary-goal-areas", query_string={"area_id": HILDEN})

    assert answer.status_code == 200, answer.get_json()
    found = answer.get_json()
    assert found["rows"] == [{"primary_topic_area": "language", "count": 3},
                             {"primary_topic_area": "residence", "count": 14},
                             {"primary_topic_area": "work_training", "count": 5}]
    assert found["grand_total"] == 22
    assert found["total"] == 3  # rows in all pages
    assert found["by_case_manager"] == [
        {"case_manager_id": EL_KHABBACHI, "target_group_id": TG_104C, "count": 4},
        {"case_manager_id": EL_KHABBACHI, "target_group_id": TG_25AB, "count": 2},
        {"case_manager_id": EL_KHABBACHI, "target_group_id": TG_DULDUNG, "count": 2},
        {"case_manager_id": EL_KHABBACHI, "target_group_id": TG_SOE, "count": 1},
        {"case_manager_id": NANG, "target_group_id": TG_104C, "count": 1},
        {"case_manager_id": NANG, "target_group_id": TG_25AB, "count": 2},
        {"case_manager_id": NANG, "target_group_id": TG_DULDUNG, "count": 8},
        {"case_manager_id": NANG, "target_group_id": TG_MULTIPLE, "count": 2}]
    # the whole county: Velbert's case too; in July, the case closed then as well
    county = office.get("/reports/primary-goal-areas").get_json()
    assert county["grand_total"] == 23
    july = office.get("/reports/primary-goal-areas",
                      query_string={"from": "2023-07-01", "to": "2023-07-31",
                                    "area_id": HILDEN}).get_json()
    assert july["grand_total"] == 23
    in_group = office.get("/reports/primary-goal-areas",
                          query_string={"target_group_id": TG_104C, "area_id": HILDEN})
    assert in_group.get_json()["grand_total"] == 5


def test_the_hilden_table_as_each_caller_may_see_it(hilden, app, issuer):
    nang = caller(app, issuer, hilden, NANG, (CASE_MANAGER,), KREIS)
    town = caller(app, issuer, hilden, "lead-hilden", (ORG_ADMIN,), STADT)
    steering = caller(app, issuer, hilden, "lg-1", (STEERING_MEMBER,), "org-jobcenter")

    assert nang.get("/reports/primary-goal-areas").get_json()["grand_total"] == 13
    assert town.get("/reports/primary-goal-areas").get_json()["grand_total"] == 9
    seen = steering.get("/reports/primary-goal-areas",
                        query_string={"area_id": HILDEN}).get_json()
    assert seen["suppressed"] is True
    # language 3 is small; with the total of 22 shown, the smallest other count is hidden too
    assert seen["rows"] == [{"primary_topic_area": "language", "count": "<5"},
                            {"primary_topic_area": "residence", "count": 14},
                            {"primary_topic_area": "work_training", "count": "x"}]
    assert seen["grand_total"] == 22
    # per case manager and target group: no count from 1 to 4 shown, the totals with it
    shown = [r["count"] for r in seen["by_case_manager"]] + [
        t["count"] for t in seen["case_manager_totals"] + seen["target_group_totals"]]
    assert not {1, 2, 3, 4} & {n for n in shown if isinstance(n, int)}
    assert {"<5", "x"} <= set(shown)
    assert nang.get("/reports/primary-goal-areas",
                    query_string={"case_manager_id": EL_KHABBACHI}).status_code == 403


def test_the_caseload_against_the_guideline_with_who_is_over_or_under(
        hilden, reporting, app, issuer, tenant):
    """DOMAIN.md §1: 1.0 FTE → 50–60 cases, 0.75 → 37–45, 0.5 → 25–30, from identity's
    staffing events; the newest version counts, whatever the order of arrival."""
    office = caller(app, issuer, hilden, "ks-1", (COORDINATOR,), KREIS)
    before = {r["case_manager_id"]: r for r in office.get("/reports/caseload").get_json()["rows"]}
    assert before[NANG] == {"case_manager_id": NANG, "organisation_id": KREIS, "fte": 0.5,
                            "cases": 13, "guideline_min": 25, "guideline_max": 30,
                            "status": "under"}
    assert (before[EL_KHABBACHI]["guideline_min"], before[EL_KHABBACHI]["guideline_max"]) == (
        37, 45)
    assert (before[OTHER]["cases"], before[OTHER]["status"]) == (1, "under")

    # El Khabbachi's post shrinks to 0.1 (version 3); a stale version 2 arrives after it
    later = [envelope(identity.UserStaffingChanged(user_id=EL_KHABBACHI, organisation_id=STADT,
                                                   fte=fte, version=version), tenant)
             for fte, version in ((0.1, 3), (1.0, 2))]
    more = [e for _ in range(4) for e in case(tenant, OTHER, TG_104C, RESIDENCE, area=VELBERT)]
    assert deliver(reporting, later + more) == len(later + more)

    after = {r["case_manager_id"]: r for r in office.get("/reports/caseload").get_json()["rows"]}
    assert (after[EL_KHABBACHI]["fte"], after[EL_KHABBACHI]["status"]) == (0.1, "over")
    assert (after[OTHER]["cases"], after[OTHER]["guideline_min"],
            after[OTHER]["guideline_max"], after[OTHER]["status"]) == (5, 5, 6, "within")
    own = caller(app, issuer, hilden, NANG, (CASE_MANAGER,), KREIS)
    assert [r["case_manager_id"] for r in own.get("/reports/caseload").get_json()["rows"]] == [
        NANG]
    kreis = caller(app, issuer, hilden, "lead-kreis", (ORG_ADMIN,), KREIS)
    assert sorted(r["case_manager_id"] for r in
                  kreis.get("/reports/caseload").get_json()["rows"]) == [NANG, OTHER]


def test_monthly_time_series_count_the_facts_of_each_month(reporting, app, issuer, tenant):
    """Issue 12: access paths, decisions (the latest revision), admissions per target group,
    goals set / reached, contacts and effort per phase, referrals, closures, transfers — per
    month, in the tenant's time zone."""
    put_directory(reporting, tenant, known_directory(organisations=(KREIS,),
                                                     areas=(HILDEN, VELBERT)))
    facts = casework.CaseFacts(case_id="c-1", area_id=HILDEN, case_manager_id=NANG,
                               target_group_ids=[TG_104C])
    late_september = datetime(2023, 9, 30, 22, 30, tzinfo=UTC)  # 1 October in Berlin
    events = [
        envelope(intake.ContactRecorded(intake_id="i-1", area_id=HILDEN, recorded_by=NANG,
                                        access_path=kim.ACCESS_PATH_SELF_REFERRAL,
                                        contact_date="2023-08-30"), tenant),
        envelope(intake.ContactRecorded(intake_id="i-2", area_id=HILDEN, recorded_by=NANG,
                                        access_path=kim.ACCESS_PATH_SELF_REFERRAL,
                                        contact_date="2023-09-02"), tenant),
        envelope(intake.CounsellingDepthDecided(intake_id="i-1", area_id=HILDEN, revision=1,
                                                depth=kim.COUNSELLING_DEPTH_GUIDANCE,
                                                decided_by=NANG, decided_on="2023-08-30"),
                 tenant),
        envelope(intake.CounsellingDepthDecided(intake_id="i-1", area_id=HILDEN, revision=2,
                                                depth=kim.COUNSELLING_DEPTH_CASE_MANAGEMENT,
                                                decided_by=NANG, decided_on="2023-09-04"),
                 tenant),
        envelope(intake.CaseAdmitted(intake_id="i-1", case_manager_id=NANG, area_id=HILDEN,
                                     target_group_ids=[TG_104C, TG_25AB],
                                     admitted_on="2023-09-05"), tenant),
        envelope(casework.GoalSet(case=facts, goal_id="g-1", topic_area=RESIDENCE), tenant,
                 sequence=2, at=late_september),
        envelope(casework.ContactRecorded(case=facts, contact_id="k-1", duration_minutes=45,
                                          phase=casework.PHASE_ASSESSMENT,
                                          contact_on="2023-09-12"), tenant, sequence=3),
        envelope(casework.ContactRecorded(case=facts, contact_id="k-2", duration_minutes=30,
                                          phase=casework.PHASE_ASSESSMENT,
                                          contact_on="2023-09-19"), tenant, sequence=4),
        envelope(casework.CaseClosed(case=facts, reason=casework.CLOSURE_REASON_GOALS_REACHED,
                                     closed_on="2023-11-02", duration_days=60), tenant,
                 sequence=5),
        envelope(network.ReferralSent(referral=network.ReferralFacts(
            referral_id="r-1", partner_org_id="org-mbe", topic_area=RESIDENCE,
            source=network.REFERRAL_SOURCE_CASE, case_manager_id=NANG,
            sent_on="2023-09-20")), tenant),
    ]
    assert deliver(reporting, events) == len(events)
    office = caller(app, issuer, tenant, "ks-1", (COORDINATOR,), KREIS)

    def series(figure, **query):
        answer = office.get(f"/reports/time-series/{figure}", query_string=query)
        assert answer.status_code == 200, answer.get_json()
        return [(r["month"], r["key"], r["count"], r["value"]) for r in answer.get_json()["rows"]]

    assert series("access_paths") == [("2023-08", "self_referral", 1, 0),
                                      ("2023-09", "self_referral", 1, 0)]
    assert series("counselling_depths") == [("2023-09", "case_management", 1, 0)]
    assert series("admissions") == [("2023-09", TG_104C, 1, 0), ("2023-09", TG_25AB, 1, 0)]
    assert series("goals_set") == [("2023-10", "residence", 1, 0)]
    assert series("contacts") == [("2023-09", "assessment", 2, 75)]
    assert series("closures") == [("2023-11", "goals_reached", 1, 60)]
    assert series("referrals") == [("2023-09", "org-mbe", 1, 0)]
    assert series("access_paths", **{"from": "2023-09-01", "to": "2023-12-31"}) == [
        ("2023-09", "self_referral", 1, 0)]
    assert series("contacts", area_id=VELBERT) == []
    steering = caller(app, issuer, tenant, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    hidden = steering.get("/reports/time-series/contacts").get_json()["rows"]
    assert [(r["count"], r["value"]) for r in hidden] == [("<5", None)]
    unknown = office.get("/reports/time-series/horoscopes")
    assert unknown.status_code == 404 and unknown.get_json()["errors"][0]["field"] == "figure"


def test_phase_durations_per_month_from_a_case_s_phases_in_any_order(
        reporting, app, issuer, tenant):
    """Issue 12 (phase durations): the days a case spent in each phase, counted in the month it
    left the phase, in casework's order whatever the order of arrival."""
    put_directory(reporting, tenant, known_directory(organisations=(KREIS,), areas=(HILDEN,)))
    facts = casework.CaseFacts(case_id="c-9", area_id=HILDEN, case_manager_id=NANG,
                               opened_on="2023-03-01")
    steps = [casework.CaseOpened(case=facts),
             casework.PhaseChanged(case=facts, from_phase=casework.PHASE_INTAKE,
                                   to_phase=casework.PHASE_ASSESSMENT,
                                   changed_at="2023-03-11T09:00:00+00:00"),
             casework.PhaseChanged(case=facts, from_phase=casework.PHASE_ASSESSMENT,
                                   to_phase=casework.PHASE_GOAL_AGREEMENT,
                                   changed_at="2023-04-09T22:30:00+00:00"),  # 10 April, Berlin
             casework.CaseClosed(case=facts, reason=casework.CLOSURE_REASON_GOALS_REACHED,
                                 closed_on="2023-05-01")]
    events = [envelope(e, tenant, sequence=n) for n, e in enumerate(steps, start=1)]
    assert deliver(reporting, events[::-1] + events[1:2]) == len(events)
    office = caller(app, issuer, tenant, "ks-1", (COORDINATOR,), KREIS)

    rows = office.get("/reports/time-series/phase_durations").get_json()["rows"]

    assert [(r["month"], r["key"], r["count"], r["value"]) for r in rows] == [
        ("2023-03", "intake", 1, 10), ("2023-04", "assessment", 1, 30),
        ("2023-05", "goal_agreement", 1, 21)]
    mine = caller(app, issuer, tenant, "cm-other", (CASE_MANAGER,), KREIS)
    assert mine.get("/reports/time-series/phase_durations").get_json()["rows"] == []


def test_contacts_and_effort_per_phase_against_the_guideline(reporting, app, issuer, tenant):
    """DOMAIN.md §5: assessment 1–3 appointments, monitoring 1–5 contacts — per phase the cases,
    their contacts, appointments and minutes, and the cases beyond the guideline."""
    put_directory(reporting, tenant, known_directory(organisations=(KREIS,), areas=(HILDEN,)))
    a = casework.CaseFacts(case_id="c-a", area_id=HILDEN, case_manager_id=NANG)
    b = casework.CaseFacts(case_id="c-b", area_id=HILDEN, case_manager_id=EL_KHABBACHI)
    assessment, monitoring = casework.PHASE_ASSESSMENT, casework.PHASE_MONITORING
    visit, call = casework.CONTACT_TYPE_HOME_VISIT, casework.CONTACT_TYPE_PHONE_CALL
    contacts = ([(a, assessment, visit, 90)] * 4 + [(b, assessment, visit, 60),
                                                   (b, assessment, call, 15)]
                + [(a, monitoring, call, 10)] * 2)
    events = [envelope(casework.ContactRecorded(case=facts, contact_id=f"k-{n}", type=kind,
                                                phase=phase, duration_minutes=minutes,
                                                contact_on="2023-09-12"), tenant, sequence=n)
              for n, (facts, phase, kind, minutes) in enumerate(contacts, start=1)]
    assert deliver(reporting, events) == len(events)
    office = caller(app, issuer, tenant, "ks-1", (COORDINATOR,), KREIS)

    answer = office.get("/reports/effort-by-phase")

    assert answer.status_code == 200, answer.get_json()
    rows = {r["phase"]: r for r in answer.get_json()["rows"]}
    assert rows["assessment"] == {"phase": "assessment", "cases": 2, "contacts": 6,
                                  "appointments": 5, "minutes": 435, "measure": "appointments",
                                  "limit": 3, "guideline": "1–3 appointments",
                                  "guideline_de": "1–3 Termine", "cases_beyond": 1}
    assert (rows["monitoring"]["cases"], rows["monitoring"]["contacts"],
            rows["monitoring"]["cases_beyond"]) == (1, 2, 0)
    assert rows["intake"]["cases"] == 0
    own = caller(app, issuer, tenant, EL_KHABBACHI, (CASE_MANAGER,), STADT)
    mine = {r["phase"]: r for r in own.get("/reports/effort-by-phase").get_json()["rows"]}
    assert (mine["assessment"]["contacts"], mine["assessment"]["cases_beyond"]) == (2, 0)
    steering = caller(app, issuer, tenant, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    seen = {r["phase"]: r for r in steering.get("/reports/effort-by-phase").get_json()["rows"]}
    assert (seen["assessment"]["cases"], seen["assessment"]["minutes"]) == ("<5", None)


def referral(tenant, partner, mode, states, sent_on="2023-09-20", case_manager=NANG):
    facts = network.ReferralFacts(referral_id=str(uuid.uuid4()), partner_org_id=partner,
                                  topic_area=RESIDENCE, mode=mode, sent_on=sent_on,
                                  source=network.REFERRAL_SOURCE_CASE,
                                  case_manager_id=case_manager)
    kinds = {"sent": network.ReferralSent, "accepted": network.ReferralAccepted,
             "arrived": network.ReferralArrived, "declined": network.ReferralDeclined}
    return [envelope(kinds[state](referral=facts), tenant) for state in states]


def test_referral_rates_per_partner_kind_and_topic(reporting, app, issuer, tenant):
    """Issue 12: referrals per partner / kind / topic area with acceptance and arrival rates
    (of the referrals sent in the period)."""
    put_directory(reporting, tenant, [*known_directory(organisations=(KREIS,), areas=(HILDEN,)),
                                      Known(ORGANISATION, "org-mbe", version=1, name="MBE")])
    warm, tandem = network.REFERRAL_MODE_WARM_HANDOVER, network.REFERRAL_MODE_TANDEM
    events = ([e for _ in range(4) for e in referral(tenant, "org-mbe", warm,
                                                     ("sent", "accepted", "arrived"))]
              + referral(tenant, "org-mbe", warm, ("sent", "accepted"))
              + referral(tenant, "org-mbe", warm, ("sent", "declined"))
              + referral(tenant, "org-caritas", tandem, ("sent", "arrived"))
              + referral(tenant, "org-caritas", tandem, ("sent",), sent_on="2023-10-02"))
    assert deliver(reporting, events) == len(events)
    office = caller(app, issuer, tenant, "ks-1", (COORDINATOR,), KREIS)

    answer = office.get("/reports/referral-rates")

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["rows"] == [
        {"partner_org_id": "org-caritas", "partner_name": None, "kind": "tandem",
         "topic_area": "residence", "sent": 2, "accepted": 1, "arrived": 1,
         "acceptance_rate": 0.5, "arrival_rate": 0.5},
        {"partner_org_id": "org-mbe", "partner_name": "MBE", "kind": "warm_handover",
         "topic_area": "residence", "sent": 6, "accepted": 5, "arrived": 4,
         "acceptance_rate": round(5 / 6, 3), "arrival_rate": round(4 / 6, 3)}]
    september = office.get("/reports/referral-rates",
                           query_string={"from": "2023-09-01", "to": "2023-09-30"})
    assert [r["sent"] for r in september.get_json()["rows"]] == [1, 6]
    assert answer.get_json()["totals"] == {"sent": 8, "accepted": 6, "arrived": 5}
    steering = caller(app, issuer, tenant, "lg-1", (STEERING_MEMBER,), "org-jobcenter")
    seen = steering.get("/reports/referral-rates").get_json()
    # Caritas' 2 sent are small; beside the total of 8 MBE's 6 would give them away: hidden
    # too, and no rate beside a hidden count
    assert [(r["sent"], r["acceptance_rate"], r["arrival_rate"]) for r in seen["rows"]] == [
        ("<5", None, None), ("x", None, None)]
    assert seen["totals"] == {"sent": 8, "accepted": 6, "arrived": 5}

    # a page is that slice of the whole report: its totals and its suppression the whole's
    def pages(who, path, size):
        found, offset = [], 0
        while offset is not None:
            answer = who.get(path, query_string={"limit": size, "offset": offset}).get_json()
            whole = who.get(path, query_string={"limit": 1000}).get_json()
            assert {k: v for k, v in answer.items() if k not in ("rows", "limit", "offset",
                                                                 "next_offset")} == {
                k: v for k, v in whole.items() if k not in ("rows", "limit", "offset",
                                                             "next_offset")}
            assert answer["rows"] == whole["rows"][offset:offset + size]
            found += answer["rows"]
            offset = answer["next_offset"]
        return found, whole

    for who in (office, steering):
        for path in ("/reports/referral-rates", "/reports/time-series/referrals"):
            found, whole = pages(who, path, 1)
            assert found == whole["rows"] and whole["total"] == len(found) >= 2, path
    assert pages(steering, "/reports/referral-rates", 1)[0] == seen["rows"]


def test_a_rebuild_gives_the_standard_reports_the_same_rows(hilden, reporting, app, issuer):
    office = caller(app, issuer, hilden, "ks-1", (COORDINATOR,), KREIS)
    before = [office.get(path).get_json() for path in ("/reports/primary-goal-areas",
                                                       "/reports/caseload")]
    reporting.rebuild(stream=None)
    assert [office.get(path).get_json() for path in ("/reports/primary-goal-areas",
                                                     "/reports/caseload")] == before
