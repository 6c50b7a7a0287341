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
                                       shared=[{"category": "education",
                                                "content": "Schulbesuch in Kabul bis Klasse 8"}]))
    assert made.status_code == 201, made.get_json()
    referral_id = made.get_json()["id"]

    letter = text_of(lea.get(f"/referrals/{referral_id}/letter"))
    assert "Hauptschule Brakel" in letter and SCHOOL not in letter
    assert REASON in letter and "Schulbesuch in Kabul" in letter and "warme Übergabe" in letter

    intake.withdraw(release, today())
    withdrawn = text_of(lea.get(f"/referrals/{referral_id}/letter"))
    assert REASON not in withdrawn and "Kabul" not in withdrawn, \
        "withdrawn at intake a moment ago: the letter shares nothing"
    assert as_user("cm-other").get(f"/referrals/{referral_id}/letter").status_code == 404
    with superuser.connect() as connection:
        printed = connection.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND record_id = :r"),
            {"r": referral_id}).scalar_one()
    assert printed == 2
