"""Network's free text encrypted with the tenant's keys (issue 15 point 4, ADR 0104), on the
real PostgreSQL: a referral's reason, the data released with it and the partner's feedback are
ciphertext in their columns and text through the API; after ``keys destroy`` the API answers
410; without a key store a write answers 503."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from lotse_platform.auth import AUTHORITY_LIAISON, COORDINATOR
from lotse_platform.cli import _keys
from lotse_platform.crypto import FieldUnreadable, key_id_of
from lotse_platform.sealing import LocalKeyDirectory
from lotse_platform.testing import Running, TokenCaller, days_ago, poll, service_on

from test_network_referrals import ABH, FEEDBACK, REASON, body, give, kept

pytestmark = pytest.mark.integration

PHONE = "0170 1234567"


class Args:
    def __init__(self, action: str, tenant: uuid.UUID, **more) -> None:
        self.action, self.tenant, self.yes, self.batch_size = action, tenant, False, 500
        self.__dict__.update(more)


@pytest.fixture
def orgs(network, tenant):
    from lotse_platform.references import ORGANISATION, Known
    from lotse_platform.testing import put_directory

    put_directory(network, tenant, [Known(ORGANISATION, ABH)])


def stored(superuser, table: str, column: str, row_id) -> str:
    with superuser.connect() as connection:
        return connection.execute(sa.text(f'SELECT "{column}"::text FROM "{table}" '
                                          "WHERE id = :id"), {"id": row_id}).scalar_one()


def referred(network, intake, broker_url, tenant, superuser, lea) -> str:
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        release = give(broker_url, tenant, intake, intake_id, ABH, ["residence"])
        poll(lambda: kept(superuser, release), message="the release in the copy")
    made = lea.post("/referrals", body(intake_id, ABH, shared=[
        {"category": "contact", "content": PHONE}]))
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def test_a_referrals_texts_are_ciphertext_in_the_columns_and_text_through_the_api(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    lea = as_user("cm-lea")
    aylin = as_user("abh-aylin", roles=(AUTHORITY_LIAISON,), org=ABH)
    referral_id = referred(network, intake, broker_url, tenant, superuser, lea)
    declined = aylin.post(f"/referrals/{referral_id}/steps",
                          {"step": "declined", "text": FEEDBACK})
    assert declined.status_code == 201, declined.get_json()

    reason = stored(superuser, "referrals", "reason", referral_id)
    shared = stored(superuser, "referrals", "shared", referral_id)
    for value in (reason, shared):
        assert value.startswith("lotse1$")
        assert "Aufenthaltserlaubnis" not in value and "0170" not in value
    assert key_id_of(reason) in LocalKeyDirectory(network.settings.key_directory).key_ids(tenant)
    with superuser.connect() as connection:
        texts = connection.execute(sa.text(
            "SELECT text FROM referral_steps WHERE referral_id = :r AND text IS NOT NULL"),
            {"r": referral_id}).scalars().all()
    assert texts and all(t.startswith("lotse1$") and "Behörde" not in t for t in texts)

    mine = lea.get(f"/referrals/{referral_id}").get_json()
    assert mine["reason"] == REASON
    assert [s["content"] for s in mine["shared"]] == [PHONE]
    assert FEEDBACK in [s.get("text") for s in mine["steps"]]
    with pytest.raises(FieldUnreadable):  # copied into another column it opens nothing
        network.field_cipher.decrypt(tenant, "referral_steps.text", reason)


def test_after_the_keys_are_destroyed_a_referral_answers_410(
        network, intake, orgs, broker_url, tenant, superuser, as_user):
    lea = as_user("cm-lea")
    referral_id = referred(network, intake, broker_url, tenant, superuser, lea)
    assert _keys("network", network, Args("destroy", tenant, yes=True)) == 0
    network.field_cipher.forget(tenant)  # as every process does within its cache time
    refused = lea.get(f"/referrals/{referral_id}")
    assert refused.status_code == 410
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.get_json()["type"].endswith("encrypted-data-unreadable")


def test_without_a_key_store_a_meeting_with_minutes_answers_503(
        network_db, broker_url, issuer, tenant):
    from lotse_network.bootstrap import NetworkService
    from lotse_platform.testing import known_directory, put_directory

    keyless = service_on(NetworkService, network_db, broker_url, issuer, key_dir=None)
    try:
        put_directory(keyless, tenant, known_directory(organisations=["org-kreis"]))
        office = TokenCaller(keyless.create_app().test_client(),
                             issuer.issue("user-koch", tenant, "org-kreis", [COORDINATOR]))
        body_id = office.post("/bodies", {
            "name": "Netzwerktreffen", "kind": "network_meeting",
            "member_org_ids": ["org-kreis"]}).get_json()["id"]
        refused = office.post(f"/bodies/{body_id}/meetings", {
            "held_on": days_ago(1), "participant_org_ids": ["org-kreis"],
            "minutes": "Fall einer Familie besprochen"})
        assert refused.status_code == 503, refused.get_json()
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert keyless.settings.key_directory is None
    finally:
        keyless.engine.dispose()

