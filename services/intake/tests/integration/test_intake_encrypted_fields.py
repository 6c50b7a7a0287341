"""Intake's free text and the screening's residence details stored encrypted with the tenant's
keys (issue 15 point 4, ADR 0104), on the real PostgreSQL: the columns hold ciphertext, the API
the values."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from intake_helpers import person, screening_form

pytestmark = pytest.mark.integration


def test_notes_and_the_screenings_facts_are_ciphertext_in_the_database(
        api, actors, intake, intake_database, tenant):
    intake_id = api.record(who=person(), note="Nachbarin brachte sie",
                           access_path="word_of_mouth")["id"]
    form = screening_form(facts={"residence_statuses": ["duldung"],
                                 "region_of_origin": "middle_east",
                                 "arrived_in_germany_on": "2016-02-29"})
    form["criteria"][0]["note"] = "Schulden beim Vermieter"
    assert api.put(f"/intakes/{intake_id}/screening", actors.case_manager(),
                   form).status_code == 200
    api.decide(intake_id, "case_management", note="Duldung seit 2019")

    engine = sa.create_engine(intake_database.admin_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            stored = [*connection.execute(sa.text(
                "SELECT note FROM intakes WHERE id = :id"), {"id": intake_id}).one(),
                *connection.execute(sa.text(
                    "SELECT facts, criteria FROM screenings WHERE intake_id = :id"),
                    {"id": intake_id}).one(),
                *connection.execute(sa.text(
                    "SELECT note FROM depth_decisions WHERE intake_id = :id"),
                    {"id": intake_id}).one()]
    finally:
        engine.dispose()
    assert all(value.startswith("lotse1$") for value in stored), stored
    for secret in ("Nachbarin", "duldung", "middle_east", "2016-02-29", "Schulden",
                   "Duldung seit"):
        assert not any(secret in value for value in stored), secret

    shown = json.dumps(api.get(f"/intakes/{intake_id}", actors.case_manager()).get_json())
    for secret in ("Nachbarin brachte sie", "duldung", "middle_east", "Schulden beim Vermieter"):
        assert secret in shown, secret
