"""The data-protection officer's role (*Datenschutzbeauftragte/r*, ADR 0100): a platform role
with its German label, granted by the tenant's administrator only, acting on no record."""

from __future__ import annotations

import pytest

from lotse_demo import COUNTY
from lotse_identity.domain.model import NotGrantable, check_grantable
from lotse_platform.auth import DATA_PROTECTION_OFFICER, TENANT_WIDE_ROLES
from lotse_platform.auth.principal import ROLE_LABELS, ROLES


def test_the_data_protection_officer_is_a_platform_role_with_its_german_label():
    assert DATA_PROTECTION_OFFICER in ROLES
    assert ROLE_LABELS[DATA_PROTECTION_OFFICER] == "Datenschutzbeauftragte/r"
    # no record-level access anywhere: the data-protection APIs name the role themselves
    assert DATA_PROTECTION_OFFICER not in TENANT_WIDE_ROLES


def test_only_a_tenant_administrator_grants_the_data_protection_role():
    check_grantable(frozenset({"tenant_admin"}), [DATA_PROTECTION_OFFICER])
    with pytest.raises(NotGrantable):
        check_grantable(frozenset({"org_admin"}), [DATA_PROTECTION_OFFICER])


def test_the_demo_county_has_a_data_protection_officer():
    holders = [u.username for u in COUNTY.users if DATA_PROTECTION_OFFICER in u.roles]
    assert holders == ["datenschutz"]
