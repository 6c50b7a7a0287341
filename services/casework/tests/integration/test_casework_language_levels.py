"""Language levels with their evidence and day, from intake's first contact into the assessment
and each re-assessment, so that progress can be counted (seed 004 L144: "Im Rahmen der
Sprachförderung wurden … offizielle Nachweise für den Sprachstand")."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from lotse_platform.testing import days_ago, days_ahead

from lotse.casework.v1 import events_pb2 as ev
from lotse.kim.v1 import vocabulary_pb2 as kim

from casework_steps import assessment, drive, ok
from casework_support import open_test_case

pytestmark = pytest.mark.integration


def test_levels_travel_from_intake_and_each_assessment_counts_the_progress(
        casework, tenant, as_user, superuser):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea", language_levels=[
        {"language": "de", "level": "A1", "evidence": "self_assessment",
         "assessed_on": days_ago(40)}])
    assert ok(lea.get(f"/cases/{case_id}"), 200)["person"]["language_levels"] == [
        {"language": "de", "level": "A1", "evidence": "self_assessment",
         "assessed_on": days_ago(40)}], "intake's first-contact levels come with the handover"
    drive(lea, case_id, "assessment")

    def assess(*levels):
        return lea.post(f"/cases/{case_id}/assessments", assessment(language_levels=[
            {"language": lang, "level": level, "evidence": evidence, "assessed_on": on}
            for lang, level, evidence, on in levels]))

    ok(assess(("de", "A2", "dtz", days_ago(2)), ("ar", "C2", "self_assessment", days_ago(2))),
       201)
    ok(assess(("de", "B1", "telc", days_ago(0))), 201)  # a re-assessment may come any time

    listed = ok(lea.get(f"/cases/{case_id}/assessments"), 200)
    assert [a["language_levels"] for a in listed][-1] == [
        {"language": "de", "level": "B1", "evidence": "telc", "assessed_on": days_ago(0)}]
    with superuser.connect() as connection:
        payloads = connection.execute(sa.text(
            "SELECT payload FROM outbox WHERE event_type = 'casework.language_level.assessed.v1'"
            " AND aggregate_id = :a ORDER BY sequence"), {"a": str(case_id)}).scalars().all()
    events = [ev.LanguageLevelAssessed.FromString(p) for p in payloads]
    assert [(e.assessment_version, e.language, e.previous_level, e.level, e.certified)
            for e in events] == [
        (1, "de", kim.CEFR_LEVEL_A1, kim.CEFR_LEVEL_A2, True),
        (1, "ar", kim.CEFR_LEVEL_UNSPECIFIED, kim.CEFR_LEVEL_C2, False),
        (2, "de", kim.CEFR_LEVEL_A2, kim.CEFR_LEVEL_B1, True)]
    assert events[0].evidence == kim.LANGUAGE_EVIDENCE_DTZ


@pytest.mark.parametrize(("level", "field"), [
    ({"language": "de", "level": "D1", "evidence": "dtz"}, "language_levels.0.level"),
    ({"language": "de", "level": "A1", "evidence": "hearsay"}, "language_levels.0.evidence"),
    ({"language": "deutsch!", "level": "A1", "evidence": "dtz"}, "language_levels.0.language"),
    ({"language": "de", "level": "A1", "evidence": "dtz", "assessed_on": days_ahead(1)},
     "language_levels.0.assessed_on"),
])
def test_a_level_is_a_cefr_level_with_known_evidence_and_a_past_day(
        casework, tenant, as_user, level, field):
    lea = as_user("cm-lea")
    case_id = open_test_case(casework, tenant, "cm-lea")
    drive(lea, case_id, "assessment")
    refused = lea.post(f"/cases/{case_id}/assessments", assessment(
        language_levels=[{"assessed_on": days_ago(0), **level}]))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == [field]
    twice = lea.post(f"/cases/{case_id}/assessments", assessment(language_levels=[
        {"language": "de", "level": "A1", "evidence": "dtz", "assessed_on": days_ago(0)},
        {"language": "DE", "level": "A2", "evidence": "dtz", "assessed_on": days_ago(0)}]))
    assert [e["field"] for e in twice.get_json()["errors"]] == ["language_levels.1.language"]
