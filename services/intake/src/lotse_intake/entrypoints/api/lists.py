"""The lists a case manager works from. They show names, so each listed intake is audited as a
read (one entry per intake, reason ``list:<which>``). Which intakes the caller sees (her
areas; the office all) the service layer decides from the caller (ADR 0052)."""

from __future__ import annotations

from flask.views import MethodView
from lotse_platform.http import Blueprint

from lotse_platform.auth import current_principal, requires
from lotse_platform.service import current_service, request_uow

from ...service_layer import queries
from ...service_layer.access import INTAKE_ROLES
from ...domain.vocabulary import LABELS, AdmissionCriterion
from .schemas import AdmissionCriterionSchema, ExpiringConsentSchema, ExpiringQuerySchema, IntakeSummarySchema

blp = Blueprint("lists", __name__, url_prefix="/",
                description="Arbeitslisten: my open intakes, intakes waiting for a decision, "
                            "consents expiring soon")


@blp.route("/intakes/mine")
class MyOpenIntakes(MethodView):
    @blp.response(200, IntakeSummarySchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self):
        """My open intakes: I am responsible, and no counselling depth is decided yet — or it is
        KIM case management and the admission is still to come."""
        principal = current_principal()
        return queries.open_intakes(principal.subject, request_uow(principal))


@blp.route("/intakes/awaiting-decision")
class AwaitingDecision(MethodView):
    @blp.response(200, IntakeSummarySchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self):
        """Intakes screened and waiting for the counselling-depth decision (my areas; the
        office sees all)."""
        return queries.intakes_awaiting_decision(request_uow(current_principal()))


@blp.route("/consents/expiring")
class ExpiringConsents(MethodView):
    @blp.arguments(ExpiringQuerySchema, location="query")
    @blp.response(200, ExpiringConsentSchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self, query):
        """Consents, not withdrawn, whose validity ends within the next days (default 30),
        soonest first (my areas; the office sees all)."""
        principal = current_principal()
        days = query.get("within_days") or current_service().settings.expiring_consent_days
        rows = queries.consents_expiring(days, request_uow(principal))
        return [{"consent": consent, "intake": intake} for consent, intake in rows]


@blp.route("/admission-criteria")
class AdmissionCriteria(MethodView):
    @blp.response(200, AdmissionCriterionSchema(many=True))
    @requires(*INTAKE_ROLES)
    def get(self):
        """The admission criteria (*Kriterien*) this tenant's screening form asks, in its order:
        the five default ones unless the tenant chose its own list
        (`LOTSE_INTAKE_ADMISSION_CRITERIA`; Höxter adds `complex_time_consuming_needs` and
        `structural_themes`). `PUT /intakes/<id>/screening` must answer each exactly once."""
        tenant = current_principal().tenant
        labels = LABELS[AdmissionCriterion]
        return [{"criterion": c, "label": labels[c]}
                for c in current_service().settings.admission_criteria_of(tenant)]
