"""A project group's work (issue 13 step 4, ADR 0096): its members and meetings, its goal
system and service chains, and the result it presents to the steering group.

The group itself comes from the steering group's mandate decision: the decision's handler calls
:func:`mandate_from_decision` in its transaction (ADR 0095); :func:`mandate_project_group` is the
plain function that creates one with the mandate's fields (tests use it directly).

Who may do what (:func:`~.access.group_access`): the coordinating office edits everything; the
group's members read the group and edit its goal system and service chains; steering members
read; anyone else is refused. Each write leaves an audit entry (ids and codes only).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lotse.steering.v1.events_pb2 import ProjectGroupMandated
from lotse_platform import clock
from lotse_platform.errors import Conflict, Forbidden, NotFound, ProblemError
from lotse_platform.references import ORGANISATION, USER, Wanted, check, organisation_names

from ..domain.decisions import DecisionProposal
from ..domain.goal_systems import (
    GoalNode,
    GoalSystem,
    activities,
    phrasing_warnings,
    tree,
    validate,
)
from ..domain.project_groups import (
    MANDATED,
    PRESENTED,
    AlreadyPresented,
    InvalidGroupWork,
    MemberEntry,
    ProjectGroup,
    ResultPresentation,
    meeting,
    meeting_warnings,
    members_of,
    membership_warnings,
)
from ..domain.service_chains import ChainStep, ServiceChain, handovers, ordered
from .access import EDIT, READ, WORK, group_access, sees_every_group
from .unit_of_work import SteeringUnitOfWork


class PreconditionFailed(ProblemError):
    """412: ``If-Match`` names another version than the current one."""

    status, title, type_suffix = 412, "Precondition Failed", "precondition-failed"


class PreconditionRequired(ProblemError):
    """428: replacing what exists needs ``If-Match`` with the version read (no lost update
    between two members editing at once)."""

    status, title, type_suffix = 428, "Precondition Required", "precondition-required"


class NothingToPresent(Conflict):
    """409: a result is presented with a goal system."""


_ACCESS_ORDER = (READ, WORK, EDIT)


@dataclass(frozen=True)
class Mandate:
    """The mandate's fields as the steering group decided them (seed 001 L511)."""

    theme_id: uuid.UUID
    decision_id: uuid.UUID
    subject: str
    objective: str
    composition: str = ""
    working_form: str = ""
    expected_result: str = ""
    special_requirements: str = ""


def mandate_project_group(uow: SteeringUnitOfWork, mandate: Mandate,
                          mandated_on: date | None = None) -> uuid.UUID:
    """Create the project group a mandate decision establishes (status ``mandated``)."""
    with uow:
        group = add_mandated_group(uow, mandate, mandated_on or uow.today())
        uow.commit()
    return group.id


def add_mandated_group(uow: SteeringUnitOfWork, mandate: Mandate,
                       mandated_on: date) -> ProjectGroup:
    """The group, in the caller's transaction (the caller commits)."""
    group = ProjectGroup(theme_id=mandate.theme_id, decision_id=mandate.decision_id,
                         subject=mandate.subject, objective=mandate.objective,
                         composition=mandate.composition, working_form=mandate.working_form,
                         expected_result=mandate.expected_result,
                         special_requirements=mandate.special_requirements,
                         mandated_on=mandated_on)
    uow.add_project_group(group)
    uow.audit("create", "project_group", group.id)
    return group


def mandate_from_decision(uow: SteeringUnitOfWork, proposal: DecisionProposal,
                          decided_on: date) -> ProjectGroup:
    """The project group an approved ``mandate_project_group`` proposal creates, in the
    decision's transaction, with ``steering.project_group.mandated.v1`` (ADR 0095)."""
    fields = proposal.mandate or {}
    assert proposal.theme_id is not None  # a mandate concerns a theme (DecisionProposal.draft)
    group = add_mandated_group(uow, Mandate(
        theme_id=proposal.theme_id, decision_id=proposal.id,
        subject=fields.get("subject", ""), objective=fields.get("objective", ""),
        composition=fields.get("composition", ""), working_form=fields.get("working_form", ""),
        expected_result=fields.get("expected_result", ""),
        special_requirements=fields.get("special_requirements", "")), decided_on)
    proposal.project_group_id = group.id
    uow.publish(ProjectGroupMandated(project_group_id=str(group.id),
                                     theme_id=str(group.theme_id),
                                     decision_id=str(proposal.id),
                                     mandated_on=decided_on.isoformat()),
                aggregate_id=group.id, sequence=1)
    return group


# -- access ------------------------------------------------------------------------------------

def _group(uow: SteeringUnitOfWork, group_id: uuid.UUID, needs: str) -> tuple[ProjectGroup, str]:
    """The group and what the caller may do with it; 404 for none of this tenant, 403 when the
    caller may not do what ``needs`` names."""
    group = uow.get_project_group(group_id)
    if group is None:
        raise NotFound("no such project group")
    principal = uow.principal
    is_member = principal is not None and any(
        m.user_id == principal.subject for m in uow.group_members(group_id))
    access = group_access(principal, is_member)
    if _ACCESS_ORDER.index(access) < _ACCESS_ORDER.index(needs):
        raise _refusal(needs)
    return group, access


def _refusal(needs: str) -> ProblemError:
    if needs == EDIT:
        return Forbidden("the coordinating office keeps the group's mandate, members, meetings "
                         "and the presentation of its result")
    return Forbidden("the group's members and the coordinating office edit its goal system and "
                     "service chains; the steering group reads them")


def _mandated(group: ProjectGroup) -> None:
    if group.status != MANDATED:
        raise AlreadyPresented("the group presented its result; its work is read-only")


def _check_version(current: str | None, if_match: str | None) -> None:
    """``If-Match`` against the current entity tag: required once there is something to
    replace (428), and it names the current version or ``*`` (412 otherwise)."""
    if if_match is None or not if_match.strip():
        if current is not None:
            raise PreconditionRequired("send If-Match with the ETag you read (the current "
                                       "version is in the ETag header of a GET)",
                                       extensions={"etag": current})
        return
    tags = [t.strip() for t in if_match.split(",")]
    if "*" in tags:
        return
    if current is None or current not in tags:
        raise PreconditionFailed("changed since it was read (If-Match)",
                                 extensions={"etag": current} if current else {})


# -- the group: mandate, members, meetings -----------------------------------------------------

def _view(uow: SteeringUnitOfWork, group: ProjectGroup, access: str) -> dict[str, Any]:
    members = uow.group_members(group.id)
    meetings = uow.group_meetings(group.id)
    return {
        "id": group.id, "theme_id": group.theme_id, "decision_id": group.decision_id,
        "subject": group.subject, "objective": group.objective,
        "composition": group.composition, "working_form": group.working_form,
        "expected_result": group.expected_result,
        "special_requirements": group.special_requirements,
        "mandated_on": group.mandated_on, "status": group.status,
        "members": members, "meetings": meetings,
        "warnings": meeting_warnings(group, meetings, uow.today())
        + membership_warnings(members),
        "your_access": access,
    }


def project_groups(uow: SteeringUnitOfWork) -> list[dict[str, Any]]:
    """The tenant's groups for the office and the steering group; a member's own groups for
    anyone else (none for a case manager who is no member)."""
    with uow:
        principal = uow.principal
        groups = uow.list_project_groups()
        mine = uow.groups_of_member(principal.subject) if principal is not None else set()
        if not sees_every_group(principal):
            groups = [g for g in groups if g.id in mine]
        return [_view(uow, g, group_access(principal, g.id in mine)) for g in groups]


def project_group(uow: SteeringUnitOfWork, group_id: uuid.UUID) -> dict[str, Any]:
    with uow:
        group, access = _group(uow, group_id, READ)
        return _view(uow, group, access)


def replace_members(uow: SteeringUnitOfWork, group_id: uuid.UUID, entries: list[MemberEntry]
                    ) -> dict[str, Any]:
    """The office sets the group's members (replacing the list): each a user of the tenant
    belonging to the organisation named beside it (422 naming ``members.<i>.…`` otherwise)."""
    with uow:
        group, access = _group(uow, group_id, EDIT)
        _mandated(group)
        members = members_of(group.id, entries)
        check(uow.references, [
            w for i, e in enumerate(entries) for w in (
                Wanted(f"members.{i}.organisation_id", ORGANISATION, e.organisation_id),
                Wanted(f"members.{i}.user_id", USER, e.user_id,
                       organisation=e.organisation_id,
                       organisation_field=f"members.{i}.organisation_id"))])
        uow.replace_group_members(group.id, members)
        uow.audit("update", "project_group", group.id, reason="members")
        uow.commit()
        return _view(uow, group, access)


def record_meeting(uow: SteeringUnitOfWork, group_id: uuid.UUID, held_on: date,
                   duration_minutes: int, topics: list[str], notes: str) -> dict[str, Any]:
    """The office records a meeting of the group (up to three hours, 422 above)."""
    with uow:
        group, access = _group(uow, group_id, EDIT)
        uow.add_group_meeting(meeting(group, held_on, duration_minutes, topics, notes,
                                      clock.now()))
        uow.audit("update", "project_group", group.id, reason="meeting")
        uow.commit()
        return _view(uow, group, access)


# -- the goal system ---------------------------------------------------------------------------

def _goal_system_view(uow: SteeringUnitOfWork, group: ProjectGroup,
                      goal_system: GoalSystem | None) -> dict[str, Any]:
    nodes = goal_system.nodes if goal_system is not None else []
    return {"group_id": group.id, "version": goal_system.version if goal_system else 0,
            "etag": goal_system.etag if goal_system else None,
            "updated_at": goal_system.updated_at if goal_system else None,
            "updated_by": goal_system.updated_by if goal_system else None,
            "tree": tree(nodes),
            "warnings": phrasing_warnings([_node(n) for n in nodes]),
            "organisation_names": organisation_names(
                uow.references, [a["responsible_organisation_id"] for a in activities(nodes)])}


def _node(document: Mapping[str, Any]) -> GoalNode:
    return GoalNode(key=document["key"], parent=document["parent"], level=document["level"],
                    title=document["title"], indicators=tuple(document["indicators"]),
                    sources=tuple(document["sources"]),
                    assumptions=tuple(document["assumptions"]),
                    responsible_organisation_id=document["responsible_organisation_id"])


def goal_system(uow: SteeringUnitOfWork, group_id: uuid.UUID) -> dict[str, Any]:
    """The group's goal system as one nested tree (``tree`` null while there is none), its
    version (the ETag) and the advice on phrasing."""
    with uow:
        group, _access = _group(uow, group_id, READ)
        return _goal_system_view(uow, group, uow.goal_system(group.id))


def replace_goal_system(uow: SteeringUnitOfWork, group_id: uuid.UUID, nodes: list[GoalNode],
                        if_match: str | None) -> dict[str, Any]:
    """Replace the whole tree (the office or a member): validated as a tree (422 naming
    ``nodes.<i>.<field>``), responsible organisations checked against identity's directory,
    ``If-Match`` against the version read (428 without it once a tree exists, 412 for an old
    one). Phrasing is advice: it comes back as warnings."""
    with uow:
        group, _access = _group(uow, group_id, WORK)
        _mandated(group)
        current = uow.goal_system(group.id)
        _check_version(current.etag if current else None, if_match)
        validate(nodes)
        check(uow.references, [
            Wanted(f"nodes.{i}.responsible_organisation_id", ORGANISATION,
                   n.responsible_organisation_id) for i, n in enumerate(nodes)])
        # kept in the request's order: a warning's ``nodes.<i>`` names the node the client sent
        documents = [n.document() for n in nodes]
        actor = uow.principal.subject if uow.principal else "system"
        if current is None:
            current = GoalSystem(group_id=group.id, nodes=documents, version=1,
                                 updated_at=clock.now(), updated_by=actor)
            uow.add_goal_system(current)
        else:
            current.nodes = documents
            current.version += 1
            current.updated_at = clock.now()
            current.updated_by = actor
        uow.audit("update", "goal_system", group.id, reason=f"version:{current.version}")
        uow.commit()
        return _goal_system_view(uow, group, current)


# -- service chains ----------------------------------------------------------------------------

def _chain_view(uow: SteeringUnitOfWork, chain: ServiceChain) -> dict[str, Any]:
    return {"id": chain.id, "group_id": chain.group_id, "title": chain.title,
            "description": chain.description, "goal_key": chain.goal_key,
            "steps": chain.steps, "handovers": handovers(chain), "actors": chain.actors,
            "organisation_names": organisation_names(uow.references, chain.actors),
            "version": chain.version, "etag": chain.etag, "updated_at": chain.updated_at,
            "updated_by": chain.updated_by}


@dataclass(frozen=True)
class ChainDraft:
    title: str
    description: str
    goal_key: str | None
    steps: list[ChainStep]


def _checked_steps(uow: SteeringUnitOfWork, group_id: uuid.UUID, draft: ChainDraft
                   ) -> list[dict[str, Any]]:
    steps = ordered(draft.steps)
    check(uow.references, [Wanted(f"steps.{i}.organisation_id", ORGANISATION, s.organisation_id)
                           for i, s in enumerate(draft.steps)])
    if draft.goal_key is not None:
        current = uow.goal_system(group_id)
        keys = {n["key"] for n in current.nodes} if current is not None else set()
        if draft.goal_key not in keys:
            raise InvalidGroupWork("goal_key", "names no node of the group's goal system")
    return steps


def service_chains(uow: SteeringUnitOfWork, group_id: uuid.UUID) -> list[dict[str, Any]]:
    with uow:
        group, _access = _group(uow, group_id, READ)
        return [_chain_view(uow, c) for c in uow.service_chains(group.id)]


def service_chain(uow: SteeringUnitOfWork, group_id: uuid.UUID, chain_id: uuid.UUID
                  ) -> dict[str, Any]:
    with uow:
        group, _access = _group(uow, group_id, READ)
        chain = uow.service_chain(group.id, chain_id)
        if chain is None:
            raise NotFound("no such service chain in this project group")
        return _chain_view(uow, chain)


def chain_for_drawing(uow: SteeringUnitOfWork, group_id: uuid.UUID, chain_id: uuid.UUID
                      ) -> tuple[ServiceChain, dict[str, str]]:
    """The chain and its actors' names, for the SVG."""
    with uow:
        group, _access = _group(uow, group_id, READ)
        chain = uow.service_chain(group.id, chain_id)
        if chain is None:
            raise NotFound("no such service chain in this project group")
        return chain, organisation_names(uow.references, chain.actors)


def create_service_chain(uow: SteeringUnitOfWork, group_id: uuid.UUID, draft: ChainDraft
                         ) -> dict[str, Any]:
    """A new service chain of the group (the office or a member), validated (see
    :mod:`~lotse_steering.domain.service_chains`)."""
    with uow:
        group, _access = _group(uow, group_id, WORK)
        _mandated(group)
        steps = _checked_steps(uow, group.id, draft)
        chain = ServiceChain(group_id=group.id, title=draft.title,
                             description=draft.description, goal_key=draft.goal_key,
                             steps=steps, version=1, updated_at=clock.now(),
                             updated_by=uow.principal.subject if uow.principal else "system")
        uow.add_service_chain(chain)
        uow.audit("create", "service_chain", chain.id)
        uow.commit()
        return _chain_view(uow, chain)


def replace_service_chain(uow: SteeringUnitOfWork, group_id: uuid.UUID, chain_id: uuid.UUID,
                          draft: ChainDraft, if_match: str | None) -> dict[str, Any]:
    """Replace a chain whole, with ``If-Match`` as for the goal system."""
    with uow:
        group, _access = _group(uow, group_id, WORK)
        _mandated(group)
        chain = uow.service_chain(group.id, chain_id)
        if chain is None:
            raise NotFound("no such service chain in this project group")
        _check_version(chain.etag, if_match)
        chain.steps = _checked_steps(uow, group.id, draft)
        chain.title, chain.description, chain.goal_key = (draft.title, draft.description,
                                                          draft.goal_key)
        chain.version += 1
        chain.updated_at = clock.now()
        chain.updated_by = uow.principal.subject if uow.principal else "system"
        uow.audit("update", "service_chain", chain.id, reason=f"version:{chain.version}")
        uow.commit()
        return _chain_view(uow, chain)


# -- the result --------------------------------------------------------------------------------

def _result_view(uow: SteeringUnitOfWork, group: ProjectGroup) -> dict[str, Any]:
    presentation = uow.group_result(group.id)
    return {
        "group_id": group.id, "theme_id": group.theme_id,
        "mandate_decision_id": group.decision_id, "subject": group.subject,
        "objective": group.objective, "expected_result": group.expected_result,
        "status": group.status, "presented": presentation is not None,
        "presented_on": presentation.presented_on if presentation else None,
        "presented_by": presentation.presented_by if presentation else None,
        "summary": presentation.summary if presentation else None,
        "members": len(uow.group_members(group.id)),
        "organisations": len({m.organisation_id for m in uow.group_members(group.id)}),
        "meetings": len(uow.group_meetings(group.id)),
        "goal_system": _goal_system_view(uow, group, uow.goal_system(group.id)),
        "service_chains": [_chain_view(uow, c) for c in uow.service_chains(group.id)],
        "proposal": {"kind": "adopt_result", "project_group_id": group.id,
                     "theme_id": group.theme_id,
                     "subject": f"Ergebnis der Projektarbeitsgruppe: {group.subject}"},
    }


def result(uow: SteeringUnitOfWork, group_id: uuid.UUID) -> dict[str, Any]:
    """What a decision proposal to adopt the group's result attaches: the mandate's subject and
    objective, the goal system as a tree, the service chains, the summary (null before it is
    presented) and the proposal's kind and references."""
    with uow:
        group, _access = _group(uow, group_id, READ)
        return _result_view(uow, group)


def present_result(uow: SteeringUnitOfWork, group_id: uuid.UUID, summary: str
                   ) -> dict[str, Any]:
    """The office marks the group's result presented to the steering group, with its summary
    (409 without a goal system or when presented already). The group's work becomes
    read-only; the steering group's decision on it is a proposal of kind ``adopt_result``."""
    with uow:
        group, _access = _group(uow, group_id, EDIT)
        _mandated(group)
        if uow.goal_system(group.id) is None:
            raise NothingToPresent("a result is presented with the group's goal system; it "
                                   "has none yet")
        uow.add_group_result(ResultPresentation(
            group_id=group.id, summary=summary, presented_on=uow.today(),
            presented_by=uow.principal.subject if uow.principal else "system"))
        group.status = PRESENTED
        uow.audit("update", "project_group", group.id, reason="result:presented")
        uow.commit()
        return _result_view(uow, group)
