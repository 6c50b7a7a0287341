"""Project groups (*Projektarbeitsgruppen*) as the steering group mandates them (DOMAIN.md §8
step 3): the approved proposal's mandate becomes the group's record in ``project_groups``, and
``steering.project_group.mandated.v1`` is published. The group's members, meetings, goal
systems and service chains are kept in their own tables keyed by ``project_group_id``."""

from __future__ import annotations

from datetime import date

from lotse.steering.v1.events_pb2 import ProjectGroupMandated

from ..domain.decisions import DecisionProposal
from ..domain.mandates import ProjectGroup
from .unit_of_work import SteeringUnitOfWork


def mandate_project_group(uow: SteeringUnitOfWork, proposal: DecisionProposal,
                          decided_on: date) -> ProjectGroup:
    """The project group an approved ``mandate_project_group`` proposal creates, in the
    decision's transaction (the caller holds the unit of work and commits)."""
    mandate = proposal.mandate or {}
    assert proposal.theme_id is not None  # a mandate concerns a theme (DecisionProposal.draft)
    group = ProjectGroup(theme_id=proposal.theme_id, decision_id=proposal.id,
                         subject=mandate.get("subject", ""),
                         objective=mandate.get("objective", ""),
                         composition=mandate.get("composition", ""),
                         working_form=mandate.get("working_form", ""),
                         expected_result=mandate.get("expected_result", ""),
                         special_requirements=mandate.get("special_requirements", ""),
                         mandated_on=decided_on)
    uow.add_project_group(group)
    proposal.project_group_id = group.id
    uow.publish(ProjectGroupMandated(project_group_id=str(group.id),
                                     theme_id=str(group.theme_id),
                                     decision_id=str(proposal.id),
                                     mandated_on=decided_on.isoformat()),
                aggregate_id=group.id, sequence=1)
    uow.audit("create", "project_group", group.id, reason="mandate")
    return group
