"""Test support of the casework service: an HTTP stand-in for intake's handover endpoint, a
stand-in for intake's consent check that agrees with casework's copy, event publishing onto the
real broker, and a quick way to open a case in a given phase.

The stand-in is a test double for an HTTP peer (intake is built concurrently by another team);
PostgreSQL and RabbitMQ are always the real ones.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from lotse.intake.v1 import events_pb2 as intake_ev
from lotse_platform.auth import SERVICE, TokenVerifier
from lotse_platform.errors import Unauthenticated
from lotse_platform import testing
from lotse_platform.testing import JsonHandler, LocalServer, days_ago, known_directory, today

from lotse_casework.domain.consent_check import CurrentConsent
from lotse_casework.domain.handover import HandoverPackage
from lotse_casework.domain.model import AwaitingHandover
from lotse_casework.service_layer.admission import open_case

GIVEN_NAME, FAMILY_NAME = "Amira", "Haddad-Testfall"
PERSON_NAME = f"{GIVEN_NAME} {FAMILY_NAME}"


def package(intake_id: str, *, releases: list[dict] | None = None,
            valid_until: str | None = None, language_levels: list[dict] | None = None) -> dict:
    """A handover package shaped as intake's ``HandoverSchema`` (docs/intake.md; invented
    person)."""
    consents = [
        {"id": f"{intake_id}-dp", "kind": "data_protection_information",
         "valid_from": "2026-01-01", "withdrawn": False},
        {"id": f"{intake_id}-ca", "kind": "counselling_agreement",
         "valid_from": "2026-01-01", "withdrawn": False},
    ]
    for n, release in enumerate(releases or []):
        consents.append({"id": f"{intake_id}-rel{n}", "withdrawn": False,
                         "kind": "release_of_confidentiality", "valid_from": "2026-01-01",
                         "valid_until": valid_until, **release})
    return {
        "intake_id": intake_id,
        "operator_org_id": "", "area_id": "area-hoexter", "access_path": "self_referral",
        "person": {"given_name": GIVEN_NAME, "family_name": FAMILY_NAME,
                   "date_of_birth": "1991-04-12",
                   "contact": {"phone": "+49 5271 000000", "address": "Am Markt 1, Höxter"},
                   "languages": ["ar", "de"], "interpreter_needed": True,
                   "language_levels": language_levels or []},
        "screening": {"criteria_met": ["multiple_dimensions", "several_actors"],
                      "topic_areas": ["residence", "housing"], "crisis": False,
                      "target_group_ids": []},
        "admission": {"case_manager_id": "cm-lea", "admitted_on": days_ago(0)},
        "consents": consents,
        "counselling_history": [{"depth": "case_management", "decided_on": "2026-01-05",
                                 "revision": 1}],
        "released_under": "counselling_agreement",
    }


class IntakeStandIn(LocalServer):
    """``GET /handovers/<intake_id>`` on 127.0.0.1: answers with the package put in
    ``packages``, 409 for ids in ``refused``; checks the caller is a machine client with the
    service role (as intake does) and records who called."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.packages: dict[str, dict] = {}
        self.refused: set[str] = set()
        self.calls: list[tuple[str, str]] = []  # (intake id, client id)
        stand_in = self

        class Handler(JsonHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                intake_id = self.path.rsplit("/", 1)[-1]
                try:
                    principal = verifier.verify(
                        self.headers.get("Authorization", "").removeprefix("Bearer "))
                except Unauthenticated:
                    return self.answer(401, {"title": "Unauthorized"})
                if not (principal.is_client and principal.has_any_role(SERVICE)):
                    return self.answer(403, {"detail": "machine clients only"})
                stand_in.calls.append((intake_id, principal.subject))
                if intake_id in stand_in.refused:
                    return self.answer(409, {"type": "urn:lotse:problem:conflict",
                                              "status": 409,
                                              "detail": "no consent to hand over"})
                if intake_id not in stand_in.packages:
                    return self.answer(404, {"detail": "no such intake"})
                self.answer(200, stand_in.packages[intake_id])


        super().__init__(Handler)


class ConsentsAsKept:
    """Intake's consent check at the moment of sharing (ADR 0053) for tests that are about
    something else: intake agrees with casework's copy — each asked consent as the case's copy
    has it (read past row-level security with ``engine``, the database's superuser), an id the
    copy does not have is unknown. The consent check itself is tested against the real intake
    (test_casework_consent_at_once.py)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.calls: list[tuple[str, str, list[str]]] = []

    def current_consents(self, operator_org_id: str, intake_id: str,
                         consent_ids) -> dict[str, CurrentConsent]:
        self.calls.append((operator_org_id, intake_id, list(consent_ids)))
        with self.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT c.consent_id, c.kind, c.partner_org_id, c.topic_areas, c.valid_from,"
                " c.valid_until, c.withdrawn_on FROM consents c JOIN cases k ON k.id = c.case_id"
                " WHERE k.operator_org_id = :operator AND k.intake_id = :intake"
                " AND c.consent_id = ANY(:ids)"),
                {"operator": operator_org_id, "intake": intake_id,
                 "ids": list(consent_ids)}).all()
        return {row.consent_id: CurrentConsent(
                    consent_id=row.consent_id, kind=row.kind, partner_org_id=row.partner_org_id,
                    topic_areas=tuple(row.topic_areas), valid_from=row.valid_from,
                    valid_until=row.valid_until, withdrawn=row.withdrawn_on is not None,
                    withdrawn_on=row.withdrawn_on) for row in rows}

    def close(self) -> None:
        """Holds no connection."""


#: what identity has published for each test's tenant (the replica organisations and users are
#: checked against, ADR 0054)
ORGANISATIONS = ("org-stadt-hoexter", "org-caritas", "org-jobcenter", "org-stadt-pb", "org-kreis",
                 "org-stadt-warburg", "org-stadt-borgentreich", "org-kreis-pb", "org-jc",
                 "org-borgentreich", "org-abh", "org-stadt-bad-driburg", "org-warburg",
                 "org-stadt-beverungen", "org-pb", "org-brakel", "org-stadt-brakel", "org-kreis-hx",
                 "org-cm", "org-b", "org-stadt", "org-lippe", "org-kreis-lip", "org-cm-lea",
                 "org-awo")
STAFF = (("cm-tobias", "org-stadt-hoexter"), ("cm-2", "org-stadt-hoexter"))
# specialist advisers of partner organisations (Fachberater*innen), for a partner's tandem
SPECIALISTS = (("fb-jobcenter", "org-jobcenter"),)


def published_directory() -> list:
    return known_directory(organisations=ORGANISATIONS,
                           users=[(user, org, ["case_manager"]) for user, org in STAFF]
                           + [(user, org, ["provider_staff"]) for user, org in SPECIALISTS])


def publish_event(broker_url: str, tenant: uuid.UUID, event, *,
                  event_id: uuid.UUID | None = None, exchange: str = "lotse.events") -> uuid.UUID:
    """Publish an intake (or identity) event onto the real broker as that service's relay would."""
    source = "/lotse/identity" if type(event).__module__.startswith("lotse.identity") \
        else "/lotse/intake"
    return testing.publish_event(broker_url, tenant, event, source=source, event_id=event_id,
                                 subject=getattr(event, "intake_id", None), exchange=exchange)


def admitted(intake_id: str, case_manager_id: str, *, org: str = "org-stadt-hoexter",
             area: str = "area-hoexter", operator: str = "") -> intake_ev.CaseAdmitted:
    return intake_ev.CaseAdmitted(intake_id=intake_id, case_manager_id=case_manager_id,
                                  area_id=area, topic_areas=[1, 5],  # residence, housing
                                  admitted_on=days_ago(0), operator_org_id=operator,
                                  case_manager_org_id=org)


def open_test_case(container, tenant: uuid.UUID, case_manager_id: str, *,
                   org: str = "org-stadt-hoexter", area: str = "area-hoexter",
                   topics: tuple[str, ...] = ("residence", "housing", "work_training"),
                   releases: list[dict] | None = None, valid_until: str | None = None,
                   intake_id: str | None = None, language_levels: list[dict] | None = None):
    """A case opened straight through the service layer (as the admission handler does)."""
    intake_id = intake_id or f"intake-{uuid.uuid4()}"
    admission = AwaitingHandover(intake_id=intake_id, operator_org_id="",
                                 case_manager_id=case_manager_id, case_manager_org_id=org,
                                 area_id=area, admitted_on=today(), topic_areas=list(topics))
    handover = HandoverPackage.parse(package(intake_id, releases=releases,
                                             valid_until=valid_until,
                                             language_levels=language_levels), intake_id)
    with container.uow(tenant) as uow:
        case = open_case(uow, admission, handover)
        uow.commit()
        return case.id
