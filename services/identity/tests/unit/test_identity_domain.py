"""Rules of the identity domain that need no database."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from lotse_identity.domain.model import (
    ApiClient,
    ClientKind,
    DomainError,
    NotGrantable,
    User,
    check_grantable,
)


def user(**kwargs) -> User:
    return User(username="cm.test", display_name="Test", organisation_id=uuid.uuid4(), **kwargs)


def test_an_unknown_role_is_refused_and_named():
    with pytest.raises(DomainError) as refusal:
        user(roles=["case_manager", "superuser"])
    assert refusal.value.field == "roles" and "superuser" in str(refusal.value)


def test_an_fte_share_outside_its_range_is_refused():
    assert user(fte=0.75).fte == Decimal("0.75")
    for wrong in (0, 1.5, -0.5):
        with pytest.raises(DomainError) as refusal:
            user(fte=wrong)
        assert refusal.value.field == "fte"


def test_only_steering_members_vote():
    assert user(roles=["steering_member"], voting=False).voting is False
    with pytest.raises(DomainError) as refusal:
        user(roles=["case_manager"], voting=True)
    assert refusal.value.field == "voting"


def test_losing_the_steering_role_drops_the_voting_right():
    member = user(roles=["steering_member"], voting=True)
    member.assign_roles(["case_manager"])
    assert member.voting is None and member.version == 2


def test_an_organisation_admin_grants_no_tenant_wide_role():
    check_grantable(frozenset({"org_admin"}), ["case_manager", "provider_staff"])
    for role in ("tenant_admin", "coordinator", "auditor"):
        with pytest.raises(NotGrantable):
            check_grantable(frozenset({"org_admin"}), [role])
    check_grantable(frozenset({"tenant_admin"}), ["tenant_admin", "auditor"])


def test_a_public_client_cannot_use_client_credentials():
    with pytest.raises(DomainError) as refusal:
        ApiClient(client_id="console", name="c", kind=ClientKind.public,
                  organisation_id=uuid.uuid4(), grant_types=["client_credentials"])
    assert refusal.value.field == "grant_types"


def test_the_service_role_is_for_machine_clients_granted_by_a_tenant_admin():
    with pytest.raises(DomainError):
        user(roles=["service"])
    with pytest.raises(NotGrantable):
        check_grantable(frozenset({"org_admin"}), ["service"])
    client = ApiClient(client_id="casework", name="casework", kind=ClientKind.confidential,
                       organisation_id=uuid.uuid4(), grant_types=["client_credentials"],
                       roles=["service"])
    assert client.roles == ["service"]
