"""Helpers of the network tests: who is calling (tokens), the directory API as its users call
it, and readers for what the service wrote (outbox events, audit entries)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from lotse.network.v1 import events_pb2
from lotse_network.adapters import orm
from lotse_platform.auth.devtokens import DevIssuer

HOEXTER, BRAKEL, WARBURG, STEINHEIM = ("area-hoexter", "area-brakel", "area-warburg",
                                       "area-steinheim")
AREAS = (HOEXTER, BRAKEL, WARBURG, STEINHEIM)
KREIS, AWO, CARITAS, STADT_HOEXTER = "org-kreis", "org-awo", "org-caritas", "org-stadt-hoexter"
ORGANISATIONS = (KREIS, AWO, CARITAS, STADT_HOEXTER)


@dataclass
class Actors:
    issuer: DevIssuer
    tenant: uuid.UUID

    def token(self, subject: str, org: str, roles, areas=(), tenant=None) -> str:
        return self.issuer.issue(subject, tenant or self.tenant, org, list(roles), list(areas))

    def coordinator(self) -> str:
        return self.token("ks-koch", KREIS, ["coordinator"])

    def case_manager(self) -> str:
        return self.token("cm-hoexter", STADT_HOEXTER, ["case_manager"], [HOEXTER])

    def org_admin(self, org=AWO) -> str:
        return self.token(f"admin-{org}", org, ["org_admin"])

    def partner(self, org=AWO) -> str:
        return self.token(f"staff-{org}", org, ["provider_staff"], [HOEXTER])

    def steering(self) -> str:
        return self.token("lenkung", KREIS, ["steering_member"])


def organization(name="AWO Kreisverband Höxter", identity_org_id=AWO, **extra) -> dict:
    return {"name": name, "description": "Wohlfahrtsverband", "identity_org_id": identity_org_id,
            **extra}


def location(organization_id, town=HOEXTER, city="Höxter", **extra) -> dict:
    return {"organization_id": organization_id, "name": f"Beratungsstelle {city}",
            "address_1": "Marktstraße 1", "postal_code": "37671", "city": city,
            "municipality_id": town, **extra}


def service(organization_id, name="Migrationsberatung Höxter", **extra) -> dict:
    return {"organization_id": organization_id, "name": name,
            "description": "Beratung für Zugewanderte zu Aufenthalt und Arbeit",
            "kind": "migration_counselling_adults", "topic_areas": ["residence"],
            "legal_areas": [], "languages": ["de", "ar"], "service_area_ids": [HOEXTER],
            "schedules": [{"weekday": "MO", "opens_at": "09:00", "closes_at": "12:00"}],
            "contacts": [{"title": "Migrationsberatung", "phone": "+49 5271 6944-0"}], **extra}


class Api:
    def __init__(self, client, actors: Actors, network) -> None:
        self.client = client
        self.actors = actors
        self.network = network

    def call(self, method, path, token, json=None, query=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.open(path, method=method, json=json, query_string=query,
                                headers=headers)

    def get(self, path, token, query=None):
        return self.call("GET", path, token, query=query)

    def post(self, path, token, json):
        return self.call("POST", path, token, json)

    def put(self, path, token, json):
        return self.call("PUT", path, token, json)

    def created(self, path, body, token=None) -> dict:
        answer = self.post(path, token or self.actors.coordinator(), body)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def organization(self, **body) -> dict:
        return self.created("/directory/organizations", organization(**body))

    def location(self, organization_id, **body) -> dict:
        return self.created("/directory/locations", location(organization_id, **body))

    def service(self, organization_id, **body) -> dict:
        return self.created("/services", service(organization_id, **body))

    def search(self, token=None, **query) -> dict:
        answer = self.get("/services", token or self.actors.case_manager(), query)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def names(self, **query) -> list[str]:
        return [s["name"] for s in self.search(**query)["items"]]


def events(network, tenant: uuid.UUID, event_type="network.service.changed.v1") -> list:
    """The decoded events of one type in the tenant's outbox, with their raw payloads."""
    outbox = orm.platform.outbox
    with network.uow(tenant) as uow:
        rows = uow.session.execute(sa.select(outbox).where(
            outbox.c.tenant_id == tenant, outbox.c.event_type == event_type).order_by(
            outbox.c.id)).all()
    decoded = []
    for row in rows:
        message = events_pb2.ServiceChanged()
        message.ParseFromString(row.payload)
        decoded.append((message, bytes(row.payload)))
    return decoded


def audit_entries(network, tenant: uuid.UUID) -> list:
    audit = orm.platform.audit_log
    with network.uow(tenant) as uow:
        return uow.session.execute(sa.select(audit).order_by(audit.c.id)).all()
