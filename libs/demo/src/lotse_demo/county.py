"""Kreis Höxter as a demo tenant: organisations, areas and users with fixed ids.

Ids are UUIDv5 of a readable key (``org:awo``), so every service computes the same ones and a
developer can find them again (:func:`demo_id`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

NAMESPACE = uuid.UUID("6f1c0a52-8d0e-4c5e-9a51-1b7d3c2e4f60")

#: the password of every demo user (embedded and local demo only; never in a real deployment)
DEMO_PASSWORD = "lotse-demo"


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    kind: str  # "cluster" (Clusterregion) or "town" (kreisangehörige Stadt)
    parent: str | None = None

    @property
    def id(self) -> uuid.UUID:
        return demo_id(f"area:{self.key}")


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    # county_administration, municipality, welfare_provider, immigration_office, jobcenter, ...
    kind: str
    area: str | None = None  # a municipality's town

    @property
    def id(self) -> uuid.UUID:
        return demo_id(f"org:{self.key}")


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    organisation: str
    roles: tuple[str, ...]
    areas: tuple[str, ...] = ()
    fte: float | None = None  # case managers: share of a full-time post (Stellenanteil)
    voting: bool | None = None  # steering members: voting or advisory

    @property
    def id(self) -> uuid.UUID:
        return demo_id(f"user:{self.username}")


@dataclass(frozen=True)
class DemoCounty:
    key: str
    name: str
    areas: tuple[Area, ...]
    organisations: tuple[Organisation, ...]
    users: tuple[User, ...]
    password: str = DEMO_PASSWORD
    notes: dict = field(default_factory=dict)

    @property
    def tenant_id(self) -> uuid.UUID:
        return demo_id(f"tenant:{self.key}")

    def area(self, key: str) -> Area:
        return next(a for a in self.areas if a.key == key)

    def organisation(self, key: str) -> Organisation:
        return next(o for o in self.organisations if o.key == key)

    def user(self, username: str) -> User:
        return next(u for u in self.users if u.username == username)

    def directory(self) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
        """``(kind, id, parent id, roles)`` of every organisation, area and user: what identity
        publishes of this county (ids and roles, never names), for the replicas that the other
        services check references against when they seed before identity's events arrive."""
        def parent(key: str | None, of) -> str | None:
            return str(of(key).id) if key else None

        return [*(("area", str(a.id), parent(a.parent, self.area), ()) for a in self.areas),
                *(("organisation", str(o.id), None, ()) for o in self.organisations),
                *(("user", str(u.id), parent(u.organisation, self.organisation), u.roles)
                  for u in self.users)]

    def organisation_names(self) -> dict[str, str]:
        """Organisation id → name: what identity publishes with each organisation (ADR 0086)."""
        return {str(o.id): o.name for o in self.organisations}

    def reference_names(self) -> dict[str, str]:
        """Organisation and area id → name: what identity publishes with each (ADR 0086)."""
        return {**self.organisation_names(), **{str(a.id): a.name for a in self.areas}}

    def towns(self) -> list[Area]:
        return [a for a in self.areas if a.kind == "town"]

    def users_with_role(self, role: str) -> list[User]:
        return [u for u in self.users if role in u.roles]


_CLUSTERS = {
    # Höxter's four cluster regions (Umsetzungskonzept 2021)
    "nord": ("Clusterregion I – Nordkreis", ["steinheim", "nieheim", "marienmuenster"]),
    "sued": ("Clusterregion II – Südkreis", ["warburg", "willebadessen", "borgentreich"]),
    "mitte-west": ("Clusterregion III – Mitte-West", ["bad-driburg", "brakel"]),
    "ost": ("Clusterregion IV – Ost", ["hoexter", "beverungen"]),
}
_TOWNS = {
    "steinheim": "Steinheim", "nieheim": "Nieheim", "marienmuenster": "Marienmünster",
    "warburg": "Warburg", "willebadessen": "Willebadessen", "borgentreich": "Borgentreich",
    "bad-driburg": "Bad Driburg", "brakel": "Brakel", "hoexter": "Höxter",
    "beverungen": "Beverungen",
}


def _areas() -> tuple[Area, ...]:
    areas = []
    for key, (name, towns) in _CLUSTERS.items():
        areas.append(Area(key, name, "cluster"))
        areas.extend(Area(town, _TOWNS[town], "town", parent=key) for town in towns)
    return tuple(areas)


def _organisations() -> tuple[Organisation, ...]:
    return (
        Organisation("kreis", "Kreis Höxter – Kommunales Integrationszentrum", "county_administration"),
        *(Organisation(f"stadt-{t}", f"Stadt {n}", "municipality", area=t) for t, n in _TOWNS.items()),
        Organisation("awo", "AWO Kreisverband Höxter", "welfare_provider"),
        Organisation("caritas", "Caritasverband Brakel", "welfare_provider"),
        Organisation("diakonie", "Diakonie Paderborn-Höxter", "welfare_provider"),
        Organisation("abh", "Ausländerbehörde Kreis Höxter", "immigration_office"),
        Organisation("jobcenter", "Jobcenter Kreis Höxter", "jobcenter"),
        # the network of the concepts (001 L489, L495; 002 L385–386)
        Organisation("agentur", "Agentur für Arbeit Paderborn", "employment_agency"),
        Organisation("bamf", "BAMF Regionalkoordination", "bamf"),
        Organisation("schulamt", "Schulamt für den Kreis Höxter", "school"),
        Organisation("vhs", "Volkshochschule Diemel-Egge-Weser", "language_course_provider"),
        Organisation("mo", "Kulturverein Brücke e. V.", "migrant_organisation"),
        # where a concern for a child's wellbeing is reported (seed 001 L556)
        Organisation("jugendamt", "Kreisjugendamt Höxter", "youth_office"),
    )


def _users() -> tuple[User, ...]:
    all_towns = tuple(_TOWNS)
    return (
        User("admin", "Petra Adler", "kreis", ("tenant_admin",)),
        User("ks.koch", "Miriam Koch", "kreis", ("coordinator",), all_towns),
        User("ks.brandt", "Jonas Brandt", "kreis", ("coordinator",), all_towns),
        # the office's half-time assistant (002 L131 "0,5 Assistenzstelle"): trainings, records
        User("ks.assistenz", "Hannah Brinkmann", "kreis", ("coordination_assistant",), fte=0.5),
        # case managers employed by the towns (Dienstaufsicht) under the county's Fachaufsicht
        User("cm.hoexter", "Lea Schulte", "stadt-hoexter", ("case_manager",), ("hoexter",), 1.0),
        User("cm.beverungen", "Tobias Wehling", "stadt-beverungen", ("case_manager",),
             ("beverungen",), 1.0),
        User("cm.warburg", "Sevda Arslan", "stadt-warburg", ("case_manager",),
             ("warburg", "willebadessen"), 1.0),
        User("cm.borgentreich", "Nina Hoffmann", "stadt-borgentreich", ("case_manager",),
             ("borgentreich",), 0.5),
        User("cm.brakel", "Ahmad Rahimi", "stadt-brakel", ("case_manager",), ("brakel",), 1.0),
        User("cm.driburg", "Julia Meier", "stadt-bad-driburg", ("case_manager",),
             ("bad-driburg",), 0.75),
        User("cm.steinheim", "Katrin Vogt", "stadt-steinheim", ("case_manager",),
             ("steinheim",), 0.5),
        User("cm.nieheim", "Markus Lange", "stadt-nieheim", ("case_manager",),
             ("nieheim", "marienmuenster"), 0.5),
        User("admin.awo", "Sabine Krüger", "awo", ("org_admin",)),
        User("awo.beratung", "Daniel Fischer", "awo", ("provider_staff",), ("hoexter", "beverungen")),
        User("admin.caritas", "Thomas Berg", "caritas", ("org_admin",)),
        User("caritas.beratung", "Elena Popescu", "caritas", ("provider_staff",),
             ("brakel", "bad-driburg")),
        User("diakonie.beratung", "Frank Neumann", "diakonie", ("provider_staff",),
             ("warburg", "borgentreich", "willebadessen")),
        User("abh.lotsin", "Aylin Demir", "abh", ("authority_liaison",), all_towns),
        User("jobcenter.ip", "Stefan Richter", "jobcenter", ("provider_staff",), all_towns),
        User("lenkung.landrat", "Dr. Karl Held", "kreis", ("steering_member",), voting=True),
        User("lenkung.jobcenter", "Ute Sommer", "jobcenter", ("steering_member",), voting=True),
        User("lenkung.bamf", "Oliver Kraft", "kreis", ("steering_member",), voting=False),
        User("pruefung", "Renate Wolf", "kreis", ("auditor",)),
        # the county's data-protection officer (Datenschutzbeauftragte): the data map, no case
        User("datenschutz", "Sabine Lorenz", "kreis", ("data_protection_officer",)),
    )


COUNTY = DemoCounty(
    key="kreis-hoexter",
    name="Kreis Höxter (Demo)",
    areas=_areas(),
    organisations=_organisations(),
    users=_users(),
)
