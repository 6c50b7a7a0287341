"""The system level (*Steuerung*, docs/steering.md): the candidates for a case reconstruction,
the generative themes with their status and evidence, the planning cycle (steps 1–6) and the
steering group's decision proposals with their votes. A steering member casts her vote; the
coordinating office records the decision. The steering service decides who sees what (a case
manager only her own candidates; steering members no case ids); the console asks only for the
blocks a role may see at all."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from lotse_platform.http import accepts

from ...domain.field_errors import FieldErrors, from_problem
from ...domain.navigation import CASE_MANAGER, COORDINATOR, STEERING_MEMBER
from .common import Block, User, apis, block, for_roles_of, refused, token
from .forms import FORM, choice

bp = Blueprint("steering", __name__)


def _user() -> User:
    user = User.from_session()
    assert user is not None
    return user


@bp.get("/steuerung")
@for_roles_of("steering.overview")
def overview() -> ResponseReturnValue:
    roles = set(_user().roles)
    office, member = COORDINATOR in roles, STEERING_MEMBER in roles
    not_asked = Block()
    return render_template(
        "steering/overview.html", title="Steuerung",
        candidates=(block("steering", "reconstruction-candidates")
                    if roles & {COORDINATOR, CASE_MANAGER} else not_asked),
        themes=block("steering", "themes"),
        cycle=block("steering", "cycle") if office or member else not_asked,
        proposals=block("steering", "decision-proposals") if office or member else not_asked,
        show_candidates=bool(roles & {COORDINATOR, CASE_MANAGER}),
        show_steering_group=office or member)


def _proposal(proposal_id: uuid.UUID) -> dict[str, Any]:
    answer = apis().get(token(), "steering", f"decision-proposals/{proposal_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    proposal: dict[str, Any] = answer.body
    return proposal


def _render_proposal(proposal_id: uuid.UUID, errors: FieldErrors | None = None,
                     form: Any = None) -> ResponseReturnValue:
    user = _user()
    proposal = _proposal(proposal_id)
    members = block("steering", "steering-group/members")
    seats = members.data if isinstance(members.data, list) else []
    own = next((seat for seat in seats if seat.get("user_id") == user.subject), None)
    own_vote = next((v["vote"] for v in proposal.get("votes") or []
                     if own and v.get("member_id") == own["id"]), None)
    errors = errors or FieldErrors()
    return render_template(
        "steering/proposal.html", title="Beschlussvorlage", proposal=proposal,
        seats={seat["id"]: seat for seat in seats}, own=own, own_vote=own_vote,
        may_vote=STEERING_MEMBER in user.roles and own is not None and bool(own.get("voting"))
        and proposal.get("outcome") is None,
        may_decide=COORDINATOR in user.roles and proposal.get("outcome") is None,
        errors=errors, form=form if form is not None else request.form), 422 if errors else 200


@bp.get("/beschlussvorlage/<uuid:proposal_id>")
@for_roles_of("steering.proposal")
def proposal(proposal_id: uuid.UUID) -> ResponseReturnValue:
    return _render_proposal(proposal_id)


@bp.post("/beschlussvorlage/<uuid:proposal_id>/stimme")
@accepts(FORM)
@for_roles_of("steering.vote")
def vote(proposal_id: uuid.UUID) -> ResponseReturnValue:
    """Her own vote (yes, no, abstain), changeable until the decision."""
    body = {"vote": choice(request.form, "vote")}
    answer = apis().post(token(), "steering", f"decision-proposals/{proposal_id}/votes",
                         {key: value for key, value in body.items() if value is not None})
    if answer.ok:
        return redirect(url_for("steering.proposal", proposal_id=proposal_id), code=303)
    refused(answer)
    return _render_proposal(proposal_id, from_problem(answer.status, answer.problem))


@bp.post("/beschlussvorlage/<uuid:proposal_id>/beschluss")
@accepts(FORM)
@for_roles_of("steering.decide")
def decide(proposal_id: uuid.UUID) -> ResponseReturnValue:
    """The office records the decision with the tenant's day (or defers it)."""
    body = {"defer": request.form.get("defer") == "ja"}
    answer = apis().post(token(), "steering", f"decision-proposals/{proposal_id}/decision",
                         body)
    if answer.ok:
        return redirect(url_for("steering.proposal", proposal_id=proposal_id), code=303)
    refused(answer)
    return _render_proposal(proposal_id, from_problem(answer.status, answer.problem))
