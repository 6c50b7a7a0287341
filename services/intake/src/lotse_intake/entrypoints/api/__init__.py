"""HTTP API of the intake service (blueprints and marshmallow schemas)."""

from __future__ import annotations

from flask_smorest import Api


def register(api: Api) -> None:
    from . import (
        anonymous,
        case_proposals,
        forms,
        handovers,
        households,
        intakes,
        lists,
        signed_copies,
        target_groups,
    )

    for module in (intakes, lists, target_groups, case_proposals, handovers, anonymous,
                   households, signed_copies, forms):
        api.register_blueprint(module.blp)
