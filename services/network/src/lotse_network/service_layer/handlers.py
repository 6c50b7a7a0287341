"""Every command and every event the network service handles, and its handler: the maps its
message bus dispatches on (``NetworkService.command_handlers`` / ``event_handlers``,
:mod:`lotse_platform.messagebus`). The handlers live with their subject; this module only maps
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.commands import (
    AttachAgreementCopy,
    ChangeAgreement,
    CompleteFollowUp,
    RecordAgreement,
    RecordMeeting,
    ReviseArticle,
    SetUpBody,
    WriteArticle,
)
from . import referrals
from .agreements import attach_agreement_copy, change_agreement, record_agreement
from .bodies import complete_follow_up, record_meeting, set_up_body
from .directory import DIRECTORY_COMMAND_HANDLERS
from .knowledge import revise_article, write_article

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    # referrals (referrals.py, ADR 0084)
    referrals.MakeReferral: referrals.make_referral,
    referrals.TakeReferralStep: referrals.take_step,
    # the directory (directory.py, ADR 0083)
    **DIRECTORY_COMMAND_HANDLERS,
    # cooperation agreements, bodies and meetings, knowledge base (ADR 0085)
    RecordAgreement: record_agreement,
    ChangeAgreement: change_agreement,
    AttachAgreementCopy: attach_agreement_copy,
    SetUpBody: set_up_body,
    RecordMeeting: record_meeting,
    CompleteFollowUp: complete_follow_up,
    WriteArticle: write_article,
    ReviseArticle: revise_article,
}

EVENT_HANDLERS: dict[str, Callable[..., Any]] = {
    # intake's consents: the copy a referral's check starts from; a withdrawn release cancels
    # the open referrals to that partner (referrals.py, ADR 0084)
    "intake.consent.given.v1": referrals.consent_given,
    "intake.consent.withdrawn.v1": referrals.consent_withdrawn,
    # casework's cases: whose case, which intake (referrals.py)
    "casework.case.opened.v1": referrals.case_opened,
    "casework.case.transferred.v1": referrals.case_transferred,
}
