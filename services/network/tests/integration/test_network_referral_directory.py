"""A referral that names a service names one of the directory (ADR 0083, ADR 0084): an active
service offered by the partner it goes to — issue 11: "a case manager refers a case … to a
service"; 001 L489 (Verweisberatung to the partners of the network)."""

from __future__ import annotations

import uuid

import pytest

from lotse_network.domain.directory import (
    DirectoryService,
    Organization,
    SaveOrganization,
    SaveService,
)
from lotse_network.service_layer.directory import save_organization, save_service
from lotse_platform.references import ORGANISATION, Known
from lotse_platform.testing import put_directory

pytestmark = pytest.mark.integration

ABH = str(uuid.uuid5(uuid.NAMESPACE_DNS, "abh"))
JOBCENTER = str(uuid.uuid5(uuid.NAMESPACE_DNS, "jobcenter"))


def _service(network, tenant, identity_org: str, name: str, status="active") -> str:
    put_directory(network, tenant, [Known(ORGANISATION, ABH), Known(ORGANISATION, JOBCENTER)])
    org = save_organization(SaveOrganization(Organization(
        name=f"Partner {name}", description="Behörde", identity_org_id=identity_org)),
        network.uow(tenant))
    return str(save_service(SaveService(DirectoryService(
        organization_id=org, name=name, description="Sprechstunde", kind="immigration_office",
        status=status)), network.uow(tenant)))


def test_a_referral_names_an_active_service_of_its_partner(network, tenant, as_user):
    lea = as_user("cm-lea")
    abh_service = _service(network, tenant, ABH, "Ausländerbehörde Kreis Höxter")
    closed = _service(network, tenant, ABH, "Außenstelle (geschlossen)", status="inactive")
    jobcenter_service = _service(network, tenant, JOBCENTER, "Integration Point")

    def referral(service_id):
        return lea.post("/referrals", {
            "intake_id": str(uuid.uuid4()), "partner_org_id": ABH, "service_id": service_id,
            "mode": "referral_counselling", "topic_area": "residence", "reason": "Termin",
            "urgency": "normal", "shared": []})

    for wrong in (jobcenter_service, closed, str(uuid.uuid4())):
        refused = referral(wrong)
        assert refused.status_code == 422, refused.get_json()
        assert [e["field"] for e in refused.get_json()["errors"]] == ["service_id"]
    # the partner's own active service passes the directory; the release is asked next
    assert referral(abh_service).status_code != 422
