"""The steering group's command handlers (ADR 0095), merged into the service's bus by
``bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.steering_commands import (
    AppointMember,
    CastVote,
    ChangeMember,
    DecideProposal,
    EscalateTheme,
    MarkThemeImplemented,
    PlanMeeting,
    PutProposal,
    RecordMinutes,
    RemoveMember,
    SetQuorumRule,
)
from .decisions import cast_vote, decide_proposal, put_proposal
from .steering_group import (
    appoint_member,
    change_member,
    plan_meeting,
    record_minutes,
    remove_member,
    set_quorum_rule,
)
from .themes import escalate_theme, mark_implemented

STEERING_GROUP_HANDLERS: dict[type, Callable[..., Any]] = {
    AppointMember: appoint_member, ChangeMember: change_member, RemoveMember: remove_member,
    SetQuorumRule: set_quorum_rule, PlanMeeting: plan_meeting, RecordMinutes: record_minutes,
    PutProposal: put_proposal, CastVote: cast_vote, DecideProposal: decide_proposal,
    MarkThemeImplemented: mark_implemented, EscalateTheme: escalate_theme,
}
