"""The demo county (``make run``, ``lotse-identity seed-demo``): Kreis Höxter with its ten towns
in four cluster regions, its organisations, a user for every role, the web console and one
machine client, the training catalogue and the case managers' trainings (one of them still
lacks the mandatory one) — written once, idempotently, with the ids of :mod:`lotse_demo`."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from lotse_demo import DEMO_PASSWORD
from lotse_demo.county import demo_id

from ..adapters.crypto import hash_password, secret_digest
from ..domain.model import (
    ApiClient,
    Area,
    AreaKind,
    ClientKind,
    Organisation,
    OrganisationKind,
    Tenant,
    TenantKind,
    User,
)
from ..domain.qualifications import Qualification, default_catalogue
from .handlers import area_created, client_created, organisation_created, user_created

log = logging.getLogger("lotse.identity.seed")

CONSOLE_CLIENT_ID = "lotse-console"
CONSOLE_REDIRECT_URIS = ("http://localhost:8080/console/callback",
                         "http://127.0.0.1:8080/console/callback")


def console_redirect_uris(public_url: str | None) -> list[str]:
    """Where the web console may receive its codes: localhost:8080 (``make run``, the gateway
    of ``make up``) and the platform's public URL when it is another (ADR 0099)."""
    uris = list(CONSOLE_REDIRECT_URIS)
    if public_url:
        uris.append(f"{public_url.rstrip('/')}/console/callback")
    return list(dict.fromkeys(uris))


DEMO_INTAKE_CLIENT_ID = "awo-intake"
#: the demo machine client's secret (demo data only, like the demo password)
DEMO_INTAKE_SECRET = "lotse-demo-awo-intake-secret"
#: casework's machine client: fetches handover packages from intake (role ``service``)
DEMO_CASEWORK_CLIENT_ID = "casework"
DEMO_CASEWORK_SECRET = "lotse-demo-casework-secret"
#: the network's machine client: confirms a person's releases with intake at the moment a
#: referral is shared or read by the partner (ADR 0053, ADR 0084; role ``service``)
DEMO_NETWORK_CLIENT_ID = "network"
DEMO_NETWORK_SECRET = "lotse-demo-network-secret"
#: steering's machine client: the contacts a data subject's request names, fetched from the
#: coordinating intake (ADR 0108; role ``service``)
DEMO_STEERING_CLIENT_ID = "steering"
DEMO_STEERING_SECRET = "lotse-demo-steering-secret"
#: the county intake's machine client (the caseload at admission, asked from casework)
DEMO_COUNTY_INTAKE_CLIENT_ID = "intake"
DEMO_COUNTY_INTAKE_SECRET = "lotse-demo-intake-secret"
#: the trainings the demo's case managers took (training key, days ago), 001 L361: all but the
#: newest, cm.nieheim, have the MKJFGFI's case-management training — the office's list of
#: missing trainings shows her
DEMO_QUALIFICATIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "cm.hoexter": (("cm-mkjfgfi", 420), ("asylrecht", 75)),
    "cm.beverungen": (("cm-mkjfgfi", 420),),
    "cm.warburg": (("cm-mkjfgfi", 390), ("aufenthaltsrecht", 40)),
    "cm.borgentreich": (("cm-mkjfgfi", 390),),
    "cm.brakel": (("cm-mkjfgfi", 360), ("asylrecht", 75)),
    "cm.driburg": (("cm-mkjfgfi", 300),),
    "cm.steinheim": (("cm-mkjfgfi", 200),),
    "cm.nieheim": (("asylrecht", 20),),
}


def seed_demo(service, county) -> int:
    tenant_id = county.tenant_id
    with service.uow(tenant_id) as uow:
        if uow.tenant() is not None:
            return 0
    areas = {a.key: a for a in county.areas}
    written = 0
    created: list = []
    with service.uow(tenant_id) as uow:
        add = lambda record: (uow.add(record), created.append(record))  # noqa: E731
        uow.add(Tenant(key=county.key, name=county.name, kind=TenantKind.county, id=tenant_id))
        # parents before children: clusters, then towns
        for area in sorted(county.areas, key=lambda a: a.parent is not None):
            add(Area(name=area.name, kind=AreaKind(area.kind),
                         parent_id=areas[area.parent].id if area.parent else None, id=area.id))
            uow.flush()
        county_org = county.organisations[0].id
        for org in county.organisations:
            add(Organisation(
                name=org.name, kind=OrganisationKind(org.kind), id=org.id,
                parent_id=None if org.id == county_org or org.kind != "municipality"
                else county_org,
                area_id=areas[org.area].id if org.area else None))
        uow.flush()
        password_hash = hash_password(DEMO_PASSWORD)  # one argon2 hash for all: demo only
        for person in county.users:
            add(User(
                username=person.username, display_name=person.display_name,
                email=f"{person.username}@demo.lotse.invalid",
                organisation_id=county.organisation(person.organisation).id,
                roles=list(person.roles), area_ids=[str(areas[a].id) for a in person.areas],
                fte=person.fte, voting=person.voting, password_hash=password_hash,
                id=person.id))
        uow.flush()
        awo = county.organisation("awo")
        clients = [
            ApiClient(client_id=CONSOLE_CLIENT_ID, name="Lotse web console",
                      kind=ClientKind.public, organisation_id=county_org,
                      grant_types=["authorization_code", "password", "refresh_token"],
                      redirect_uris=console_redirect_uris(service.settings.public_url)),
            ApiClient(client_id=DEMO_INTAKE_CLIENT_ID, name="AWO – own intake (Erstberatung)",
                      kind=ClientKind.confidential, organisation_id=awo.id,
                      grant_types=["client_credentials"], roles=["provider_staff"],
                      area_ids=[str(areas["hoexter"].id), str(areas["beverungen"].id)],
                      secret_hash=secret_digest(DEMO_INTAKE_SECRET),
                      id=uuid.uuid5(awo.id, DEMO_INTAKE_CLIENT_ID)),
            ApiClient(client_id=DEMO_CASEWORK_CLIENT_ID, name="Casework service (handover)",
                      kind=ClientKind.confidential, organisation_id=county_org,
                      grant_types=["client_credentials"], roles=["service"],
                      secret_hash=secret_digest(DEMO_CASEWORK_SECRET),
                      id=uuid.uuid5(county_org, DEMO_CASEWORK_CLIENT_ID)),
            ApiClient(client_id=DEMO_NETWORK_CLIENT_ID,
                      name="Network service (consent check of referrals)",
                      kind=ClientKind.confidential, organisation_id=county_org,
                      grant_types=["client_credentials"], roles=["service"],
                      secret_hash=secret_digest(DEMO_NETWORK_SECRET),
                      id=uuid.uuid5(county_org, DEMO_NETWORK_CLIENT_ID)),
            ApiClient(client_id=DEMO_COUNTY_INTAKE_CLIENT_ID,
                      name="Intake service (caseload at admission)",
                      kind=ClientKind.confidential, organisation_id=county_org,
                      grant_types=["client_credentials"], roles=["service"],
                      secret_hash=secret_digest(DEMO_COUNTY_INTAKE_SECRET),
                      id=uuid.uuid5(county_org, DEMO_COUNTY_INTAKE_CLIENT_ID)),
            ApiClient(client_id=DEMO_STEERING_CLIENT_ID,
                      name="Steering service (contacts of a data subject's request)",
                      kind=ClientKind.confidential, organisation_id=county_org,
                      grant_types=["client_credentials"], roles=["service"],
                      secret_hash=secret_digest(DEMO_STEERING_SECRET),
                      id=uuid.uuid5(county_org, DEMO_STEERING_CLIENT_ID)),
        ]
        for client in clients:
            add(client)
            uow.register_client_id(client.client_id)
        trainings = {training.key: training for training in default_catalogue()}
        for key, training in trainings.items():
            training.id = demo_id(f"training:{key}")  # known to the tests, like the others
        uow.add(*trainings.values())
        uow.flush()
        office = county.users_with_role("coordinator")[0].id
        people = {person.username for person in county.users}
        records = [
            Qualification(user_id=county.user(username).id, training_id=trainings[key].id,
                          completed_on=uow.today() - timedelta(days=days_ago),
                          recorded_by=str(office))
            for username, taken in DEMO_QUALIFICATIONS.items() if username in people
            for key, days_ago in taken]
        uow.add(*records)
        # announced like any other change, so consumers learn the county's structure
        for record in created:
            if isinstance(record, Area):
                uow.publish(area_created(record), aggregate_id=record.id, sequence=1)
            elif isinstance(record, Organisation):
                uow.publish(organisation_created(record), aggregate_id=record.id, sequence=1)
            elif isinstance(record, User):
                uow.publish(user_created(record), aggregate_id=record.id, sequence=1)
            else:
                uow.publish(client_created(record), aggregate_id=record.id)
        uow.audit("create", "tenant", tenant_id, reason="demo county seeded")
        uow.commit()
        written = (1 + len(county.areas) + len(county.organisations) + len(county.users)
                   + len(clients) + len(trainings) + len(records))
    log.info("identity.demo_seeded", extra={"records": written})
    return written
