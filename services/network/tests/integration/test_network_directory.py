"""The referral network's directory (issue 11, ADR 0083) on PostgreSQL and on the embedded
SQLite: delegated maintenance, refusals naming the field, the search a case manager uses in a
conversation (filters, ranking, open now on the county's clock, pages), the public directory
API, and events and audit entries that carry ids and codes only.

The seeds: "Verweisberatung" needs to know which partner offers what, where and when (001 L489,
L495: the network of migration counselling, youth migration service, Jobcenter, employment
agency, immigration office, language courses, schools, volunteers; 002 L385–386)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from lotse_platform.testing import frozen_clock
from network_helpers import (
    AWO,
    BRAKEL,
    CARITAS,
    HOEXTER,
    STEINHEIM,
    WARBURG,
    audit_entries,
    events,
    location,
    organization,
    service,
)

pytestmark = pytest.mark.integration


# -- maintenance, delegated ------------------------------------------------------------------------
def test_the_coordinating_office_enters_a_partner_without_lotse_users_and_a_case_manager_finds_it(
        api):
    """Issue 11: "a directory entry may be a partner without any Lotse user: a language-course
    provider, a school, a volunteer group" (001 L495: Ehrenamt)."""
    volunteers = api.organization(name="Willkommensinitiative Steinheim", identity_org_id=None)
    place = api.location(volunteers["id"], town=STEINHEIM, city="Steinheim")
    cafe = api.service(volunteers["id"], name="Sprachcafé Steinheim", kind="volunteers",
                       topic_areas=["language"], location_ids=[place["id"]],
                       service_area_ids=[STEINHEIM], fees_description="kostenlos")

    found = api.search(q="Sprachcafé")
    assert [s["id"] for s in found["items"]] == [cafe["id"]]
    entry = found["items"][0]
    assert entry["organization_name"] == "Willkommensinitiative Steinheim"
    assert entry["kind_label"] == "Ehrenamtliche Initiative"
    assert entry["locations"][0]["city"] == "Steinheim"
    assert entry["own_case_management"] is False


def test_an_organisations_administrator_maintains_her_own_entries_and_no_others(api):
    """Issue 11: "an organisation's own administrator edits its own entries"; the coordinating
    office edits everything of its county."""
    awo = api.organization(name="AWO Kreisverband Höxter", identity_org_id=AWO)
    caritas = api.organization(name="Caritasverband Brakel", identity_org_id=CARITAS)
    awo_service = api.service(awo["id"])
    caritas_service = api.service(caritas["id"], name="Migrationsberatung Brakel")
    admin = api.actors.org_admin(AWO)

    changed = api.put(f"/services/{awo_service['id']}", admin,
                      service(awo["id"], name="Migrationsberatung der AWO Höxter"))
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["version"] == 2

    assert api.put(f"/services/{caritas_service['id']}", admin,
                   service(caritas["id"])).status_code == 403
    # nor can she move her service to another organisation's entry, or add one for it
    assert api.put(f"/services/{awo_service['id']}", admin,
                   service(caritas["id"])).status_code == 403
    assert api.post("/services", admin, service(caritas["id"])).status_code == 403
    assert api.post("/directory/organizations", admin,
                    organization(identity_org_id=CARITAS)).status_code == 403
    assert api.post("/directory/organizations", admin,
                    organization(identity_org_id=AWO)).status_code == 201
    # a partner's staff and a case manager read, they do not edit
    for reader in (api.actors.partner(), api.actors.case_manager()):
        assert api.put(f"/services/{awo_service['id']}", reader,
                       service(awo["id"])).status_code == 403
        assert api.get(f"/services/{awo_service['id']}", reader).status_code == 200
    assert api.get("/services", api.actors.steering()).status_code == 403
    # the coordinating office edits any
    assert api.put(f"/services/{caritas_service['id']}", api.actors.coordinator(),
                   service(caritas["id"], status="inactive")).status_code == 200


def test_bad_input_is_refused_naming_the_field(api):
    """A precise 422 per field: the directory is what case managers trust in a conversation."""
    org = api.organization()

    def refused(path, body, method="post"):
        answer = getattr(api, method)(path, api.actors.coordinator(), body)
        assert answer.status_code == 422, answer.get_json()
        return {e["field"] for e in answer.get_json()["errors"]}

    assert "kind" in refused("/services", service(org["id"], kind="sauna"))
    assert "languages.0" in str(refused("/services", service(org["id"], languages=["Deutsch"])))
    assert "schedules.0.closes_at" in refused("/services", service(org["id"], schedules=[
        {"weekday": "MO", "opens_at": "14:00", "closes_at": "09:00"}]))
    assert "schedules.0.weekday" in str(refused("/services", service(org["id"], schedules=[
        {"weekday": "Montag", "opens_at": "09:00", "closes_at": "12:00"}])))
    assert "maximum_age" in refused("/services", service(org["id"], minimum_age=27,
                                                         maximum_age=12))
    assert "organization_id" in refused("/services", service(str(uuid.uuid4())))
    assert "location_ids.0" in refused("/services", service(org["id"],
                                                            location_ids=[str(uuid.uuid4())]))
    assert "service_area_ids.0" in refused("/services", service(
        org["id"], service_area_ids=["area-hamburg"]))
    assert "municipality_id" in refused("/directory/locations",
                                        location(org["id"], town="area-hamburg"))
    assert "identity_org_id" in refused("/directory/organizations",
                                        organization(identity_org_id="org-unknown"))
    assert "contacts.0" in refused("/services", service(org["id"], contacts=[
        {"title": "Beratung"}]))


def test_unknown_entries_are_404(api):
    org = api.organization()
    unknown = uuid.uuid4()
    assert api.get(f"/services/{unknown}", api.actors.case_manager()).status_code == 404
    assert api.put(f"/services/{unknown}", api.actors.coordinator(),
                   service(org["id"])).status_code == 404
    assert api.get(f"/directory/organizations/{unknown}",
                   api.actors.case_manager()).status_code == 404
    assert api.put(f"/directory/locations/{unknown}", api.actors.coordinator(),
                   location(org["id"])).status_code == 404


def test_every_change_is_audited_and_published_with_ids_and_codes_only(api, directory_network,
                                                                      tenant):
    """Issue 11: "every change is audited and published (network.service.changed.v1)"; events
    carry no names (ARCHITECTURE.md, Events)."""
    org = api.organization(name="Diakonie Paderborn-Höxter", identity_org_id=AWO)
    place = api.location(org["id"], town=WARBURG, city="Warburg")
    created = api.service(org["id"], name="Flüchtlingsberatung Warburg",
                          kind="refugee_counselling", topic_areas=["residence"],
                          legal_areas=["residence_law", "asylblg"], location_ids=[place["id"]])
    api.put(f"/services/{created['id']}", api.actors.coordinator(), service(
        org["id"], name="Flüchtlingsberatung Warburg", kind="refugee_counselling",
        topic_areas=["residence"], legal_areas=["residence_law", "asylblg"],
        location_ids=[place["id"]], status="inactive"))

    published = events(directory_network, tenant)
    assert [e.version for e, _ in published] == [1, 2]
    first, raw = published[0]
    assert first.service_id == created["id"] and first.organization_id == org["id"]
    assert first.identity_org_id == AWO
    assert first.own_case_management is True
    assert first.location_area_ids == [WARBURG]
    second = published[1][0]
    assert second.change == 3  # DIRECTORY_CHANGE_DEACTIVATED
    assert "status" in second.changed_fields and second.changed_by == "ks-koch"
    for _, payload in published:
        for name in (b"Diakonie", "Flüchtlingsberatung".encode(), b"Warburg", b"+49"):
            assert name not in payload
    audited = {(e.action, e.record_type, e.record_id)
               for e in audit_entries(directory_network, tenant)}
    assert {("create", "directory_organization", org["id"]),
            ("create", "directory_location", place["id"]),
            ("create", "directory_service", created["id"]),
            ("update", "directory_service", created["id"])} <= audited


# -- search --------------------------------------------------------------------------------------------
@pytest.fixture
def county(api):
    """A small county: migration counselling in Höxter (Arabic), debt counselling in Brakel,
    a language course in Warburg for a target group, the Jobcenter (own case management)."""
    awo = api.organization(name="AWO Kreisverband Höxter", identity_org_id=AWO)
    caritas = api.organization(name="Caritasverband Brakel", identity_org_id=CARITAS)
    brakel = api.location(caritas["id"], town=BRAKEL, city="Brakel")
    group = str(uuid.uuid4())
    return {
        "mbe": api.service(awo["id"], name="Migrationsberatung Höxter",
                           topic_areas=["residence", "housing"], languages=["de", "ar"],
                           service_area_ids=[HOEXTER])["id"],
        "debts": api.service(caritas["id"], name="Schuldnerberatung Brakel",
                             kind="debt_counselling", topic_areas=["debts"],
                             languages=["de"], service_area_ids=[],
                             location_ids=[brakel["id"]])["id"],
        "course": api.service(awo["id"], name="Integrationskurs Warburg",
                              description="Deutschkurs bis B1", kind="language_course",
                              topic_areas=["language"], languages=["de"],
                              service_area_ids=[WARBURG], target_group_ids=[group])["id"],
        "jobcenter": api.service(caritas["id"], name="Integration Point",
                                 description="Jobcenter für Geflüchtete", kind="jobcenter",
                                 topic_areas=["work_training"], legal_areas=["sgb_ii"],
                                 languages=["de", "uk"], service_area_ids=[HOEXTER, WARBURG,
                                                                           BRAKEL])["id"],
        "group": group,
    }


def test_each_filter_of_the_search_narrows_it(api, county):
    """Issue 11: search by topic area, municipality, language, target group, kind."""
    def ids(**query):
        return {s["id"] for s in api.search(**query)["items"]}

    assert ids(topic_area="debts") == {county["debts"]}
    # a town: served there, or located there
    assert ids(area_id=BRAKEL) == {county["debts"], county["jobcenter"]}
    assert ids(area_id=HOEXTER) == {county["mbe"], county["jobcenter"]}
    assert ids(language="ar") == {county["mbe"]}
    assert ids(language="uk") == {county["jobcenter"]}
    assert ids(target_group_id=county["group"]) == {county["course"]}
    assert ids(kind="language_course") == {county["course"]}
    assert ids(kind="jobcenter", area_id=WARBURG, language="de") == {county["jobcenter"]}
    assert ids(kind="jobcenter", language="ar") == set()
    assert api.get("/services", api.actors.case_manager(),
                   {"kind": "sauna"}).status_code == 422


def test_inactive_services_are_not_offered(api, county):
    org = api.get(f"/services/{county['mbe']}", api.actors.coordinator()).get_json()
    body = service(org["organization_id"], name="Migrationsberatung Höxter", status="inactive")
    assert api.put(f"/services/{county['mbe']}", api.actors.coordinator(),
                   body).status_code == 200
    assert county["mbe"] not in {s["id"] for s in api.search()["items"]}
    assert county["mbe"] in {s["id"] for s in api.search(include_inactive="true")["items"]}


def test_a_better_text_match_ranks_first_and_equal_ranks_keep_a_stable_order(api):
    """Issue 11: free text, results ranked (German full-text search; FTS5 embedded)."""
    org = api.organization()
    api.service(org["id"], name="Familienberatung", description="Auch Fragen zu Schulden.")
    best = api.service(org["id"], name="Hilfe bei Schulden",
                       description="Schuldnerberatung und Insolvenzberatung")
    api.service(org["id"], name="Sprachkurs", description="Deutsch lernen")

    found = api.search(q="Schuldnerberatung")["items"]
    assert [s["id"] for s in found] == [best["id"]]
    # the word in the name ranks above the word in the description
    names = [s["name"] for s in api.search(q="Schulden")["items"]]
    assert names == ["Hilfe bei Schulden", "Familienberatung"], names
    # equal ranks: by name, then id, on every call
    for n in range(3):
        api.service(org["id"], name=f"Sprachcafé {3 - n}", description="Deutsch sprechen")
    cafes = [s["name"] for s in api.search(q="Sprachcafé")["items"]]
    assert cafes == ["Sprachcafé 1", "Sprachcafé 2", "Sprachcafé 3"]
    # what the text says is not query syntax
    assert api.search(q='" OR * NEAR( -')["total"] >= 0


def test_a_search_for_a_kind_of_service_finds_that_kind_first(api):
    """A case manager in a conversation types the kind ("ein Sprachkurs", "die MBE"): the
    language courses come before a Jobcenter that mentions language courses."""
    org = api.organization()
    api.service(org["id"], name="Integration Point", kind="jobcenter",
                description="Vermittlung in Arbeit, Ausbildung und Sprachkurse")
    course = api.service(org["id"], name="Integrationskurs VHS", kind="language_course",
                         description="Deutsch bis B1 mit Orientierungskurs")
    mbe = api.service(org["id"], name="Beratung für Zugewanderte",
                      kind="migration_counselling_adults", description="Aufenthalt, Arbeit")

    assert [s["id"] for s in api.search(q="Sprachkurs")["items"]][0] == course["id"]
    assert [s["id"] for s in api.search(q="MBE")["items"]] == [mbe["id"]]


def test_open_now_is_the_countys_clock_at_half_past_midnight(api):
    """Issue 11: "open now"; at 23:30 UTC on a Monday in winter it is 00:30 on Tuesday in
    Höxter: the Monday evening hours are over, the night line's Tuesday hours have begun."""
    org = api.organization()
    evening = api.service(org["id"], name="Abendsprechstunde", schedules=[
        {"weekday": "MO", "opens_at": "18:00", "closes_at": "24:00"}])
    night = api.service(org["id"], name="Nachtcafé", schedules=[
        {"weekday": "TU", "opens_at": "00:00", "closes_at": "02:00"}])
    api.service(org["id"], name="Nachtcafé (Sommerpause)", schedules=[
        {"weekday": "TU", "opens_at": "00:00", "closes_at": "02:00",
         "valid_from": "2027-06-01", "valid_to": "2027-08-31"}])

    with frozen_clock(datetime(2026, 12, 7, 23, 30, tzinfo=UTC)):  # a Monday
        open_now = {s["id"] for s in api.search(open_now="true")["items"]}
    assert open_now == {night["id"]}
    with frozen_clock(datetime(2026, 12, 7, 20, 0, tzinfo=UTC)):  # 21:00 in Höxter
        assert {s["id"] for s in api.search(open_now="true")["items"]} == {evening["id"]}


def test_results_come_in_pages(api):
    org = api.organization()
    for n in range(5):
        api.service(org["id"], name=f"Beratung {n}")
    first = api.search(limit=2)
    assert [s["name"] for s in first["items"]] == ["Beratung 0", "Beratung 1"]
    assert (first["total"], first["next_offset"]) == (5, 2)
    last = api.search(limit=2, offset=4)
    assert [s["name"] for s in last["items"]] == ["Beratung 4"]
    assert last["next_offset"] is None and last["total"] == 5
    past = api.search(limit=2, offset=10)
    assert (past["items"], past["total"]) == ([], 5), "a page past the end still says how many"
    assert api.search(q="Zahnarzt")["total"] == 0
    too_many = api.get("/services", api.actors.case_manager(), {"limit": 101})
    assert too_many.status_code == 422
    assert "limit" in {e["field"] for e in too_many.get_json()["errors"]}


# -- the public directory --------------------------------------------------------------------------
def test_the_public_directory_is_off_until_the_coordinating_office_turns_it_on(api, tenant):
    """Issue 11: "a read-only directory API that a municipality's website or an
    Integreat-style app could consume without a token, switchable per tenant, carrying no
    personal data"."""
    org = api.organization()
    entry = api.service(org["id"], name="Migrationsberatung Höxter")
    public = f"/public/{tenant}/services"

    assert api.get(public, None).status_code == 404
    assert api.get(f"{public}/{entry['id']}", None).status_code == 404
    assert api.put("/directory/settings", api.actors.case_manager(),
                   {"public_api": True}).status_code == 403
    assert api.put("/directory/settings", api.actors.coordinator(),
                   {"public_api": True}).status_code == 200

    listed = api.get(public, None, {"q": "Migrationsberatung"})
    assert listed.status_code == 200
    assert [s["id"] for s in listed.get_json()["items"]] == [entry["id"]]
    one = api.get(f"{public}/{entry['id']}", None)
    assert one.status_code == 200
    text = one.get_data(as_text=True)
    assert "ks-koch" not in text and "updated_by" not in text  # who edited it is not public
    assert "+49 5271 6944-0" in text  # the department's phone is
    # another county's public directory is its own (and off)
    assert api.get(f"/public/{uuid.uuid4()}/services", None).status_code == 404
    assert api.put("/directory/settings", api.actors.coordinator(),
                   {"public_api": False}).status_code == 200
    assert api.get(public, None).status_code == 404
