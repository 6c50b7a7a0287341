"""Every command and every event the network service handles, and its handler: the maps its
message bus dispatches on (``NetworkService.command_handlers`` / ``event_handlers``,
:mod:`lotse_platform.messagebus`). The handlers live with their subject; this module only maps
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import referrals
from .directory import DIRECTORY_COMMAND_HANDLERS

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    # referrals (referrals.py, ADR 0084)
    referrals.MakeReferral: referrals.make_referral,
    referrals.TakeReferralStep: referrals.take_step,
    # the directory (directory.py, ADR 0083)
    **DIRECTORY_COMMAND_HANDLERS,
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
