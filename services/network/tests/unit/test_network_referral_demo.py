"""The demo county's referrals (``make run``): referrals of the demo cases in every state, resting
on the demo people's releases, the case managers' lists filled. Embedded mode (SQLite).
Seed: issue 11 "Demo and quality bar: … referrals in every state"; DOMAIN.md §5 linking."""

from __future__ import annotations

from lotse_demo import COUNTY
from lotse_platform.auth.devtokens import DevIssuer

from lotse_network.bootstrap import NetworkService
from lotse_network.domain.referrals import STATES
from lotse_network.settings import NetworkSettings


def test_the_demo_has_referrals_in_every_state_and_the_case_managers_lists(tmp_path):
    network = NetworkService(NetworkSettings(
        database_url=f"sqlite:///{tmp_path / 'network.db'}", mode="embedded",
        key_dir=tmp_path / "keys"))  # the demo's referrals and minutes are encrypted (ADR 0104)
    network.migrate()
    assert network.seed_demo(COUNTY) > 0
    assert network.seed_demo(COUNTY) == 0, "once"
    with network.uow(COUNTY.tenant_id) as uow:
        referrals = uow.all_referrals()
        assert {r.status for r in referrals} == set(STATES)
        released = {c.consent_id: c for c in uow.consents_of(referrals[0].intake_id)}
        assert set(referrals[0].consent_ids) <= set(released)
        cancelled = next(r for r in referrals if r.status == "cancelled")
        assert cancelled.shared_hidden_on is not None, "its release was withdrawn"
    issuer = DevIssuer()
    network.trust(issuer.keys(), issuer.issuer)
    client = network.create_app().test_client()

    def listed(username: str, name: str) -> list[str]:
        user = COUNTY.user(username)
        token = issuer.issue(str(user.id), COUNTY.tenant_id,
                             str(COUNTY.organisation(user.organisation).id), ["case_manager"])
        answer = client.get(f"/referrals?list={name}", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.get_json()
        return [r["status"] for r in answer.get_json()]

    assert listed("cm.beverungen", "without_arrival") == ["accepted"]
    assert listed("cm.hoexter", "waiting") == ["sent"]
    assert listed("cm.hoexter", "feedback_due") == ["arrived"]
