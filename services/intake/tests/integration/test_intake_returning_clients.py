"""Returning clients and parallel care: at a first contact the case manager searches the
tenant for an earlier intake of the same person (audited, ids and dates only) and records
which other service already counsels the person."""

from __future__ import annotations

import pytest

from intake_helpers import BRAKEL, audit_entries, person

pytestmark = pytest.mark.integration


def search(api, token=None, given="Amina", family="Haddad", born="1990-04-12",
           purpose="returning_client"):
    return api.post("/intakes/earlier", token or api.actors.case_manager(), {
        "given_name": given, "family_name": family, "date_of_birth": born, "purpose": purpose})


def test_an_earlier_intake_of_the_same_person_is_found_tenant_wide_with_ids_and_dates_only(
    api, actors, intake, tenant
):
    # 001 L211: "dass sie sich bei Bedarf jederzeit wieder an das KIM-Case Management wenden
    # können"; 000 L170: "Parallelbetreuungen"
    brakel = actors.case_manager("cm-brakel", areas=(BRAKEL,))
    earlier = api.record(brakel, area=BRAKEL, who=person(given="Amina", family="Haddad"))
    api.record(brakel, area=BRAKEL, who=person(given="Amira", family="Haddad"))
    api.record(brakel, area=BRAKEL, who=person(given="Amina", family="Haddad",
                                               born="1991-04-12"))

    found = search(api, given="  amina ", family="HADDAD", purpose="parallel_care")

    assert found.status_code == 200
    (match,) = found.get_json()
    assert match == {"intake_id": earlier["id"], "area_id": BRAKEL,
                     "contact_date": earlier["contact_date"], "status": "recorded",
                     "admitted_on": None}
    searches = [e for e in audit_entries(intake, tenant) if e.reason == "search:parallel_care"]
    assert sorted(str(e.record_id) for e in searches) == sorted(["None", earlier["id"]])
    assert {e.actor for e in searches} == {"cm-hoexter"}


def test_a_search_needs_name_birth_date_and_a_known_purpose(api):
    without_birth = api.post("/intakes/earlier", api.actors.case_manager(), {
        "given_name": "Amina", "family_name": "Haddad", "purpose": "returning_client"})
    curious = search(api, purpose="curiosity")
    partner = search(api, api.actors.partner())

    assert [e["field"] for e in without_birth.get_json()["errors"]] == ["date_of_birth"]
    assert [e["field"] for e in curious.get_json()["errors"]] == ["purpose"]
    assert partner.status_code == 403


def test_the_first_contact_records_other_services_already_counselling_the_person(api):
    # 002 L335: "ggf. auch um Doppelförderung zu vermeiden"
    recorded = api.record(other_services=[{"org_id": "org-mbe", "kind": "migration_counselling"},
                                          {"org_id": "org-jmd",
                                           "kind": "youth_migration_service"}])
    unknown = api.post("/intakes", api.actors.case_manager(), {
        "person": person(), "access_path": "self_referral", "area_id": "area-hoexter",
        "contact_date": recorded["contact_date"],
        "other_services": [{"org_id": "org-mbe", "kind": "migration_counselling"},
                           {"org_id": "org-nowhere", "kind": "other"}]})

    read = api.get(f"/intakes/{recorded['id']}", api.actors.case_manager()).get_json()
    assert read["other_services"] == [
        {"org_id": "org-mbe", "kind": "migration_counselling"},
        {"org_id": "org-jmd", "kind": "youth_migration_service"}]
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["other_services.1.org_id"]
