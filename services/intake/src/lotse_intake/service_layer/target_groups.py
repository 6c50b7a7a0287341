"""Target groups of the tenant: defined as the steering group decided them, ended when it
ends them. They hold no personal data.

Who may (:func:`.access.authorize_target_groups`) depends on the instance: the county's intake
lets the tenant admin and the office, a provider's own instance (``operator_org_id`` set, a
dependency the bus injects) also the provider's organisation admin.
"""

from __future__ import annotations

from lotse_platform.references import AREA, check, wanted_all

from ..domain.commands import DefineTargetGroup, EndTargetGroup
from ..domain.errors import UnknownRecord
from ..domain.target_groups import TargetGroup
from . import access
from .unit_of_work import IntakeUnitOfWork


def define_target_group(cmd: DefineTargetGroup, uow: IntakeUnitOfWork, *,
                        operator_org_id: str) -> TargetGroup:
    access.authorize_target_groups(uow.principal, operator_org_id)
    with uow:
        check(uow.references, wanted_all("area_ids", AREA, cmd.area_ids))
        group = TargetGroup.define(
            cmd.name, cmd.conditions, cmd.valid_from, valid_until=cmd.valid_until,
            area_ids=list(cmd.area_ids), description=cmd.description,
            steering_decision_ref=cmd.steering_decision_ref, created_by=cmd.defined_by,
            id=cmd.target_group_id,
        )
        uow.target_groups.add(group)
        uow.commit()
    return group


def end_target_group(cmd: EndTargetGroup, uow: IntakeUnitOfWork, *,
                     operator_org_id: str) -> TargetGroup:
    access.authorize_target_groups(uow.principal, operator_org_id)
    with uow:
        group = uow.target_groups.get(cmd.target_group_id)
        if group is None:
            raise UnknownRecord("no such target group")
        group.end(cmd.valid_until)
        uow.commit()
    return group
