"""Helpers of the intake tests: who is calling (tokens), the API as a case manager uses it,
and readers for what the service wrote (outbox events, audit entries)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from lotse.intake.v1 import events_pb2
from lotse_intake.adapters import orm
from lotse_platform.contracts import EventRegistry
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.testing import days_ago

REGISTRY = EventRegistry.from_modules(events_pb2)

HOEXTER, BRAKEL, WARBURG = "area-hoexter", "area-brakel", "area-warburg"
STADT_HOEXTER = "org-stadt-hoexter"
KREIS = "org-kreis"
#: what identity has published for each test's tenant (the replica references are checked
#: against, ADR 0054): the helpers' areas and organisations, and the case managers who take cases
TOWNS = ("hoexter", "brakel", "warburg", "bad-driburg", "beverungen", "borgentreich", "nieheim",
         "marienmuenster", "steinheim", "willebadessen", "hilden")
AREAS = tuple(f"area-{town}" for town in TOWNS)
ORGANISATIONS = (STADT_HOEXTER, KREIS, "org-awo", "org-caritas", "org-mbe", "org-jmd", "org-abh",
                 "org-jobcenter", "org-county", "org-other", "org-jc", "org-x",
                 "org-fluechtlingshilfe-velbert", "org-caritas-foerdern-und-fordern")
CASE_MANAGERS = (("cm-hoexter", STADT_HOEXTER), ("cm-2", STADT_HOEXTER), ("cm-brakel", STADT_HOEXTER),
                 ("cm-kreis", KREIS), ("cm-lea", "org-county"))
CRITERIA = ("multiple_dimensions", "several_actors", "long_term_need",
            "standard_care_insufficient", "own_resources_insufficient")


@dataclass
class Actors:
    """Tokens of the people (and machines) in a test, all of one tenant unless said."""

    issuer: DevIssuer
    tenant: uuid.UUID
    user_ids: dict = field(default_factory=dict)

    def token(self, subject: str, org: str, roles, areas=(), tenant=None, **claims) -> str:
        return self.issuer.issue(subject, tenant or self.tenant, org, list(roles), list(areas),
                                 **claims)

    def case_manager(self, subject="cm-hoexter", areas=(HOEXTER,), org=STADT_HOEXTER, **kw) -> str:
        return self.token(subject, org, ["case_manager"], areas, **kw)

    def coordinator(self, subject="ks-koch", org=KREIS) -> str:
        return self.token(subject, org, ["coordinator"])

    def tenant_admin(self) -> str:
        return self.token("admin", KREIS, ["tenant_admin"])

    def partner(self, subject="awo-beratung", org="org-awo", areas=(HOEXTER,),
                role="provider_staff") -> str:
        return self.token(subject, org, [role], areas)

    def casework_client(self, org=KREIS) -> str:
        return self.token("client-casework", org, ["service"], client_id="casework")


def person(given="Amina", family="Haddad", born="1990-04-12", **extra) -> dict:
    return {"given_name": given, "family_name": family, "date_of_birth": born,
            "contact": {"phone": "+49 5271 123456", "email": None, "address": "Markt 1, Höxter"},
            "languages": ["ar", "de"], "interpreter_needed": True, **extra}


def screening_form(topics=("residence", "housing"), met=CRITERIA, facts=None, **extra) -> dict:
    return {"criteria": [{"criterion": c, "met": c in met, "note": None} for c in CRITERIA],
            "topic_areas": list(topics), "crisis": False, "facts": facts or {}, **extra}


class Api:
    """The intake API through Flask's test client, as a given caller."""

    def __init__(self, client, actors: Actors) -> None:
        self.client = client
        self.actors = actors

    def call(self, method: str, path: str, token: str | None, json=None, query=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.open(path, method=method, json=json, query_string=query,
                                headers=headers)

    def post(self, path, token, json=None):
        return self.call("POST", path, token, json)

    def put(self, path, token, json=None):
        return self.call("PUT", path, token, json)

    def get(self, path, token, query=None):
        return self.call("GET", path, token, query=query)

    def patch(self, path, token, json=None):
        return self.call("PATCH", path, token, json)

    # -- the usual steps, asserting they worked ---------------------------------------------------
    def record(self, token=None, area=HOEXTER, access_path="self_referral", who=None,
               contact_date=None, **extra) -> dict:
        body = {"person": who or person(), "access_path": access_path, "area_id": area,
                "contact_date": contact_date or days_ago(3), **extra}
        response = self.post("/intakes", token or self.actors.case_manager(), body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def screen(self, intake_id, token=None, **form) -> dict:
        response = self.put(f"/intakes/{intake_id}/screening", token or self.actors.case_manager(),
                            screening_form(**form))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def decide(self, intake_id, depth="case_management", token=None, **extra) -> dict:
        response = self.post(f"/intakes/{intake_id}/decisions",
                             token or self.actors.case_manager(), {"depth": depth, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def consent(self, intake_id, kind, token=None, **extra) -> dict:
        body = {"kind": kind, "given_on": days_ago(1), **extra}
        if kind == "data_protection_information":
            body.setdefault("language", "ar")
        response = self.post(f"/intakes/{intake_id}/consents",
                             token or self.actors.case_manager(), body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def admit(self, intake_id, token=None, **body):
        return self.post(f"/intakes/{intake_id}/admission", token or self.actors.case_manager(),
                         body)

    def ready_for_admission(self, token=None, **record) -> str:
        """Recorded, screened, decided for case management, with agreement and information."""
        intake_id = self.record(token, **record)["id"]
        self.screen(intake_id, token)
        self.decide(intake_id, token=token)
        self.consent(intake_id, "data_protection_information", token)
        self.consent(intake_id, "counselling_agreement", token)
        return intake_id

    def admitted(self, token=None, **record) -> str:
        intake_id = self.ready_for_admission(token, **record)
        response = self.admit(intake_id, token, justification="Einzelfallentscheidung der KS")
        assert response.status_code == 201, response.get_json()
        return intake_id


# -- what the service wrote ----------------------------------------------------------------------
def outbox_rows(service, tenant: uuid.UUID, event_type: str | None = None) -> list:
    outbox = orm.platform.outbox
    query = sa.select(outbox).where(outbox.c.tenant_id == tenant).order_by(outbox.c.id)
    if event_type:
        query = query.where(outbox.c.event_type == event_type)
    with service.engine.connect() as connection:
        return connection.execute(query).all()


def events(service, tenant: uuid.UUID, event_type: str) -> list:
    """The decoded events of one type this tenant's actions put into the outbox."""
    message_class = REGISTRY.message_class(event_type)
    decoded = []
    for row in outbox_rows(service, tenant, event_type):
        message = message_class()
        message.ParseFromString(row.payload)
        decoded.append(message)
    return decoded


def audit_entries(service, tenant: uuid.UUID) -> list:
    """The tenant's audit trail, read as the application under row-level security."""
    audit = orm.platform.audit_log
    with service.uow(tenant) as uow:
        # sealed entries in chain order, then those the sealer has not reached, as written
        return uow.session.execute(
            sa.select(audit).order_by(sa.nulls_last(audit.c.seq), audit.c.id)).all()


# -- target groups as steering groups decided them (DOMAIN.md §2) ---------------------------------
METTMANN_DECISION = "Lenkungsgruppe Kreis Mettmann, Sitzung 10.05.2023"


def mettmann_groups() -> list[dict]:
    """Kreis Mettmann's five target groups; the fifth valid 2023-05-10 – 2024-12-31."""
    return [
        {"name": "(1) Berechtigte nach §§ 25a, 25b und § 104c AufenthG",
         "conditions": {"residence_statuses": ["eligible_25a", "eligible_25b", "eligible_104c"]},
         "valid_from": "2021-05-01"},
        {"name": "(2) bei der Einreise unbegleitete minderjährige Geflüchtete",
         "conditions": {"unaccompanied_minor_at_entry": True}, "valid_from": "2021-05-01"},
        {"name": "(3) Menschen mit Duldung oder Gestattung, älter als 27 Jahre",
         "conditions": {"residence_statuses": ["duldung", "gestattung"], "min_age": 28},
         "valid_from": "2021-05-01"},
        {"name": "(4) (Neu-)Zugewanderte aus Südosteuropa",
         "conditions": {"regions_of_origin": ["south_east_europe"]}, "valid_from": "2021-05-01"},
        {"name": "(5) über 18, noch nicht 5 Jahre in Deutschland, multipler Hilfebedarf "
                 "festgestellt von einer Fachberatungsstelle",
         "conditions": {"min_age": 18, "years_in_germany_under": 5,
                        "multiple_support_need_established": True},
         "valid_from": "2023-05-10", "valid_until": "2024-12-31",
         "steering_decision_ref": METTMANN_DECISION},
    ]


def define_groups(api, groups: list[dict]) -> list[str]:
    ids = []
    for group in groups:
        response = api.post("/target-groups", api.actors.tenant_admin(), group)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


# -- the county's flow on the broker -------------------------------------------------------------
INTAKE_EVENT_TYPES = REGISTRY.types()


def drain(connection, queue: str) -> list[tuple[str, object, object]]:
    """Take every message waiting in ``queue``: (routing key, envelope, event)."""
    from lotse_platform.contracts import Envelope

    channel = connection.channel()
    taken = []
    try:
        while True:
            message = channel.basic_get(queue, no_ack=True)
            if message is None:
                return taken
            envelope = Envelope.from_message(message.headers, message.body)
            taken.append((message.delivery_info["routing_key"], envelope,
                          envelope.decode(REGISTRY)))
    finally:
        channel.close()


#: a county configured like Höxter: its own admission criteria (001 L128), partners report
#: cases to the case manager (002 L320)
HOEXTER_TENANT = uuid.uuid4()
#: a county configured like Borken: proposals decided in scheduled case conferences (003 L25)
BORKEN_TENANT = uuid.uuid4()
HOEXTER_CRITERIA = ["several_actors", "multiple_dimensions", "complex_time_consuming_needs",
                    "structural_themes", "long_term_need", "own_resources_insufficient",
                    "standard_care_insufficient"]
