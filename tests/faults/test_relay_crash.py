"""The relay is killed with SIGKILL after the broker confirmed a batch and before it marked the
rows sent. After a restart the events are sent again; the consumer's effect exists once."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from lotse_platform.testing import poll

from ..conftest import start_example
from ..support.pipeline import Running, consumed, inbox_count, record_notes, tally, unpublished

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_relay_killed_between_publish_and_mark_resends_and_effect_happens_once(
    example, example_env, tmp_path: Path
):
    tenant = uuid.uuid4()
    record_notes(example, tenant, "cluster-nord", 3)
    duplicates_before = consumed("duplicate")

    with Running(example.consumer().run):
        crashing = start_example(["worker", "--only", "relay"],
                                 {**example_env, "LOTSE_FAULT_POINTS": "relay.after_publish"})
        try:
            poll(lambda: (tmp_path / "relay.after_publish.reached").exists(), timeout=30,
                 message="the relay to publish and reach the fault point")
        finally:
            crashing.kill()  # SIGKILL: no cleanup, no marking
            crashing.wait(timeout=10)

        # the broker had confirmed them, so the consumer got them once; the outbox still
        # says unsent because the relay died before marking
        poll(lambda: tally(example, tenant, "cluster-nord") == 3, message="first delivery")
        assert unpublished(example) == 3

        relay = start_example(["worker", "--only", "relay"], example_env)
        try:
            poll(lambda: unpublished(example) == 0, timeout=30, message="the resend")
            poll(lambda: consumed("duplicate") - duplicates_before >= 3, timeout=30,
                 message="the consumer to receive the three resent events")
        finally:
            relay.terminate()
            assert relay.wait(timeout=20) == 0, relay.stderr.read().decode()[-2000:]

    assert tally(example, tenant, "cluster-nord") == 3
    assert inbox_count(example) == 3
