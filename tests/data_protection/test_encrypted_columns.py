"""Every special-category column is stored encrypted with the tenant's keys, or exempt with a
reason (issue 15 point 4, ADR 0104): a new free-text column cannot reach a database in clear
without a line that says why — in every installed service."""

from __future__ import annotations

import pytest

from lotse_platform.crypto import encrypted_columns
from lotse_platform.datamap import (
    load_encryption_exemptions,
    load_service_map,
    unencrypted_special_columns,
)
from lotse_platform.service import installed_services

SERVICES = installed_services()

#: a column of each service's free text that must be among its encrypted columns
FREE_TEXT = {
    "casework": "contacts.notes",
    "intake": "intakes.note",
    "network": "referrals.reason",
    "steering": "forum_statements.text",
    "reporting": "period_report.topics",
    "example": "notes.text",
}


def _id(service) -> str:
    return service.name


@pytest.mark.parametrize("service", SERVICES, ids=_id)
def test_every_special_category_column_is_encrypted_or_exempt_with_a_reason(service):
    data_map = load_service_map(service.__module__, service.metadata)
    exempt = load_encryption_exemptions(service.__module__, service.metadata)
    assert unencrypted_special_columns(service.metadata, data_map, exempt) == []


def test_every_service_with_free_text_encrypts_it():
    by_name = {service.name: service for service in SERVICES}
    assert set(FREE_TEXT) <= set(by_name), "each of them is installed"
    for name, column in FREE_TEXT.items():
        encrypted = {f"{c.table.name}.{c.name}" for c in encrypted_columns(by_name[name].metadata)}
        assert column in encrypted, name


def test_the_forum_invitation_list_is_encrypted_though_not_special_category():
    steering = next(service for service in SERVICES if service.name == "steering")
    encrypted = {f"{c.table.name}.{c.name}" for c in encrypted_columns(steering.metadata)}
    assert {"forum_invitees.name", "forum_invitees.phone", "forum_invitees.email"} <= encrypted
