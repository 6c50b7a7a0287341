"""The referral letter: the documented channel to a partner without Lotse users (issue 11) —
what the partner would read in its inbox, the released data confirmed with intake when it is
printed, the partner by its name (ADR 0086), never a withdrawn release's data."""

from __future__ import annotations

import io
import uuid

import pypdf
import pytest
import sqlalchemy as sa
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import Running, poll, put_directory, today

from test_network_referrals import REASON, body, give, kept

pytestmark = pytest.mark.integration

SCHOOL = str(uuid.uuid5(uuid.NAMESPACE_DNS, "hauptschule-brakel"))


def text_of(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in
                     pypdf.PdfReader(io.BytesIO(response.get_data())).pages)


def test_the_letter_carries_what_the_release_allows_and_nothing_once_it_is_withdrawn(
        network, intake, broker_url, tenant, superuser, as_user):
    put_directory(network, tenant, [Known(ORGANISATION, SCHOOL, version=1,
                                          name="Hauptschule Brakel")])
    lea = as_user("cm-lea")
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        release = give(broker_url, tenant, intake, intake_id, SCHOOL, ["education"])
        poll(lambda: kept(superuser, release), message="the release's copy")
    made = lea.post("/referrals", body(intake_id, SCHOOL, topic_area="education",
                                       shared=[{"category": "person",
                                                "content": "Farid Popal (geb. 12.05.2009)"},
                                               {"category": "education",
                                                "content": "Schulbesuch in Kabul bis Klasse 8"}]))
    assert made.status_code == 201, made.get_json()
    referral_id = made.get_json()["id"]

    letter = text_of(lea.get(f"/referrals/{referral_id}/letter"))
    assert "Hauptschule Brakel" in letter and SCHOOL not in letter
    assert REASON in letter and "Schulbesuch in Kabul" in letter and "warme Übergabe" in letter
    assert "Farid Popal (geb. 12.05.2009)" in letter, "the school knows whom to expect"

    intake.withdraw(release, today())
    withdrawn = text_of(lea.get(f"/referrals/{referral_id}/letter"))
    assert REASON not in withdrawn and "Kabul" not in withdrawn, \
        "withdrawn at intake a moment ago: the letter shares nothing"
    assert "Popal" not in withdrawn and "nicht weitergegeben" in withdrawn
    assert as_user("cm-other").get(f"/referrals/{referral_id}/letter").status_code == 404
    with superuser.connect() as connection:
        printed = connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND record_id = :r"),
            {"r": referral_id}).scalar_one()
    assert printed == 2


def test_a_referral_shows_the_agreements_that_cover_it_an_expired_one_flagged(
        network, intake, broker_url, tenant, superuser, as_user):
    """Issue 11: "A referral to a partner shows the agreement that covers it; an expired agreement
    is flagged" (001 L140 "Fallweitergabe … siehe auch Kooperationsvereinbarungen")."""
    from lotse_platform.auth import COORDINATOR
    from lotse_platform.testing import days_ago, days_ahead

    put_directory(network, tenant, [Known(ORGANISATION, SCHOOL, version=1,
                                          name="Hauptschule Brakel")])
    office = as_user("ks-koch", roles=(COORDINATOR,), org="org-kreis", areas=())
    for title, until in (("Schulkooperation Brakel", days_ahead(200)),
                         ("Pilot Schulsozialarbeit", days_ago(1))):
        made = office.post("/agreements", {
            "title": title, "party_org_ids": [SCHOOL], "other_parties": ["Kreis Höxter"],
            "topic_areas": ["education"],
            "valid_from": days_ago(400), "valid_until": until, "status": "signed",
            "signed_on": days_ago(401)})
        assert made.status_code == 201, made.get_json()
    assert office.post("/agreements", {
        "title": "Wohnen", "party_org_ids": [SCHOOL], "other_parties": ["Kreis Höxter"],
        "topic_areas": ["housing"], "status": "signed", "signed_on": days_ago(30)}
    ).status_code == 201
    lea = as_user("cm-lea")
    intake_id = str(uuid.uuid4())
    with Running(network.consumer().run):
        release = give(broker_url, tenant, intake, intake_id, SCHOOL, ["education"])
        poll(lambda: kept(superuser, release), message="the release's copy")
    referral = lea.post("/referrals", body(intake_id, SCHOOL, topic_area="education",
                                           shared=[])).get_json()

    seen = lea.get(f"/referrals/{referral['id']}").get_json()["agreements"]
    assert [(a["title"], a["in_force"], a["expired"]) for a in seen] == [
        ("Schulkooperation Brakel", True, False), ("Pilot Schulsozialarbeit", False, True)]
