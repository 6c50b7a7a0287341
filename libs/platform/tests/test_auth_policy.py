"""The policy: role × organisation × area, tenant-wide roles unlimited by the last two."""

from __future__ import annotations

import uuid

import pytest

from lotse_platform.auth import (
    AUDITOR,
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    PROVIDER_STAFF,
    STEERING_MEMBER,
    TENANT_ADMIN,
    Principal,
    authorize,
    requires,
)
from lotse_platform.errors import Forbidden

TENANT = uuid.uuid4()


def principal(*roles: str, organisation: str = "org-awo", areas=("nord",)) -> Principal:
    return Principal(subject="user-17", tenant=TENANT, organisation=organisation,
                     areas=frozenset(areas), roles=frozenset(roles))


def forbidden(*args, **kwargs) -> str:
    with pytest.raises(Forbidden) as caught:
        authorize(*args, **kwargs)
    return caught.value.detail


def test_a_principal_without_an_allowed_role_is_forbidden():
    detail = forbidden(principal(STEERING_MEMBER), (CASE_MANAGER, COORDINATOR))

    assert detail == "this action requires one of the roles: case_manager, coordinator"


def test_another_organisation_is_forbidden():
    detail = forbidden(principal(ORG_ADMIN, organisation="org-awo"), (ORG_ADMIN,),
                       organisation="org-caritas")

    assert "organisation" in detail


def test_an_area_the_principal_does_not_serve_is_forbidden():
    detail = forbidden(principal(CASE_MANAGER, areas=("nord",)), (CASE_MANAGER,), area="sued")

    assert "area" in detail


def test_organisation_and_area_must_both_match_when_both_are_named():
    case_manager = principal(CASE_MANAGER, organisation="org-awo", areas=("nord",))

    authorize(case_manager, (CASE_MANAGER,), organisation="org-awo", area="nord")
    assert "organisation" in forbidden(case_manager, (CASE_MANAGER,), organisation="org-drk",
                                       area="nord")
    assert "area" in forbidden(case_manager, (CASE_MANAGER,), organisation="org-awo", area="sued")


def test_matching_role_organisation_and_area_pass():
    authorize(principal(PROVIDER_STAFF, organisation="org-caritas"), (PROVIDER_STAFF,),
              organisation="org-caritas")
    authorize(principal(CASE_MANAGER, areas=("nord", "sued")), [CASE_MANAGER], area="sued")


@pytest.mark.parametrize("role", [TENANT_ADMIN, COORDINATOR, AUDITOR])
def test_tenant_wide_roles_are_not_limited_by_organisation_or_area(role):
    authorize(principal(role, organisation="org-ki", areas=()), (role, CASE_MANAGER),
              organisation="org-awo", area="sued")


def test_a_tenant_wide_role_still_needs_to_be_among_the_allowed_roles():
    assert "requires one of the roles" in forbidden(principal(TENANT_ADMIN), (CASE_MANAGER,))


def test_a_scoped_role_does_not_borrow_the_reach_of_a_tenant_wide_one_it_is_not_allowed():
    both = principal(AUDITOR, CASE_MANAGER, areas=("nord",))

    assert "area" in forbidden(both, (CASE_MANAGER,), area="sued")


def test_a_rule_must_name_known_roles():
    with pytest.raises(ValueError):
        requires("case_manger")
    with pytest.raises(ValueError):
        requires()
    with pytest.raises(ValueError):
        authorize(principal(CASE_MANAGER), ())


def test_a_single_role_string_is_one_role_not_its_letters():
    authorize(principal(CASE_MANAGER), CASE_MANAGER)


def test_refusals_carry_no_personal_data():
    someone = Principal(subject="erika.mustermann", tenant=TENANT, organisation="org-awo",
                        areas=frozenset({"nord"}), roles=frozenset({CASE_MANAGER}))

    for detail in (forbidden(someone, (ORG_ADMIN,)),
                   forbidden(someone, (CASE_MANAGER,), organisation="org-x"),
                   forbidden(someone, (CASE_MANAGER,), area="sued")):
        assert "erika" not in detail and "org-x" not in detail and "sued" not in detail
