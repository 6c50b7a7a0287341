"""The fault drills, short: the local cluster on a private PostgreSQL and RabbitMQ under a steady
load of API writes, through a kill -9 of a relay, a consumer and an API worker, a kill -9 of
RabbitMQ, an immediate stop of PostgreSQL and a crash of the leading relay (the standby takes
over). Counted afterwards from the services' databases against a test queue bound to every
event and the consumers' effects (:mod:`.accounting`). ``make chaos`` runs the long version
(over a hundred kills, several restarts of each dependency) and records its figures.
"""

from __future__ import annotations

import pytest

from .drills import Plan, Result, run

# the cluster starts within the first test (the module fixture): up to a minute on a busy machine
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(400)]

SHORT = Plan(
    kills=3, kill_kinds=("kill_relay", "kill_consumer", "kill_api_worker"),
    rabbit_graceful=0, rabbit_kill9=1, postgres_immediate=1, leader_crashes=("example",),
    outage=(0.5, 1.0), relays={"example": 2}, consumers=1, api_workers=1, flow_timeout=60.0)


@pytest.fixture(scope="module")
def drills(tmp_path_factory) -> Result:
    return run(SHORT, tmp_path_factory.mktemp("chaos"), settle_timeout=60.0)


def kinds(result: Result) -> dict[str, dict]:
    return {w.kind: w.figures | {"target": w.target} for w in result.windows}


def test_every_drill_ran(drills):
    assert set(kinds(drills)) == {
        "warm_up", "kill_relay", "kill_consumer", "kill_api_worker", "restart_rabbitmq_kill9",
        "restart_postgres_immediate", "crash_leading_relay"}


def test_no_event_is_lost_and_none_takes_effect_twice(drills):
    totals = drills.totals
    assert drills.settled, totals["lost_detail"]
    assert totals["lost"] == 0, totals["lost_detail"]
    assert totals["doubled"] == 0
    assert totals["dead_lettered"] == {"casework.dead": 0, "example.dead": 0}
    for window in drills.windows:
        assert (window.kind, window.figures["lost"], window.figures["doubled"]) == (
            window.kind, 0, 0)
    # the drills ran under load: each kind of event was written, and every one arrived
    assert totals["events_by_type"]["example.note.recorded.v1"] > 100
    assert totals["events_by_type"]["casework.case.opened.v1"] > 5


def test_every_write_an_api_acknowledged_is_in_its_database(drills):
    assert drills.totals["acknowledged_writes_missing"] == 0
    assert all(count > 0 for count in drills.totals["acknowledged_writes"].values())


def test_while_a_dependency_is_down_the_apis_answer_503_with_retry_after_never_500(drills):
    answers = drills.totals["answers"]
    assert (answers["500"], answers["503_without_retry_after"], answers["other_5xx"]) == (
        0, 0, 0), drills.totals["server_errors"]
    # the database's outage was met by the load: the APIs said so, with Retry-After
    assert kinds(drills)["restart_postgres_immediate"]["answers"]["503_with_retry_after"] > 0


def test_a_standby_relay_takes_over_when_the_leading_relay_is_killed(drills):
    crash = kinds(drills)["crash_leading_relay"]
    crashed, successor = crash["target"].split(" -> ")
    assert crashed != successor
    assert crash["takeover_s"] > 0
    assert crash["lost"] == 0


def test_the_flow_resumes_by_itself_after_each_restart_and_crash(drills):
    for kind in ("restart_rabbitmq_kill9", "restart_postgres_immediate", "crash_leading_relay"):
        assert kinds(drills)[kind]["notes_flowing_again_s"] > 0, kind
