"""Project groups (*Projektarbeitsgruppen*, docs/steering.md, ADR 0096): the groups the user
may read, one group's mandate, members and meetings, its goal system drawn as a nested tree
(Leitziel → Rahmenziel → Ergebnisziel → Aktivität, each with its indicators) and its service
chains as the steering service draws them (SVG, fetched with the user's token and handed on)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from ...adapters.apis import ServiceUnavailable
from .common import apis, block, for_roles_of, refused, refused_status, token

bp = Blueprint("groups", __name__)


def _organisation_names() -> dict[str, str]:
    """Organisation id → name, from identity (every role may read the organisations)."""
    answer = apis().get(token(), "identity", "organisations")
    if not answer.ok or not isinstance(answer.body, list):
        return {}
    return {org["id"]: org["name"] for org in answer.body}


@bp.get("/projektgruppen")
@for_roles_of("groups.project_groups")
def project_groups() -> ResponseReturnValue:
    answer = apis().get(token(), "steering", "project-groups")
    refused(answer)
    return render_template("steering/groups.html", title="Projektarbeitsgruppen",
                           groups=answer.body or [])


@bp.get("/projektgruppe/<uuid:group_id>")
@for_roles_of("groups.project_groups")
def project_group(group_id: uuid.UUID) -> ResponseReturnValue:
    answer = apis().get(token(), "steering", f"project-groups/{group_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    group: dict[str, Any] = answer.body
    goal_system = block("steering", f"project-groups/{group_id}/goal-system")
    chains = block("steering", f"project-groups/{group_id}/service-chains")
    names = _organisation_names()
    if isinstance(goal_system.data, dict):
        names.update(goal_system.data.get("organisation_names") or {})
    return render_template("steering/group.html", title="Projektarbeitsgruppe", group=group,
                           goal_system=goal_system, chains=chains, names=names)


@bp.get("/projektgruppe/<uuid:group_id>/kette/<uuid:chain_id>.svg")
@for_roles_of("groups.project_groups")
def chain_drawing(group_id: uuid.UUID, chain_id: uuid.UUID) -> ResponseReturnValue:
    """The service chain as the steering service draws it, fetched with the user's token."""
    fetched = apis().file(token(), "steering",
                          f"project-groups/{group_id}/service-chains/{chain_id}.svg")
    refused_status(fetched.status)
    if fetched.status != 200:
        raise ServiceUnavailable("steering")
    return Response(fetched.content, headers={"Content-Type": fetched.content_type})
