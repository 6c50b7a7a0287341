"""A withdrawal takes effect at once (issue 17, ADR 0053), with both services really running:
intake's API under gunicorn over HTTP with real tokens, its relay and casework's consumer on
RabbitMQ, both on PostgreSQL; casework's API in process.

Casework learns of a withdrawal from intake's event, which may be a moment behind. Where these
tests must show that the check at the moment of sharing — not the event — refuses, they hold
intake's relay back while they withdraw and share: the withdrawal's event waits in intake's
outbox, and casework's copy still shows the consent valid (asserted), so only asking intake can
refuse. Then the relay runs and casework's consumer marks the copy withdrawn as before.

(c) races a withdrawal against a share in two threads, many times, and records with the
monotonic clock (one clock for the whole machine) when the withdrawal was sent and answered,
when the share was sent and answered, and when casework's consent check asked intake and got
its answer, with what intake answered. It establishes, for every trial:

- a share answered with success had its consent check answered "not withdrawn" by intake, and
  that check started before the withdrawal was answered — under PostgreSQL's read committed,
  intake's SELECT saw the withdrawal uncommitted, i.e. it ran before the withdrawal committed;
- a share sent after the withdrawal was answered, and any check started after it, is refused
  (409) — so after the withdrawal's answer no share succeeds.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from lotse_platform.auth import SERVICE, TENANT_ADMIN
from lotse_platform.testing import (
    JsonHandler,
    LocalServer,
    Running,
    days_ahead,
    free_port,
    poll,
    today,
)

from casework_steps import ok
from casework_support import package
from intake_process import AtIntake, intake_api, intake_service
from lotse_casework.adapters.intake_client import IntakeClient, IntakeConsents
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.model import AwaitingHandover
from lotse_casework.service_layer.admission import open_case

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TRIALS = 30  # (a): withdraw, then add the partner at once
RACES = 40  # (c): withdraw and add the partner at the same time
CARITAS = "org-caritas"


@pytest.fixture(scope="module")
def intake(databases, broker_url, issuer):
    with intake_service(databases, broker_url, issuer, "cw_intake_at_once") as service:
        yield service


@pytest.fixture(scope="module")
def intake_url(intake, issuer, tmp_path_factory):
    """Two workers of one thread each, as deployed by default: a withdrawal and a consent check
    are served side by side, not one after the other."""
    with intake_api(intake, issuer, tmp_path_factory.mktemp("intake-metrics"),
                    workers=2) as url:
        yield url


@dataclass
class Check:
    """One consent check casework made: what it asked, when (monotonic), what intake said."""

    asked: list[str]
    started: float
    answered: float
    answer: dict = field(default_factory=dict)


class Recorded:
    """Casework's consent client as the container makes it, recording every check."""

    def __init__(self, client: IntakeConsents) -> None:
        self.client = client
        self.checks: list[Check] = []
        self._lock = threading.Lock()

    def current_consents(self, operator_org_id, intake_id, consent_ids):
        started = time.monotonic()
        answer = self.client.current_consents(operator_org_id, intake_id, consent_ids)
        check = Check(list(consent_ids), started, time.monotonic(), dict(answer))
        with self._lock:
            self.checks.append(check)
        return answer

    def about(self, consent_id: str) -> list[Check]:
        with self._lock:
            return [c for c in self.checks if consent_id in c.asked]

    def close(self) -> None:
        self.client.close()


def _tokens(issuer, tenant):
    return lambda: issuer.issue("casework", tenant, "org-kreis", [SERVICE], client_id="casework")


@pytest.fixture
def wired(casework, consents_as_kept, intake_url, issuer, tenant):
    """Casework calls the real intake with its machine token, for the handover and for the
    consent check (recorded)."""
    url_for = lambda operator: intake_url if operator == "" else None  # noqa: E731
    casework.__dict__["intake_client"] = IntakeClient(url_for, _tokens(issuer, tenant), timeout=5)
    checks = Recorded(IntakeConsents(url_for, _tokens(issuer, tenant), timeout=2))
    casework.__dict__["consent_client"] = checks
    yield checks
    casework.close_http_clients()


def _opened(superuser, intake_id: str) -> uuid.UUID:
    def case():
        with superuser.connect() as connection:
            return connection.execute(sa.text("SELECT id FROM cases WHERE intake_id = :i"),
                                      {"i": intake_id}).scalar()
    return poll(case, timeout=30, message="casework to open the admitted case")


def _copy(superuser, case_id, consent_id: str):
    """Casework's copy of one consent: (kept?, withdrawn_on)."""
    with superuser.connect() as connection:
        row = connection.execute(sa.text(
            "SELECT withdrawn_on FROM consents WHERE case_id = :c AND consent_id = :i"),
            {"c": case_id, "i": consent_id}).first()
    return (row is not None, row.withdrawn_on if row else None)


def _participants(superuser, conference_id) -> list[str]:
    with superuser.connect() as connection:
        participants = connection.execute(sa.text(
            "SELECT participants FROM conferences WHERE id = :c"), {"c": conference_id}).scalar()
    return [p["organisation_id"] for p in participants]


def _release_kept(intake, at_intake: AtIntake, superuser, intake_id, case_id) -> str:
    """A new release for Caritas (health) at intake, delivered to casework's copy by intake's
    relay and casework's consumer; the relay stops again afterwards."""
    with Running(intake.relay().run):
        release = at_intake.consent(intake_id, "release_of_confidentiality",
                                    partner_org_id=CARITAS, topic_areas=["health"])["id"]
        poll(lambda: _copy(superuser, case_id, release) == (True, None), timeout=30,
             message="the release to reach casework's copy")
    return release


def _conference(lea, case_id) -> str:
    return ok(lea.post(f"/cases/{case_id}/conferences", {
        "planned_on": days_ahead(7), "topics": ["health"],
        "agenda": "Fallkonferenz Gesundheit"}), 201)["id"]


def _admitted_case(intake, at_intake, superuser):
    with Running(intake.relay().run):
        intake_id = at_intake.admit()
        return intake_id, _opened(superuser, intake_id)


# -- (a) withdraw, then share at once --------------------------------------------------------------
def test_a_partner_is_refused_at_once_after_her_release_was_withdrawn_every_time(
        casework, intake, intake_url, wired, issuer, tenant, as_user, superuser):
    at_intake, lea = AtIntake(intake, intake_url, issuer, tenant), as_user("cm-lea")
    with Running(casework.consumer().run):
        intake_id, case_id = _admitted_case(intake, at_intake, superuser)
        releases = []
        for trial in range(TRIALS):
            release = _release_kept(intake, at_intake, superuser, intake_id, case_id)
            conference = _conference(lea, case_id)

            withdrawn, _ = at_intake.withdraw(intake_id, release)
            refused = lea.post(f"/cases/{case_id}/conferences/{conference}/participants",
                               {"organisation_id": CARITAS})

            assert withdrawn == 200
            assert refused.status_code == 409, (trial, refused.get_json())
            assert refused.get_json()["detail"].endswith(
                "no valid release of confidentiality for: health")
            assert _copy(superuser, case_id, release) == (True, None), \
                "the withdrawal's event has not reached casework: only the check refused"
            (check,) = wired.about(release)
            assert check.answer[release].withdrawn, "intake answered: withdrawn"
            assert _participants(superuser, conference) == []
            releases.append(release)

        # (e) the event path is unchanged: the consumer marks each copy withdrawn
        with Running(intake.relay().run):
            poll(lambda: all(_copy(superuser, case_id, r)[1] is not None for r in releases),
                 timeout=60, message="casework's consumer to mark the copies withdrawn")
    case = lea.get(f"/cases/{case_id}").get_json()
    assert case["consent_withdrawn"] and not case["sharing_stopped"], \
        "releases withdrawn are not participation withdrawn"


# -- (b) a pending transfer, the counselling agreement withdrawn, the receiver accepts at once -----
def test_a_pending_transfer_is_not_accepted_once_the_agreement_was_withdrawn(
        casework, intake, intake_url, wired, issuer, tenant, as_user, superuser):
    at_intake, lea, tom = (AtIntake(intake, intake_url, issuer, tenant), as_user("cm-lea"),
                           as_user("cm-tom", areas=("area-brakel",)))
    admin = as_user("admin", roles=(TENANT_ADMIN,), org="org-kreis", areas=())
    ok(admin.put("/case-managers/cm-tom", {"organisation_id": "org-stadt-hoexter", "fte": 1.0,
                                           "areas": ["area-brakel"]}))
    with Running(casework.consumer().run):
        for trial in range(3):
            intake_id, case_id = _admitted_case(intake, at_intake, superuser)
            agreement = at_intake.consents[intake_id]["counselling_agreement"]
            transfer = ok(lea.post(f"/cases/{case_id}/transfers",
                                   {"to_case_manager_id": "cm-tom"}), 201)["id"]

            withdrawn, _ = at_intake.withdraw(intake_id, agreement)
            accepted = tom.post(f"/transfers/{transfer}/accept")
            package_read = tom.get(f"/transfers/{transfer}")
            shared = lea.post(f"/cases/{case_id}/shares", {
                "colleague_id": "cm-tom", "kind": "deputy", "valid_until": days_ahead(7)})

            assert withdrawn == 200
            assert accepted.status_code == 409, (trial, accepted.get_json())
            assert accepted.get_json()["detail"] == \
                "consent was withdrawn: the case file is not handed on"
            assert package_read.status_code == 409, package_read.get_json()
            assert shared.status_code == 409, shared.get_json()
            with superuser.connect() as connection:
                stays = connection.execute(sa.text(
                    "SELECT case_manager_id, sharing_stopped FROM cases WHERE id = :c"),
                    {"c": case_id}).one()
                shares = connection.execute(sa.text(
                    "SELECT count(*) FROM shares WHERE case_id = :c"), {"c": case_id}).scalar()
            assert tuple(stays) == ("cm-lea", False), \
                "the case stays hers; the event has not arrived (the check refused)"
            assert shares == 0
            assert lea.get(f"/cases/{case_id}").status_code == 200
            assert tom.get(f"/cases/{case_id}").status_code == 404

            # (e) then intake's event arrives: the copy is marked, the offer cancelled
            with Running(intake.relay().run):
                poll(lambda: lea.get(f"/cases/{case_id}").get_json()["sharing_stopped"],
                     timeout=30, message="the withdrawal to reach casework")
            with superuser.connect() as connection:
                assert connection.execute(sa.text(
                    "SELECT status FROM transfers WHERE id = :t"), {"t": transfer}).scalar() \
                    == "cancelled"


# -- (c) withdraw and share at the same time --------------------------------------------------------
@dataclass
class Race:
    withdraw_sent: float = 0.0
    withdraw_answered: float = 0.0
    withdraw_status: int = 0
    share_sent: float = 0.0
    share_answered: float = 0.0
    share_status: int = 0


def _spin(seconds: float) -> None:
    """Wait without giving the thread's place away (finer than sleep)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        pass


def test_a_share_racing_a_withdrawal_succeeds_only_if_its_check_came_first(
        casework, intake, intake_url, wired, issuer, tenant, as_user, superuser):
    at_intake = AtIntake(intake, intake_url, issuer, tenant)
    lea = as_user("cm-lea")
    rng = random.Random(17)
    outcomes: list[tuple[Race, Check | None]] = []
    added: list[str] = []
    with Running(casework.consumer().run):
        intake_id, case_id = _admitted_case(intake, at_intake, superuser)
        releases = []
        for trial in range(RACES):
            release = _release_kept(intake, at_intake, superuser, intake_id, case_id)
            releases.append(release)
            conference = _conference(lea, case_id)
            race, start = Race(), threading.Barrier(2)
            # a withdrawal takes intake some 10-40 ms; the share reaches its check within a few:
            # mostly the share waits a little, so that it lands before, during and after
            withdraw_waits = rng.random() < 0.25
            head_start = rng.uniform(0, 0.01 if withdraw_waits else 0.06)

            def withdraw():
                start.wait()
                _spin(head_start if withdraw_waits else 0)
                race.withdraw_sent = time.monotonic()
                race.withdraw_status, _ = at_intake.withdraw(intake_id, release)  # noqa: B023
                race.withdraw_answered = time.monotonic()

            def share():
                start.wait()
                _spin(0 if withdraw_waits else head_start)
                race.share_sent = time.monotonic()
                answer = lea.post(f"/cases/{case_id}/conferences/{conference}/participants",  # noqa: B023
                                  {"organisation_id": CARITAS})
                race.share_answered = time.monotonic()
                race.share_status = answer.status_code

            threads = [threading.Thread(target=withdraw), threading.Thread(target=share)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            checks = wired.about(release)
            check = checks[0] if checks else None
            outcomes.append((race, check))

            assert race.withdraw_status == 200
            assert race.share_status in (204, 409), race
            assert _copy(superuser, case_id, release) == (True, None), \
                "the event is held back: the copy cannot have refused"
            assert len(checks) == 1, "every share was decided by intake's answer"
            if race.share_status == 204:
                assert not check.answer[release].withdrawn
                assert check.started < race.withdraw_answered, \
                    "a share that succeeded asked intake before the withdrawal was answered"
                assert _participants(superuser, conference) == [CARITAS]
                added.append(conference)
            else:
                assert check.answer[release].withdrawn
                assert _participants(superuser, conference) == []
            if race.share_sent > race.withdraw_answered or check.started > race.withdraw_answered:
                assert race.share_status == 409, \
                    "after the withdrawal's answer no share succeeds"

        # (e) intake's events arrive: the copies are marked withdrawn, and the partners whose
        # check came first leave the planned conferences again
        with Running(intake.relay().run):
            poll(lambda: all(_copy(superuser, case_id, r)[1] is not None for r in releases),
                 timeout=60, message="casework's consumer to mark the copies withdrawn")
            poll(lambda: all(_participants(superuser, c) == [] for c in added), timeout=30,
                 message="the consumer to take Caritas off the planned conferences")

    succeeded = [(r, c) for r, c in outcomes if r.share_status == 204]
    after_answer = [r for r, _ in outcomes if r.share_sent > r.withdraw_answered]
    overlapping = [r for r, c in outcomes if c and c.started < r.withdraw_answered
                   and c.answered > r.withdraw_sent]
    took = sorted(r.withdraw_answered - r.withdraw_sent for r, _ in outcomes)
    print(f"\n(c) {RACES} races: {len(succeeded)} shares succeeded (check before the withdrawal "
          f"committed), {RACES - len(succeeded)} refused; {len(after_answer)} shares sent after "
          f"the withdrawal's answer (all refused); {len(overlapping)} checks overlapped the "
          f"withdrawal in time; a withdrawal took {took[len(took) // 2] * 1000:.1f} ms "
          "(median)")
    assert succeeded and len(succeeded) < RACES, \
        "both orders happened (else the race did not race): " + str(len(succeeded))


# -- (d) intake cannot answer: nothing is shared ---------------------------------------------------
class SlowOrFailing(LocalServer):
    """Intake's consent endpoint answering with an error (``status``) — or, while ``holding``,
    not before ``released`` is set (the caller's timeout ends its wait first)."""

    def __init__(self) -> None:
        self.holding, self.status = False, 500
        self.released = threading.Event()
        stand_in = self

        class Handler(JsonHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                if stand_in.holding:
                    stand_in.released.wait(timeout=30)
                try:
                    self.answer(stand_in.status, {"title": "failed"})
                except OSError:
                    pass  # the caller gave up

        super().__init__(Handler)


def _case_with_release(casework, tenant) -> tuple[uuid.UUID, str]:
    """A case whose ids are intake's (UUIDs), with a release for Caritas (health)."""
    intake_id = str(uuid.uuid4())
    document = package(intake_id, releases=[{"partner_org_id": CARITAS,
                                             "topic_areas": ["health"]}])
    for consent in document["consents"]:
        consent["id"] = str(uuid.uuid4())
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id="cm-lea", case_manager_org_id="org-stadt-hoexter",
                                 area_id="area-hoexter", admitted_on=today(),
                                 topic_areas=["health", "housing"])
    with casework.uow(tenant) as uow:
        case = open_case(uow, admission, HandoverPackage.parse(document, intake_id))
        uow.commit()
    return case.id, intake_id


def test_intake_not_answering_means_nothing_is_shared(casework, consents_as_kept, issuer, tenant,
                                                     as_user, superuser):
    lea = as_user("cm-lea")
    admin = as_user("admin", roles=(TENANT_ADMIN,), org="org-kreis", areas=())
    ok(admin.put("/case-managers/cm-tom", {"organisation_id": "org-stadt-hoexter", "fte": 1.0,
                                           "areas": ["area-brakel"]}))
    case_id, _ = _case_with_release(casework, tenant)
    conference = _conference(lea, case_id)
    with SlowOrFailing() as failing:
        ways = {"down": f"http://127.0.0.1:{free_port()}", "5xx": failing.url,
                "too slow": failing.url}
        try:
            for how, url in ways.items():
                failing.holding = how == "too slow"
                casework.__dict__["consent_client"] = IntakeConsents(
                    lambda _operator, url=url: url, _tokens(issuer, tenant), timeout=0.3)

                added = lea.post(f"/cases/{case_id}/conferences/{conference}/participants",
                                 {"organisation_id": CARITAS})
                planned = lea.post(f"/cases/{case_id}/conferences", {
                    "planned_on": days_ahead(7), "topics": ["health"], "agenda": "x",
                    "participants": [{"organisation_id": CARITAS}]})
                offered = lea.post(f"/cases/{case_id}/transfers", {"to_case_manager_id": "cm-tom"})
                shared = lea.post(f"/cases/{case_id}/shares", {
                    "colleague_id": "cm-tom", "kind": "tandem", "valid_until": days_ahead(7)})

                for answer in (added, planned, offered, shared):
                    assert answer.status_code == 503, (how, answer.get_json())
                    assert answer.headers["Retry-After"] == "5"
                    assert "nothing was shared" in answer.get_json()["detail"]
                casework.close_http_clients()
        finally:
            failing.released.set()
    assert _participants(superuser, conference) == []
    with superuser.connect() as connection:
        counts = connection.execute(sa.text(
            "SELECT (SELECT count(*) FROM conferences WHERE case_id = :c),"
            " (SELECT count(*) FROM transfers WHERE case_id = :c),"
            " (SELECT count(*) FROM shares WHERE case_id = :c)"), {"c": case_id}).one()
    assert tuple(counts) == (1, 0, 0)
    # the case manager's own organisation needs no release: nobody is asked
    ok(lea.post(f"/cases/{case_id}/conferences/{conference}/participants",
                {"organisation_id": "org-stadt-hoexter"}))
