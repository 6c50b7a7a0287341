"""The demo county's directory (``make run``): a few dozen services across Höxter's towns with
German names and opening hours (issue 11, "Demo and quality bar"), found by a case manager's
search and by the public directory. Embedded mode (SQLite, FTS5)."""

from __future__ import annotations

from lotse_demo import COUNTY
from lotse_platform.auth.devtokens import DevIssuer

from lotse_network.bootstrap import NetworkService
from lotse_network.service_layer.seed_directory import LOCATIONS, SERVICES
from lotse_network.settings import NetworkSettings

TOWNS = ("hoexter", "brakel", "warburg", "bad-driburg", "beverungen", "borgentreich",
         "steinheim", "nieheim")


def test_the_demo_county_has_a_directory_across_its_towns(tmp_path):
    network = NetworkService(NetworkSettings(
        database_url=f"sqlite:///{tmp_path / 'network.db'}", mode="embedded",
        key_dir=tmp_path / "keys"))  # the demo's referrals and minutes are encrypted (ADR 0104)
    network.migrate()
    assert network.seed_demo(COUNTY) > 0
    assert network.seed_demo(COUNTY) == 0, "seeding again writes nothing"
    assert len(SERVICES) >= 30
    assert {town for *_, town in LOCATIONS} >= set(TOWNS)
    issuer = DevIssuer()
    network.trust(issuer.keys(), issuer.issuer)
    client = network.create_app().test_client()
    token = issuer.issue("cm", COUNTY.tenant_id, str(COUNTY.organisation("stadt-hoexter").id),
                         ["case_manager"], [str(COUNTY.area("hoexter").id)])
    headers = {"Authorization": f"Bearer {token}"}

    everything = client.get("/services", headers=headers, query_string={"limit": 100})
    assert everything.get_json()["total"] == len(SERVICES)
    in_warburg = client.get("/services", headers=headers, query_string={
        "area_id": str(COUNTY.area("warburg").id), "topic_area": "language"}).get_json()
    assert "Integrationskurs Warburg (VHS)" in {s["name"] for s in in_warburg["items"]}
    debts = client.get("/services", headers=headers,
                       query_string={"q": "Schuldnerberatung"}).get_json()
    assert {s["kind"] for s in debts["items"]} == {"debt_counselling"}
    public = client.get(f"/public/{COUNTY.tenant_id}/services",
                        query_string={"kind": "youth_migration_service"})
    assert public.status_code == 200, "the demo county's public directory is on"
    assert [s["name"] for s in public.get_json()["items"]] == [
        "Jugendmigrationsdienst (JMD) Höxter"]
