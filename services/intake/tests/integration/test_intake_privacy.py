"""No personal data leaves intake in events, logs, metric labels or the audit trail: a whole
intake with distinctive data, then a search for every piece of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from intake_helpers import audit_entries, outbox_rows, person, screening_form
from lotse_intake.adapters import orm

pytestmark = pytest.mark.integration

SECRETS = ["Zeynep", "Yıldırım-Özdemir", "1987-11-23", "+49 5271 987654", "zeynep@example.org",
           "Corveyer Allee 7", "Schulden beim Vermieter", "Duldung seit 2019", "duldung",
           "middle_east", "2016-02-29", "Nachbarin brachte sie"]


def test_events_logs_metrics_and_audit_entries_hold_no_personal_data(api, actors, intake, tenant,
                                                                     capfd, caplog):
    who = person(given="Zeynep", family="Yıldırım-Özdemir", born="1987-11-23",
                 contact={"phone": "+49 5271 987654", "email": "zeynep@example.org",
                          "address": "Corveyer Allee 7"})
    intake_id = api.record(who=who, note="Nachbarin brachte sie", access_path="word_of_mouth")["id"]
    form = screening_form(facts={"residence_statuses": ["duldung"], "region_of_origin": "middle_east",
                                 "arrived_in_germany_on": "2016-02-29"})
    form["criteria"][0]["note"] = "Schulden beim Vermieter"
    assert api.put(f"/intakes/{intake_id}/screening", actors.case_manager(), form).status_code == 200
    api.decide(intake_id, "case_management", note="Duldung seit 2019")
    api.consent(intake_id, "data_protection_information", language="tr")
    api.consent(intake_id, "counselling_agreement")
    api.consent(intake_id, "release_of_confidentiality", partner_org_id="org-kreis",
                topic_areas=["residence", "housing"])
    assert api.admit(intake_id, justification="Einzelfall").status_code == 201
    api.get(f"/intakes/{intake_id}", actors.case_manager())
    api.get("/intakes/mine", actors.case_manager())
    api.get(f"/handovers/{intake_id}", actors.casework_client())
    metrics = api.client.get("/metrics").get_data(as_text=True)

    payloads = b"".join(row.payload + (row.subject or "").encode()
                        for row in outbox_rows(intake, tenant))
    assert len(outbox_rows(intake, tenant)) == 7
    logged = capfd.readouterr().err + capfd.readouterr().out + caplog.text
    trail = repr([tuple(e) for e in audit_entries(intake, tenant)])
    for secret in SECRETS:
        assert secret.encode() not in payloads, secret
        assert secret not in logged, secret
        assert secret not in metrics, secret
        assert secret not in trail, secret
    # …while the service itself holds them, for the people allowed to see them
    with intake.uow(tenant) as uow:
        stored = uow.session.execute(sa.select(orm.intakes.c.family_name)).scalar_one()
    assert stored == "Yıldırım-Özdemir"
