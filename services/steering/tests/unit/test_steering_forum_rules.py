"""The forum's rules without a database: the topic areas are KIM's, the cycle maps every theme
status to its step, the invitation list checks and normalises what it keeps, information events
move from planned to held only."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from lotse.kim.v1 import vocabulary_pb2 as kim
from lotse_platform.errors import Conflict, Unprocessable
from lotse_steering.domain import cycle, forum, information_events, invitations
from lotse_steering.domain.reconstructions import Theme

TODAY = date(2026, 12, 7)


def test_the_forum_topic_areas_are_the_kim_vocabulary():
    codes = [kim.TopicArea.Name(n).removeprefix("TOPIC_AREA_").lower()
             for n in kim.TopicArea.values() if n]
    assert list(forum.TOPIC_AREAS) == codes


def test_every_theme_status_has_its_step_and_escalated_ends_the_cycle_like_implemented():
    assert {s: step for s, (step, _) in cycle.STATUS_STEPS.items()} == {
        "proposed": 2, "established": 3, "in_project_group": 4, "result_adopted": 5,
        "implemented": 6, "escalated": 6}
    theme = Theme(title="Wohnraum", description="", evidence=[], proposed_on=TODAY,
                  status="result_adopted")
    placed = cycle.place(theme, [])
    assert [s.state for s in placed.steps] == ["skipped", "done", "done", "done", "current",
                                               "open"], "no reconstruction shows it"
    assert placed.evidence == {"reconstruction": 0, "reported_topic": 0, "forum_statement": 0}


def test_reported_topics_count_as_their_kind_and_the_latest_day_is_kept():
    theme = Theme(title="t", description="", proposed_on=TODAY - timedelta(days=30), evidence=[
        {"kind": "reconstruction", "reconstruction_id": "r", "case_id": "c1"},
        {"kind": "period_report", "candidate_id": "p", "period": "2026-W47",
         "topic_area": "housing"},
        {"kind": "forum_statement", "statement_id": "s", "session_id": "x",
         "topic_area": "housing", "attached_on": (TODAY - timedelta(days=3)).isoformat()}])
    placed = cycle.place(theme, [TODAY - timedelta(days=9)])
    assert placed.evidence == {"reconstruction": 1, "reported_topic": 1, "forum_statement": 1}
    assert placed.changed_on == TODAY - timedelta(days=3)


@pytest.mark.parametrize(("given", "kept"), [
    ("0171 2345678", "+491712345678"), ("+49 (5271) 965-0", "+4952719650"),
    ("+90 532 123 45 67", "+905321234567")])
def test_phone_numbers_are_kept_in_e164(given, kept):
    assert invitations.phone_number(given) == kept


def test_an_entry_needs_a_way_to_reach_the_person_and_a_consent_not_in_the_future():
    consent = invitations.Consent(TODAY, "verbal", "Einladungen")
    now = datetime(2026, 12, 7, 10, tzinfo=UTC)
    with pytest.raises(Unprocessable) as neither:
        invitations.new_invitee(uuid.uuid4(), "A", None, "  ", consent, TODAY, now)
    assert neither.value.errors[0]["field"] == "phone"
    with pytest.raises(Unprocessable) as later:
        invitations.new_invitee(uuid.uuid4(), None, None, "a@example.org",
                                invitations.Consent(TODAY + timedelta(days=1), "verbal", "x"),
                                TODAY, now)
    assert later.value.errors[0]["field"] == "consent.given_on"
    entry = invitations.new_invitee(uuid.uuid4(), "  ", None, "a@example.org", consent, TODAY,
                                    now)
    assert entry.name is None and entry.phone is None


def test_the_csv_shows_formulas_as_text():
    entry = invitations.Invitee(forum_id=uuid.uuid4(), name="=HYPERLINK(\"x\")",
                                phone="+491712345678", email="@a@example.org",
                                consent_given_on=TODAY, consent_how="sms",
                                consent_purpose="-Einladungen", recorded_at=datetime(2026, 1, 1, tzinfo=UTC))
    rows = list(csv.reader(io.StringIO(invitations.to_csv([entry]).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1] == ["'=HYPERLINK(\"x\")", "+491712345678", "'@a@example.org", "2026-12-07",
                       "per SMS", "'-Einladungen"]


def test_an_information_event_is_held_once_with_its_attendance():
    event = information_events.InformationEvent(held_on=TODAY, topic="Input", audience="",
                                                speaker_organisation="BAMF")
    information_events.change(event, {"status": "held", "attendance": 0}, TODAY)
    assert event.status_de == "durchgeführt"
    with pytest.raises(Conflict):
        information_events.change(event, {"status": "planned", "attendance": None}, TODAY)
