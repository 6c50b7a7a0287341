"""The directory's taxonomy, read by a case manager's search and a municipality's website: every
code with its German label, and the legal areas whose services run their own case management
(DOMAIN.md §5: those get a referral, not a takeover). Embedded mode (SQLite)."""

from __future__ import annotations

from lotse_demo import COUNTY
from lotse_platform.auth.devtokens import DevIssuer

from lotse_network.bootstrap import NetworkService
from lotse_network.domain.vocabulary import LABELS, LEGAL_AREAS, SERVICE_KINDS, TOPIC_AREAS
from lotse_network.settings import NetworkSettings


def test_every_code_of_the_taxonomy_has_a_german_label():
    unlabelled = [c for c in (*TOPIC_AREAS, *LEGAL_AREAS, *SERVICE_KINDS)
                  if c != "other" and c not in LABELS]
    assert unlabelled == []


def test_the_taxonomy_is_public_and_marks_the_laws_with_their_own_case_management(tmp_path):
    network = NetworkService(NetworkSettings(
        database_url=f"sqlite:///{tmp_path / 'network.db'}", mode="embedded",
        key_dir=tmp_path / "keys"))  # the demo's referrals and minutes are encrypted (ADR 0104)
    network.migrate()
    network.seed_demo(COUNTY)
    issuer = DevIssuer()
    network.trust(issuer.keys(), issuer.issuer)
    answer = network.create_app().test_client().get("/taxonomy")
    assert answer.status_code == 200, "no token: a municipality's website reads it"
    body = answer.get_json()
    assert {t["code"]: t["label"] for t in body["topic_areas"]}["residence"] == "Aufenthalt"
    own = {t["code"] for t in body["legal_areas"] if t["own_case_management"]}
    assert own == {"sgb_ii", "sgb_iii", "sgb_viii", "sgb_xii", "residence_law"}
    assert "Jugendmigrationsdienst (JMD)" in {t["label"] for t in body["service_kinds"]}
