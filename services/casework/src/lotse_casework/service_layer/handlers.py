"""Every command and every event casework handles, and its handler: the maps the service's
message bus dispatches on (``Casework.command_handlers`` / ``event_handlers``,
:mod:`lotse_platform.messagebus`).

A command handler is ``handler(command, uow, <dependencies>)``: it runs in the unit of work of
the request (:func:`lotse_platform.service.handle`), whose principal is the actor. An event
handler is ``handler(event, envelope, uow, <dependencies>)``, inside the consumer's transaction
(the consumer commits). Each names the dependencies it needs, which the container provides by
name (``Casework.dependencies()``):

- ``intake`` — the handover call to intake (:class:`.admission.IntakeSource`);
- ``consent_owner`` — intake's current state of the consents a sharing rests on, asked at the
  moment of sharing (:class:`.consent_check.ConsentOwner`, ADR 0053);
- ``peers`` — the client for peer deployments
  (:class:`~lotse_casework.adapters.federation_client.FederationClient`);
- ``settings`` — :class:`~lotse_casework.settings.CaseworkSettings` (peers, this deployment's
  URL, trusted issuers);
- ``units`` — opens a unit of work of any tenant served here (:class:`.unit_of_work.UnitsOfWork`),
  for a transfer between tenants.

The handlers live with their subject; this module only maps them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.commands import (
    AcceptTransfer,
    AddParticipant,
    AddPerson,
    AttachSignedCopy,
    CancelAppointment,
    CancelTransfer,
    ChangePhase,
    CloseCase,
    CompleteStep,
    DeclineTransfer,
    DrawUpHelpPlan,
    DropGoal,
    EndConsultationHours,
    EndShare,
    HoldConference,
    MarkNoticeRead,
    OfferConsultationHours,
    OfferTransfer,
    PlanAppointment,
    PlanConference,
    PlanConferenceRound,
    PlanStep,
    PutCaseManager,
    ReachGoal,
    ReceivePeerOffer,
    RecordAssessment,
    RecordContact,
    RecordHouseholdContact,
    RecordNoShow,
    RecordPeerAcceptance,
    RecordPeerCancel,
    RecordPeerErasure,
    RecordTeamDiscussion,
    ReviseGoal,
    SetGoal,
    SetMottoAndRisk,
    SetTopics,
    ShareCase,
)
from . import (
    admission,
    appointments,
    case_file,
    conferences,
    households,
    overview,
    planning,
    referrals,
    signed_copies,
    staff,
    team,
    transfer_in_county,
    transfer_to_peer,
    transfer_to_tenant,
    transfers,
)

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    # the case as a whole (case_file.py)
    ChangePhase: case_file.change_phase,
    SetTopics: case_file.set_topics,
    SetMottoAndRisk: case_file.set_motto_and_risk,
    CloseCase: case_file.close_case,
    ShareCase: case_file.share_case,
    EndShare: case_file.end_share,
    # transfers (transfers.py, transfer_in_county.py)
    OfferTransfer: transfers.offer_transfer,
    AcceptTransfer: transfers.accept_transfer,
    CancelTransfer: transfers.cancel_transfer,
    DeclineTransfer: transfer_in_county.decline_transfer,
    # planning and contacts (planning.py)
    RecordAssessment: planning.record_assessment,
    SetGoal: planning.set_goal,
    ReviseGoal: planning.revise_goal,
    ReachGoal: planning.reach_goal,
    DropGoal: planning.drop_goal,
    DrawUpHelpPlan: planning.draw_up_help_plan,
    PlanStep: planning.plan_step,
    CompleteStep: planning.complete_step,
    RecordContact: planning.record_contact,
    # case conferences, town and county (conferences.py)
    PlanConference: conferences.plan_conference,
    AddParticipant: conferences.add_participant,
    AddPerson: conferences.add_person,
    HoldConference: conferences.hold_conference,
    PlanConferenceRound: conferences.plan_conference_round,
    RecordHouseholdContact: households.record_household_contact,
    # appointments and open consultation hours (appointments.py)
    PlanAppointment: appointments.plan_appointment,
    RecordNoShow: appointments.record_no_show,
    CancelAppointment: appointments.cancel_appointment,
    OfferConsultationHours: appointments.offer_consultation_hours,
    EndConsultationHours: appointments.end_consultation_hours,
    # the team's case discussions and supervision (team.py)
    RecordTeamDiscussion: team.record_team_discussion,
    # the day and the staff (overview.py, staff.py)
    MarkNoticeRead: overview.mark_notice_read,
    PutCaseManager: staff.put_case_manager,
    # signed copies of the case's forms (signed_copies.py)
    AttachSignedCopy: signed_copies.attach_signed_copy,
    # federation: what a peer deployment asks (transfer_to_peer.py)
    ReceivePeerOffer: transfer_to_peer.receive_offer,
    RecordPeerAcceptance: transfer_to_peer.record_acceptance,
    RecordPeerCancel: transfer_to_peer.record_cancel,
    RecordPeerErasure: transfer_to_peer.record_erasure,
}

EVENT_HANDLERS: dict[str, Callable[..., Any]] = {
    # intake's admissions and consents (admission.py)
    "intake.case.admitted.v1": admission.open_admitted_case,
    "intake.consent.given.v1": admission.record_consent_given,
    "intake.consent.withdrawn.v1": admission.record_consent_withdrawn,
    "intake.household.membership_changed.v1": households.household_membership_changed,
    # identity's users: the case managers casework knows (staff.py)
    "identity.user.created.v1": staff.user_created,
    "identity.user.disabled.v1": staff.user_disabled,
    "identity.user.enabled.v1": staff.user_enabled,
    "identity.user.roles_changed.v1": staff.roles_changed,
    "identity.user.areas_changed.v1": staff.areas_changed,
    "identity.user.staffing_changed.v1": staff.staffing_changed,
    "identity.user.membership_changed.v1": staff.membership_changed,
    # casework's own transfers between tenants (transfer_to_tenant.py, transfer_to_peer.py)
    "casework.case.transfer_offered.v1": transfer_to_tenant.receive_offer,
    "casework.case.transfer_accepted.v1": transfer_to_peer.report_acceptance,
    "casework.case.transfer_cancelled.v1": transfer_to_tenant.receive_cancel,
    "casework.case.transfer_erasure_requested.v1": transfer_to_peer.deliver_erasure,
    # network's referrals of a case, their state in the case file (referrals.py)
    **referrals.EVENT_HANDLERS,
}
