"""HTTP API of the intake service (blueprints and marshmallow schemas)."""

from __future__ import annotations

from flask_smorest import Api

from ...domain.errors import IntakeError
from .access import domain_problem


def register(api: Api) -> None:
    from . import case_proposals, handovers, intakes, lists, target_groups

    for module in (intakes, lists, target_groups, case_proposals, handovers):
        module.blp.register_error_handler(IntakeError, domain_problem)
        api.register_blueprint(module.blp)
