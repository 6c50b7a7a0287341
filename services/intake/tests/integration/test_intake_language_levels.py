"""Language levels: a CEFR level per language with its evidence (certificate kind) and date,
recorded with the person's languages; events carry the levels as codes only."""

from __future__ import annotations

import pytest

from intake_helpers import days_ago, events, person
from lotse.intake.v1 import events_pb2

pytestmark = pytest.mark.integration

Level = events_pb2.LanguageLevel


def test_a_level_per_language_with_its_certificate_is_recorded_and_published_as_codes(
    api, intake, tenant
):
    # 004 L144: "Bei einigen Teilnehmenden konnte nachweislich das Sprachniveau verbessert
    # und/oder offizielle Nachweise für den Sprachstand erbracht werden"
    levels = [{"language": "de", "level": "A2", "evidence": "dtz", "assessed_on": days_ago(60)},
              {"language": "ar", "level": "C2", "evidence": "self_assessment",
               "assessed_on": days_ago(3)}]
    recorded = api.record(who=person(languages=["ar", "de"], language_levels=levels))

    read = api.get(f"/intakes/{recorded['id']}", api.actors.case_manager()).get_json()
    (event,) = events(intake, tenant, "intake.contact.recorded.v1")

    assert read["person"]["language_levels"] == levels
    assert [(lv.language, lv.level, lv.evidence) for lv in event.language_levels] == [
        ("de", Level.LEVEL_A2, Level.EVIDENCE_DTZ), ("ar", Level.LEVEL_C2,
                                                     Level.EVIDENCE_SELF_ASSESSMENT)]
    assert days_ago(60) not in str(event)


@pytest.mark.parametrize("level, field", [
    ({"language": "fa", "level": "B1", "evidence": "telc", "assessed_on": days_ago(1)},
     "person.language_levels.0.language"),
    ({"language": "de", "level": "B3", "evidence": "telc", "assessed_on": days_ago(1)},
     "person.language_levels.0.level"),
    ({"language": "de", "level": "B1", "evidence": "hearsay", "assessed_on": days_ago(1)},
     "person.language_levels.0.evidence"),
    ({"language": "de", "level": "B1", "evidence": "telc", "assessed_on": days_ago(-1)},
     "person.language_levels.0.assessed_on"),
])
def test_a_level_outside_cefr_or_the_persons_languages_is_refused_naming_the_field(
    api, level, field
):
    response = api.post("/intakes", api.actors.case_manager(), {
        "person": person(languages=["de"], language_levels=[level]),
        "access_path": "self_referral", "area_id": "area-hoexter", "contact_date": days_ago(1)})

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
