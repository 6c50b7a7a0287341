"""The partner inbox (*Eingang Vermittlungen*) of a receiving organisation's staff: the
referrals addressed to it, with only what the person's release covers now (the network service
confirms it with intake at each read), and the steps a partner records: accept, decline,
appointment, arrival, feedback."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import InternalServerError

from lotse_platform.http import accepts

from ...domain import vocabulary
from ...domain.field_errors import FieldErrors, from_problem
from .common import apis, for_roles_of, refused, token
from .forms import FORM, choice, text, without_empty

bp = Blueprint("partner", __name__)


@bp.get("/eingang")
@for_roles_of("partner.inbox")
def inbox() -> ResponseReturnValue:
    answer = apis().get(token(), "network", "referrals/inbox")
    refused(answer)
    return render_template("partner/inbox.html", title="Eingang Vermittlungen",
                           referrals=answer.body or [])


@bp.route("/vermittlung/<uuid:referral_id>", methods=["GET", "POST"])
@accepts(FORM)
@for_roles_of("partner.inbox")
def referral(referral_id: uuid.UUID) -> ResponseReturnValue:
    form, errors = request.form, FieldErrors()
    if request.method == "POST":
        body = without_empty({"step": choice(form, "step"), "text": text(form, "text"),
                              "appointment_on": text(form, "appointment_on")})
        answer = apis().post(token(), "network", f"referrals/{referral_id}/steps", body)
        if answer.ok:
            return redirect(url_for("partner.referral", referral_id=referral_id), code=303)
        refused(answer)
        errors = from_problem(answer.status, answer.problem)
    answer = apis().get(token(), "network", f"referrals/{referral_id}")
    refused(answer)
    if not answer.ok:
        raise InternalServerError()
    shown: dict[str, Any] = answer.body
    steps = [(step, vocabulary.PARTNER_STEPS[step]) for step in shown.get("allowed_steps") or []
             if step in vocabulary.PARTNER_STEPS]
    return render_template("partner/referral.html", title="Vermittlung", referral=shown,
                           steps=steps, form=form, errors=errors), 422 if errors else 200
