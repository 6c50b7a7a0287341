"""Target groups (*Zielgruppen*) of the tenant, as the steering group decided them.

Who may define and end them depends on the instance — the tenant admin and the office; in a
provider's own instance also the provider's organisation admin (its copy of the county's
groups) — so the handler checks it (``service_layer.access.authorize_target_groups``, ADR 0052).
"""

from __future__ import annotations

import uuid

from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import ORG_ADMIN, current_principal, requires
from lotse_platform.errors import NotFound
from lotse_platform.service import handle, request_uow

from ...domain.commands import DefineTargetGroup, EndTargetGroup
from ...domain.target_groups import Conditions
from ...service_layer.access import TARGET_GROUP_ADMINS, TARGET_GROUP_READERS
from .target_group_schemas import (
    CreateTargetGroupSchema,
    TargetGroupQuerySchema,
    TargetGroupSchema,
    UpdateTargetGroupSchema,
)

blp = Blueprint("target_groups", __name__, url_prefix="/target-groups",
                description="Zielgruppen per tenant or municipality, with validity and the "
                            "steering decision that set them")


def _conditions(data: dict) -> Conditions:
    return Conditions(**{**data, "residence_statuses": tuple(data["residence_statuses"]),
                         "regions_of_origin": tuple(data["regions_of_origin"]),
                         "households": tuple(data["households"])})


@blp.route("")
class TargetGroups(MethodView):
    @blp.arguments(CreateTargetGroupSchema)
    @blp.response(201, TargetGroupSchema)
    @requires(*TARGET_GROUP_ADMINS, ORG_ADMIN)
    def post(self, body):
        """Define a target group (tenant admin, coordinating office; in a provider's own
        instance also the provider's organisation admin)."""
        principal = current_principal()
        return handle(DefineTargetGroup(
            name=body["name"], conditions=_conditions(body["conditions"]),
            valid_from=body["valid_from"], valid_until=body["valid_until"],
            area_ids=body["area_ids"], description=body["description"],
            steering_decision_ref=body["steering_decision_ref"], defined_by=principal.subject,
        ), principal)

    @blp.arguments(TargetGroupQuerySchema, location="query")
    @blp.response(200, TargetGroupSchema(many=True))
    @requires(*TARGET_GROUP_READERS)
    def get(self, query):
        """The tenant's target groups, optionally those valid on a day / for an area."""
        principal = current_principal()
        with request_uow(principal) as uow:
            groups = uow.target_groups.all()
        if "valid_on" in query:
            groups = [g for g in groups if g.is_valid_on(query["valid_on"])]
        if "area_id" in query:
            groups = [g for g in groups if g.applies_to(query["area_id"])]
        return groups


@blp.route("/<uuid:target_group_id>")
class TargetGroupById(MethodView):
    @blp.response(200, TargetGroupSchema)
    @requires(*TARGET_GROUP_READERS)
    def get(self, target_group_id: uuid.UUID):
        with request_uow(current_principal()) as uow:
            group = uow.target_groups.get(target_group_id)
        if group is None:
            raise NotFound("no such target group")
        return group

    @blp.arguments(UpdateTargetGroupSchema)
    @blp.response(200, TargetGroupSchema)
    @requires(*TARGET_GROUP_ADMINS, ORG_ADMIN)
    def patch(self, body, target_group_id: uuid.UUID):
        """End (or extend) a target group, as the steering group decided."""
        return handle(EndTargetGroup(target_group_id, body["valid_until"]), current_principal())
