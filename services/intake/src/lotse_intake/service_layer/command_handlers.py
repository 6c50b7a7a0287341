"""Every command of the intake and the handler that carries it out: the map the service's
message bus dispatches on (``IntakeService.command_handlers``, :mod:`lotse_platform.messagebus`).

The handlers live with their subject — :mod:`.handlers` (one person's intake),
:mod:`.case_proposals`, :mod:`.target_groups` — and the first two share helpers, so the map is
a module of its own rather than the tail of one of them.

A view runs a command with ``lotse_platform.service.handle(command, principal)``; the handler
checks the caller (``uow.principal``) against the record itself (:mod:`.access`, ADR 0052).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.commands import (
    AcceptCaseProposal,
    AdmitCase,
    AttachSignedCopy,
    CompleteScreening,
    DecideCounsellingDepth,
    DefineTargetGroup,
    EndTargetGroup,
    FoundHousehold,
    GiveConsent,
    LinkToHousehold,
    RecordAnonymousContact,
    RecordContact,
    ReferCaseProposal,
    SubmitCaseProposal,
    UnlinkFromHousehold,
    WithdrawConsent,
)
from .anonymous import record_anonymous_contact
from .case_proposals import accept_case_proposal, refer_case_proposal, submit_case_proposal
from .handlers import (
    admit_case,
    complete_screening,
    decide_counselling_depth,
    give_consent,
    record_contact,
    withdraw_consent,
)
from .households import found_household, link_to_household, unlink_from_household
from .signed_copies import attach_signed_copy
from .target_groups import define_target_group, end_target_group

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    RecordContact: record_contact,
    RecordAnonymousContact: record_anonymous_contact,
    CompleteScreening: complete_screening,
    DecideCounsellingDepth: decide_counselling_depth,
    GiveConsent: give_consent,
    WithdrawConsent: withdraw_consent,
    AdmitCase: admit_case,
    SubmitCaseProposal: submit_case_proposal,
    AcceptCaseProposal: accept_case_proposal,
    ReferCaseProposal: refer_case_proposal,
    DefineTargetGroup: define_target_group,
    EndTargetGroup: end_target_group,
    FoundHousehold: found_household,
    LinkToHousehold: link_to_household,
    UnlinkFromHousehold: unlink_from_household,
    AttachSignedCopy: attach_signed_copy,
}
