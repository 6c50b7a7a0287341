"""Case conferences (Fallkonferenzen): on the town level convened by the case manager, on the
county level by the coordinating office, with its review round over every active case of a case
manager; the calendar of the conferences the caller takes part in."""

from __future__ import annotations

import uuid

from lotse_platform.http import Blueprint

from lotse_platform.auth import (
    AUTHORITY_LIAISON,
    CASE_MANAGER,
    COORDINATOR,
    PROVIDER_STAFF,
    current_principal,
    requires,
)
from lotse_platform.service import handle, request_uow

from ...domain.commands import (
    AddParticipant,
    AddPerson,
    HoldConference,
    PlanConference,
    PlanConferenceRound,
)
from ...service_layer import conferences
from . import case_schemas, schemas
from .common import CONSENT_UNCONFIRMED, provided

blp = Blueprint("casework-conferences", __name__, url_prefix="/",
                description="Case conferences with partners (Fallkonferenzen): town and county "
                            "level, the coordinating office's review rounds, the calendar")

#: the case manager convenes in town, the coordinating office for the county (002 L347–L348)
CONVENERS = (CASE_MANAGER, COORDINATOR)
#: who takes part and reads the conferences it takes part in
PARTICIPANTS = (CASE_MANAGER, COORDINATOR, AUTHORITY_LIAISON, PROVIDER_STAFF)


@blp.route("/cases/<uuid:case_id>/conferences", methods=["POST"])
@blp.arguments(schemas.CreateConferenceSchema)
@blp.response(201, schemas.CreatedSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*CONVENERS)
def plan_conference(body, case_id: uuid.UUID):
    """Plan a case conference. The case manager of the case convenes it on the town level; the
    coordinating office convenes it on the county level (*Kreisebene*, 002 L348) and the case
    manager is told. A participant organisation without a valid release for the topics
    discussed is refused (409), confirmed with intake at this moment: withdrawn or unknown
    there, 409; intake not answering, 503 with ``Retry-After`` and nothing planned (ADR 0053).
    A person without an organisation (teacher, volunteer: 001 L622) takes part only with
    ``client_agreed: true``."""
    return {"id": handle(PlanConference(case_id, **body), current_principal())}


@blp.route("/cases/<uuid:case_id>/conferences/<uuid:conference_id>/participants",
           methods=["POST"])
@blp.arguments(schemas.ParticipantSchema)
@blp.response(204)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*CONVENERS)
def add_participant(body, case_id: uuid.UUID, conference_id: uuid.UUID):
    """A partner organisation joins a planned conference with a valid release for every topic
    discussed, confirmed with intake at this moment: withdrawn or unknown there, 409; intake
    not answering, 503 with ``Retry-After`` and nobody added (ADR 0053). The case manager's own
    organisation needs no release. The coordinating office adds to its county conferences
    only."""
    handle(AddParticipant(case_id, conference_id, **body), current_principal())


@blp.route("/cases/<uuid:case_id>/conferences/<uuid:conference_id>/persons",
           methods=["POST"])
@blp.arguments(schemas.ConferencePersonSchema)
@blp.response(204)
@requires(*CONVENERS)
def add_person(body, case_id: uuid.UUID, conference_id: uuid.UUID):
    """A person without an organisation joins a planned conference (001 L622), with the
    client's agreement (``client_agreed: true``); refused once the client has withdrawn."""
    handle(AddPerson(case_id, conference_id, **body), current_principal())


@blp.route("/cases/<uuid:case_id>/conferences/<uuid:conference_id>/held", methods=["POST"])
@blp.arguments(schemas.ConferenceHeldSchema)
@blp.response(204)
@requires(*CONVENERS)
def hold_conference(body, case_id: uuid.UUID, conference_id: uuid.UUID):
    """Record the conference as held: minutes and agreed actions. A county conference is
    recorded by the coordinating office or the case manager; a town one by the case
    manager."""
    handle(HoldConference(case_id, conference_id, **body), current_principal())


@blp.route("/conference-rounds", methods=["POST"])
@blp.arguments(schemas.CreateConferenceRoundSchema)
@blp.response(201, case_schemas.ConferenceRoundSchema)
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(COORDINATOR)
def plan_conference_round(body):
    """The coordinating office convenes a county conference for every active case of one case
    manager on one day — Borken's quarterly review with the immigration office's liaison
    (003 L35 "Einmal im Quartal … Zu jedem aktiven Fall gibt es dann eine individuelle
    Fallbesprechung"). Each invited organisation joins where the case's release covers every
    topic (confirmed with intake now); the answer lists per case whom it was planned without.
    No active case: 409."""
    return handle(PlanConferenceRound(**body), current_principal())


@blp.route("/conferences", methods=["GET"])
@blp.arguments(schemas.ConferenceCalendarArgsSchema, location="query")
@blp.response(200, case_schemas.CalendarConferenceSchema(many=True))
@blp.alt_response(503, **CONSENT_UNCONFIRMED)
@requires(*PARTICIPANTS)
def calendar(args):
    """The conferences the caller takes part in, oldest first (audited): a case manager's of
    her own and shared cases, the coordinating office's county conferences, and for a
    partner's staff — the immigration office's liaison, provider staff — those its
    organisation takes part in, each only while the case's release covers every topic,
    confirmed with intake at this read (ADR 0053)."""
    principal = current_principal()
    return conferences.calendar(request_uow(principal), principal, provided("consent_owner"),
                                **args)
