"""The demo county of ``make run`` (embedded mode, SQLite): Höxter's cooperation agreements
with the Mettmann-style pair, its case-manager exchange every third Wednesday, the quarterly
exchange, a network meeting in Brakel and a few knowledge articles in German (ADR 0085)."""

from __future__ import annotations

from lotse_demo import COUNTY
from lotse_network.bootstrap import NetworkService
from lotse_network.settings import NetworkSettings
from lotse_platform.auth.devtokens import DevIssuer


def test_the_demo_county_shows_agreements_bodies_and_articles(tmp_path):
    """004 L124–L126 (ABH and BAMF ↔ Beratungsakteure), 001 L399 ("jeder dritte
    Mittwochnachmittag"), 001 L410 (quartalsweise), 001 L169 (Wissensdatenbank)."""
    network = NetworkService(NetworkSettings(
        database_url=f"sqlite:///{tmp_path / 'network.db'}", mode="embedded",
        key_dir=tmp_path / "keys"))  # the demo's referrals and minutes are encrypted (ADR 0104)
    network.migrate()
    assert network.seed_demo(COUNTY) > 0
    assert network.seed_demo(COUNTY) == 0, "seeded once"
    issuer = DevIssuer()
    network.trust(issuer.keys(), issuer.issuer)
    koch = COUNTY.user("ks.koch")
    token = issuer.issue(str(koch.id), COUNTY.tenant_id,
                         str(COUNTY.organisation(koch.organisation).id), koch.roles)
    client = network.create_app().test_client()
    headers = {"Authorization": f"Bearer {token}"}

    agreements = client.get("/agreements", headers=headers,
                            query_string={"partner_org_id": str(COUNTY.organisation("awo").id),
                                          "topic_area": "residence"}).get_json()
    bases = sorted(a["basis"] for a in agreements if a["status"] == "initiated")
    assert len(bases) == 2 and all(b.startswith("Lenkungsgruppe 10.05.2023") for b in bases)
    everything = client.get("/agreements", headers=headers).get_json()
    assert any(a["expired"] for a in everything) and not all(a["expired"] for a in everything)

    bodies = {b["kind"]: b for b in client.get("/bodies", headers=headers).get_json()}
    exchange = bodies["case_manager_exchange"]
    assert (exchange["rhythm"], exchange["weekday"], exchange["nth"]) == ("monthly", 2, 3)
    assert len(exchange["next_dates"]) == 3
    assert bodies["exchange_meeting"]["rhythm_label"] == "quartalsweise"
    meetings = client.get(f"/bodies/{bodies['network_meeting']['id']}/meetings",
                          headers=headers).get_json()
    assert meetings[0]["contributions"] and meetings[0]["follow_ups"]

    found = client.get("/articles", headers=headers, query_string={"q": "duldung"}).get_json()
    assert found["total"] == 1 and found["items"][0]["title"] == "Beschäftigungsduldung beantragen"
    words = client.get("/articles", headers=headers,
                       query_string={"q": "Integrationskurs Kostenbefreiung"}).get_json()
    assert [a["title"] for a in words["items"]] == [
        "Integrationskurs: Anmeldung und Kostenbefreiung"], "FTS5: words anywhere in the text"
