"""Links from generative themes to county-level case conferences (ids only: the conferences stay
in casework), and the cycle view (*Planungskreislauf*): where every theme stands in steps 1–6 of
the Höxter planning process (DOMAIN.md §8).
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from lotse_platform.http import Blueprint
from lotse_platform.auth import current_principal, requires
from lotse_platform.service import handle, request_uow

from ...domain.conference_links import MAX_LINKS
from ...domain.cycle import STATUS_STEPS, STEPS
from ...domain.forum_commands import LinkConferences
from ...service_layer import forum as forum_service
from ...service_layer.forum_access import (
    CYCLE_READERS,
    FORUM_WRITERS,
)

blp = Blueprint("cycle", __name__, url_prefix="/",
                description="Conference links of themes and the planning cycle view")


class ConferenceLinksSchema(ma.Schema):
    conference_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                    validate=ma.validate.Length(max=MAX_LINKS), metadata={
                                        "description": "ids of county-level case conferences "
                                                       "(casework's); the theme links exactly "
                                                       "these afterwards"})


class ConferenceLinkSchema(ma.Schema):
    conference_id = ma.fields.UUID(required=True)
    linked_on = ma.fields.Date(required=True)


@blp.route("/themes/<uuid:theme_id>/conference-links")
class ThemeConferenceLinks(MethodView):
    @blp.arguments(ConferenceLinksSchema)
    @blp.response(200, ConferenceLinkSchema(many=True))
    @requires(*FORUM_WRITERS)
    def put(self, body, theme_id: uuid.UUID):
        """Set the county-level case conferences (*Fallkonferenzen*) a theme came up in, as ids:
        the conferences stay in casework, nothing of them is copied here."""
        return handle(LinkConferences(theme_id, tuple(body["conference_ids"])),
                      current_principal())

    @blp.response(200, ConferenceLinkSchema(many=True))
    @requires(*FORUM_WRITERS)
    def get(self, theme_id: uuid.UUID):
        """The conferences a theme links to (ids; open them in casework)."""
        return forum_service.conference_links(request_uow(current_principal()), theme_id)


# -- the cycle view -----------------------------------------------------------------------------

class StepSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    label_de = ma.fields.String(required=True)


class StepStateSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    label_de = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={
        "description": "done | current | open | skipped (step 1 without reconstructed cases)"})


class EvidenceCountsSchema(ma.Schema):
    reconstruction = ma.fields.Integer(required=True, metadata={
        "description": "reconstructed cases that show it"})
    reported_topic = ma.fields.Integer(required=True, metadata={
        "description": "topics of 2-week reports"})
    forum_statement = ma.fields.Integer(required=True, metadata={
        "description": "anonymous statements of the participation forum"})


class ThemeInCycleSchema(ma.Schema):
    theme_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={
        "description": ", ".join(STATUS_STEPS)})
    step = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "1–6 (DOMAIN.md §8); null for a status this view does not know"})
    label_de = ma.fields.String(required=True)
    evidence = ma.fields.Nested(EvidenceCountsSchema, required=True)
    conference_links = ma.fields.Integer(required=True)
    changed_on = ma.fields.Date(allow_none=True, required=True, metadata={
        "description": "the latest day known to have changed it"})
    steps = ma.fields.List(ma.fields.Nested(StepStateSchema), required=True)


class CycleSchema(ma.Schema):
    steps = ma.fields.List(ma.fields.Nested(StepSchema), required=True)
    themes = ma.fields.List(ma.fields.Nested(ThemeInCycleSchema), required=True)
    themes_per_step = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                                     required=True, metadata={"description": "step number → "
                                                                             "themes there"})


@blp.route("/cycle", methods=["GET"])
@blp.response(200, CycleSchema)
@requires(*CYCLE_READERS)
def planning_cycle():
    """Where every generative theme stands in the planning cycle (steps 1–6 of the Höxter
    planning process: Fallrekonstruktion, Generatives Thema, Beschluss der Lenkungsgruppe,
    Projektarbeitsgruppe, Ergebnis beschlossen, Umgesetzt / an die Landesebene gegeben), derived
    from its status, with its evidence counted per kind. Counts, no case ids."""
    placed = forum_service.planning_cycle(request_uow(current_principal()))
    per_step = {str(s.number): sum(1 for t in placed if t.step == s.number) for s in STEPS}
    return {"steps": STEPS, "themes": placed, "themes_per_step": per_step}
