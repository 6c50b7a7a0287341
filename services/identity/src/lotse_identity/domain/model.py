"""Who works where: tenants, organisations, areas, users and API clients (DOMAIN.md §1).

No Flask, SQLAlchemy or kombu here. German terms where users look for them: *Kreis* (county),
*kreisangehörige Stadt* (municipality), *Clusterregion*, *Träger der Freien Wohlfahrtspflege*
(welfare provider), *Ausländerbehörde* (immigration office), *Stellenanteil* (FTE share),
*Lenkungsgruppe* (steering group, voting or advisory members).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from lotse_platform.auth.principal import (
    AUDITOR,
    COORDINATION_ASSISTANT,
    COORDINATOR,
    DATA_PROTECTION_OFFICER,
    ROLES,
    SERVICE,
    STEERING_MEMBER,
    TENANT_ADMIN,
)
from lotse_platform.errors import Conflict, Forbidden, NotFound, Unprocessable


def now() -> datetime:
    return datetime.now(UTC)


class DomainError(Unprocessable):
    """A rule of the domain refused the change (422). ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, errors=[{"field": field, "message": message}] if field else [])
        self.field = field


class TenantKind(str, enum.Enum):
    county = "county"  # Kreis
    city = "city"  # kreisfreie Stadt


class OrganisationKind(str, enum.Enum):
    county_administration = "county_administration"  # Kreisverwaltung / Kommunales Integrationszentrum
    municipality = "municipality"  # kreisangehörige Stadt / Gemeinde
    welfare_provider = "welfare_provider"  # Träger der Freien Wohlfahrtspflege (AWO, Caritas …)
    immigration_office = "immigration_office"  # Ausländer- / Einbürgerungsbehörde
    jobcenter = "jobcenter"
    social_office = "social_office"  # Sozialamt
    youth_office = "youth_office"  # Jugendamt
    health_office = "health_office"  # Gesundheitsamt
    # the network the seeds name (001 L489, L495; 002 L385–386)
    employment_agency = "employment_agency"  # Agentur für Arbeit (Bundesagentur für Arbeit)
    bamf = "bamf"  # Bundesamt für Migration und Flüchtlinge (Regionalkoordination)
    migrant_organisation = "migrant_organisation"  # Migrantenorganisation (MO)
    school = "school"  # Schule, Schulamt
    language_course_provider = "language_course_provider"  # Sprachkursträger
    other = "other"


class AreaKind(str, enum.Enum):
    county = "county"  # the whole county
    cluster = "cluster"  # Clusterregion (Höxter: 4 clusters of towns)
    town = "town"  # kreisangehörige Stadt
    district = "district"  # Stadtbezirk / Stadtteil


#: Roles an organisation's administrator may not hand out: they act for the whole tenant (the
#: coordinating office's assistant reads every organisation's staff records, the data-protection
#: officer the county's record of processing activities), or (``service``) let a machine call
#: services as a Lotse service.
TENANT_WIDE_GRANTS = frozenset({TENANT_ADMIN, COORDINATOR, COORDINATION_ASSISTANT, AUDITOR,
                                DATA_PROTECTION_OFFICER, SERVICE})
#: Roles of machine clients only, never of a person.
CLIENT_ONLY_ROLES = frozenset({SERVICE})
MIN_FTE, MAX_FTE = Decimal("0.05"), Decimal("1.00")


def validate_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise DomainError(f"unknown role(s): {', '.join(unknown)}", "roles")
    return roles


def validate_person_roles(roles: Iterable[str]) -> list[str]:
    roles = validate_roles(roles)
    if CLIENT_ONLY_ROLES & set(roles):
        raise DomainError("the service role is for machine clients only", "roles")
    return roles


def validate_fte(fte: Decimal | float | None) -> Decimal | None:
    if fte is None:
        return None
    value = Decimal(str(fte)).quantize(Decimal("0.01"))
    if not MIN_FTE <= value <= MAX_FTE:
        raise DomainError("an FTE share lies between 0.05 and 1.0", "fte")
    return value


@dataclass
class Tenant:
    """A county or city with its own deployment (a *Kreis* or a *kreisfreie Stadt*)."""

    key: str
    name: str
    kind: TenantKind
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        self.tenant_id = self.id


@dataclass
class Area:
    """A district or cluster region; areas nest (cluster → town → district)."""

    name: str
    kind: AreaKind
    parent_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    active: bool = True
    #: 1 on creation, +1 per change: the order of its events for every replica
    version: int = 1
    created_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    def touch(self) -> None:
        self.version += 1


@dataclass
class Organisation:
    name: str
    kind: OrganisationKind
    parent_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None  # a municipality's own area
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    active: bool = True
    version: int = 1
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    def touch(self) -> None:
        self.version += 1
        self.updated_at = now()


@dataclass
class User:
    """A person with an account: employed by one organisation (*Dienstaufsicht*), serving areas."""

    username: str
    display_name: str
    organisation_id: uuid.UUID
    email: str | None = None
    roles: list[str] = field(default_factory=list)
    area_ids: list[str] = field(default_factory=list)
    fte: Decimal | None = None
    voting: bool | None = None
    password_hash: str | None = None
    #: set by an administrator: the next login must choose a new one (*Kennwortänderung*)
    password_change_required: bool = False
    #: carried by every token issued for her; raised when they must all stop working
    token_generation: int = 0
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    active: bool = True
    version: int = 1
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        self.roles = validate_person_roles(self.roles)
        self.area_ids = sorted(set(self.area_ids))
        self.fte = validate_fte(self.fte)
        self.check_voting()

    def check_voting(self) -> None:
        if self.voting is not None and STEERING_MEMBER not in self.roles:
            raise DomainError("only steering members (Lenkungsgruppe) vote or advise", "voting")

    def touch(self) -> None:
        self.version += 1
        self.updated_at = now()

    def assign_roles(self, roles: Iterable[str]) -> list[str]:
        previous, self.roles = self.roles, validate_person_roles(roles)
        if STEERING_MEMBER not in self.roles:
            self.voting = None
        self.touch()
        return previous

    def assign_areas(self, area_ids: Iterable[str]) -> list[str]:
        previous, self.area_ids = self.area_ids, sorted(set(area_ids))
        self.touch()
        return previous

    def set_staffing(self, fte: Decimal | float | None, voting: bool | None) -> None:
        self.fte = validate_fte(fte)
        self.voting = voting
        self.check_voting()
        self.touch()

    def disable(self) -> bool:
        if not self.active:
            return False
        self.active = False
        self.end_sessions()
        self.touch()
        return True

    def enable(self) -> bool:
        if self.active:
            return False
        self.active = True
        self.touch()
        return True

    def replace_password(self, password_hash: str, *, change_required: bool) -> None:
        """A new password (its hash): set by herself, or by an administrator as a temporary
        one that the next login must change. Every token issued before stops working."""
        self.password_hash = password_hash
        self.password_change_required = change_required
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every refresh token, authorization code and (at identity) access token issued for
        her so far carries an older ``token_generation`` and is refused from now on."""
        self.token_generation += 1
        self.updated_at = now()

    def move_to(self, organisation_id: uuid.UUID) -> uuid.UUID:
        previous, self.organisation_id = self.organisation_id, organisation_id
        self.touch()
        return previous


@dataclass
class ExternalIdentity:
    """The link from a person at an external OIDC provider (issuer, subject) to a local user."""

    user_id: uuid.UUID
    issuer: str
    subject: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    created_at: datetime = field(default_factory=now)
    tenant_id: uuid.UUID | None = None


class ClientKind(str, enum.Enum):
    confidential = "confidential"  # has a secret: machines (a provider's own intake)
    public = "public"  # no secret: the web console (authorization code + PKCE)


GRANT_TYPES = frozenset({"client_credentials", "authorization_code", "refresh_token", "password"})


@dataclass
class ApiClient:
    """An OAuth client: a machine with its own service account, or the web console."""

    client_id: str
    name: str
    kind: ClientKind
    organisation_id: uuid.UUID
    grant_types: list[str]
    roles: list[str] = field(default_factory=list)
    area_ids: list[str] = field(default_factory=list)
    redirect_uris: list[str] = field(default_factory=list)
    secret_hash: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)  # the service account: "sub" of its tokens
    active: bool = True
    created_at: datetime = field(default_factory=now)
    revoked_at: datetime | None = None
    tenant_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        self.roles = validate_roles(self.roles)
        unknown = sorted(set(self.grant_types) - GRANT_TYPES)
        if unknown:
            raise DomainError(f"unknown grant type(s): {', '.join(unknown)}", "grant_types")
        if self.kind is ClientKind.public and "client_credentials" in self.grant_types:
            raise DomainError("a public client has no secret: no client_credentials", "grant_types")
        if "authorization_code" in self.grant_types and not self.redirect_uris:
            raise DomainError("the authorization code grant needs a redirect URI",
                              "redirect_uris")

    def revoke(self) -> bool:
        if not self.active:
            return False
        self.active = False
        self.revoked_at = now()
        return True


@dataclass
class RefreshToken:
    """A refresh token, stored as its SHA-256 only. Rotated on use; revoked at logout."""

    token_hash: str
    client_id: str
    user_id: uuid.UUID
    expires_at: datetime
    scope: str = ""
    #: the user's token generation when it was issued: an older one is refused
    token_generation: int = 0
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    issued_at: datetime = field(default_factory=now)
    revoked_at: datetime | None = None
    tenant_id: uuid.UUID | None = None

    def usable(self, at: datetime) -> bool:
        return self.revoked_at is None and at < self.expires_at


@dataclass
class AuthorizationCode:
    code_hash: str
    client_id: str
    user_id: uuid.UUID
    redirect_uri: str
    expires_at: datetime
    scope: str = ""
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    #: the user's token generation at her login: an older one is refused at the exchange
    token_generation: int = 0
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    used_at: datetime | None = None
    tenant_id: uuid.UUID | None = None


@dataclass
class LoginFailures:
    """Failed password attempts for one username (hashed) in a tenant; also for unknown names,
    so a lockout does not tell whether an account exists."""

    username_hash: str
    count: int = 0
    window_start: datetime = field(default_factory=now)
    locked_until: datetime | None = None
    tenant_id: uuid.UUID | None = None


class UnknownRecord(NotFound):
    """The record does not exist in the caller's tenant (always answered as 404)."""


class AlreadyTaken(Conflict):
    """A unique name (username, client_id) is in use (409). ``field`` names the input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, errors=[{"field": field, "message": message}])
        self.field = field


class NotGrantable(Forbidden):
    """The administrator may not hand out this role (403)."""


def check_grantable(granted_by: frozenset[str], roles: Iterable[str]) -> None:
    """An organisation's administrator hands out roles inside her organisation only: never
    one that acts for the whole tenant. A tenant administrator hands out every role."""
    if TENANT_ADMIN in granted_by:
        return
    forbidden = sorted(set(roles) & TENANT_WIDE_GRANTS)
    if forbidden:
        raise NotGrantable(f"only a tenant administrator grants: {', '.join(forbidden)}")
