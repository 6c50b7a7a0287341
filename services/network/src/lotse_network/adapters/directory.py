"""The directory's store on SQLAlchemy Core (ADR 0083): organisations, locations, services with
their schedules, locations and search facets, the tenant's public switch — and the search,
ranked by PostgreSQL's full-text search (``german`` configuration, ``ts_rank`` over a GIN-indexed
``tsvector``) or, in embedded mode, SQLite's FTS5 (``bm25``).

A mixin of :class:`~lotse_network.adapters.unit_of_work.SqlAlchemyNetworkUnitOfWork`: every
query names the unit of work's tenant (row-level security checks it again on PostgreSQL).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lotse_platform.db.engine import (
    MissingTenantContext,
    TenantSession,
    refused_by_row_level_security,
)

from ..domain.directory import (
    WEEKDAYS,
    Contact,
    DirectoryService,
    DirectorySettings,
    IdUsedElsewhere,
    Location,
    Organization,
    Schedule,
    ServicePage,
    ServiceSearch,
)
from ..domain.vocabulary import SEARCH_TERMS, label
from .orm import directory_locations as locations
from .orm import directory_organizations as organizations
from .orm import directory_schedules as schedules
from .orm import directory_service_at_location as at_location
from .orm import directory_service_facets as facets
from .orm import directory_services as services
from .orm import directory_settings as settings_table

FTS_TABLE = "directory_services_fts"
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_match(q: str) -> str | None:
    """An FTS5 query of the words of ``q``: each a quoted prefix, all required; None without
    any word (operators and quotes of the input never reach FTS5's syntax)."""
    words = _WORD.findall(q.lower())
    return " ".join(f'"{w}"*' for w in words[:20]) or None


class DirectoryStore:
    session: TenantSession
    tenant_id: uuid.UUID | None

    # -- helpers ------------------------------------------------------------------------------------
    @property
    def _tenant(self) -> uuid.UUID:
        if self.tenant_id is None:
            raise MissingTenantContext("the directory needs the unit of work's tenant")
        return self.tenant_id

    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _upsert(self, table: sa.Table, row: dict[str, Any], keys: list[str]) -> None:
        """Insert or update the tenant's row. An id that another tenant's row has (ids are
        global: an HSDS import names them) is never taken over: PostgreSQL's row-level
        security refuses it, and the update is limited to the tenant's own row besides (SQLite
        has no row-level security) — either way :class:`IdUsedElsewhere`."""
        dialect = postgresql if self._postgres() else sqlite
        insert = dialect.insert(table).values(**row)
        statement = insert.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={k: insert.excluded[k] for k in row if k not in keys},
            where=table.c.tenant_id == insert.excluded.tenant_id)
        try:
            written = self.session.execute(statement).rowcount  # type: ignore[attr-defined]
        except sa.exc.ProgrammingError as error:
            if refused_by_row_level_security(error):
                raise IdUsedElsewhere(str(table.name)) from None
            raise
        if written == 0:
            raise IdUsedElsewhere(str(table.name))

    # -- organisations ------------------------------------------------------------------------------
    def get_organization(self, organization_id: uuid.UUID) -> Organization | None:
        row = self.session.execute(sa.select(organizations).where(
            organizations.c.tenant_id == self._tenant,
            organizations.c.id == organization_id)).mappings().first()
        return _organization(row) if row else None

    def organizations_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Organization]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = self.session.execute(sa.select(organizations).where(
            organizations.c.tenant_id == self._tenant,
            organizations.c.id.in_(wanted))).mappings()
        return {r["id"]: _organization(r) for r in rows}

    def locations_by_id(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Location]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = self.session.execute(sa.select(locations).where(
            locations.c.tenant_id == self._tenant, locations.c.id.in_(wanted))).mappings()
        return {r["id"]: _location(r) for r in rows}

    def list_organizations(self) -> list[Organization]:
        rows = self.session.execute(sa.select(organizations).where(
            organizations.c.tenant_id == self._tenant).order_by(
            organizations.c.name, organizations.c.id)).mappings()
        return [_organization(r) for r in rows]

    def save_organization(self, organization: Organization) -> None:
        self._upsert(organizations, {
            "id": organization.id, "tenant_id": self._tenant, "name": organization.name,
            "description": organization.description,
            "identity_org_id": organization.identity_org_id, "email": organization.email,
            "website": organization.website, "version": organization.version,
            "updated_at": organization.updated_at, "updated_by": organization.updated_by}, ["id"])
        # its name is part of its services' search text
        for service in self.services_of_organization(organization.id):
            self._index_text(service)

    # -- locations ----------------------------------------------------------------------------------
    def get_location(self, location_id: uuid.UUID) -> Location | None:
        row = self.session.execute(sa.select(locations).where(
            locations.c.tenant_id == self._tenant,
            locations.c.id == location_id)).mappings().first()
        return _location(row) if row else None

    def list_locations(self, organization_id: uuid.UUID | None = None) -> list[Location]:
        query = sa.select(locations).where(locations.c.tenant_id == self._tenant)
        if organization_id is not None:
            query = query.where(locations.c.organization_id == organization_id)
        rows = self.session.execute(query.order_by(locations.c.name, locations.c.id)).mappings()
        return [_location(r) for r in rows]

    def save_location(self, location: Location) -> None:
        self._upsert(locations, {
            "id": location.id, "tenant_id": self._tenant,
            "organization_id": location.organization_id, "name": location.name,
            "location_type": location.location_type, "address_1": location.address_1,
            "postal_code": location.postal_code, "city": location.city,
            "municipality_id": location.municipality_id, "version": location.version,
            "updated_at": location.updated_at, "updated_by": location.updated_by}, ["id"])

    # -- services -----------------------------------------------------------------------------------
    def get_service(self, service_id: uuid.UUID) -> DirectoryService | None:
        found = self._services([service_id])
        return found[0] if found else None

    def services_at_location(self, location_id: uuid.UUID) -> list[DirectoryService]:
        ids = self.session.execute(sa.select(at_location.c.service_id).where(
            at_location.c.tenant_id == self._tenant,
            at_location.c.location_id == location_id)).scalars().all()
        return self._services(list(ids))

    def services_of_organization(self, organization_id: uuid.UUID) -> list[DirectoryService]:
        ids = self.session.execute(sa.select(services.c.id).where(
            services.c.tenant_id == self._tenant,
            services.c.organization_id == organization_id)).scalars().all()
        return self._services(list(ids))

    def all_services(self) -> list[DirectoryService]:
        """Every service of the tenant (active or not), by name then id."""
        ids = self.session.execute(sa.select(services.c.id).where(
            services.c.tenant_id == self._tenant).order_by(services.c.name,
                                                           services.c.id)).scalars().all()
        return self._services(list(ids))

    def save_service(self, service: DirectoryService) -> None:
        tenant = self._tenant
        self._upsert(services, {
            "id": service.id, "tenant_id": tenant, "organization_id": service.organization_id,
            "name": service.name, "description": service.description, "kind": service.kind,
            "status": service.status, "topic_areas": list(service.topic_areas),
            "legal_areas": list(service.legal_areas),
            "own_case_management": service.own_case_management,
            "fees_description": service.fees_description,
            "target_group_ids": list(service.target_group_ids),
            "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
            "languages": list(service.languages),
            "service_area_ids": list(service.service_area_ids),
            "contacts": [_contact_json(c) for c in service.contacts],
            "url": service.url, "email": service.email, "version": service.version,
            "updated_at": service.updated_at, "updated_by": service.updated_by}, ["id"])
        for table in (at_location, schedules, facets):
            self.session.execute(sa.delete(table).where(table.c.tenant_id == tenant,
                                                        table.c.service_id == service.id))
        if service.location_ids:
            self.session.execute(sa.insert(at_location), [
                {"service_id": service.id, "location_id": location_id, "tenant_id": tenant,
                 "position": i} for i, location_id in enumerate(service.location_ids)])
        if service.schedules:
            self.session.execute(sa.insert(schedules), [
                {"service_id": service.id, "position": i, "tenant_id": tenant,
                 "location_id": s.location_id, "byday": s.weekday, "opens_at": s.opens_at,
                 "closes_at": s.closes_at, "valid_from": s.valid_from, "valid_to": s.valid_to,
                 "description": s.description} for i, s in enumerate(service.schedules)])
        towns = set(self.session.execute(sa.select(locations.c.municipality_id).where(
            locations.c.tenant_id == tenant,
            locations.c.id.in_(service.location_ids))).scalars()) if service.location_ids else set()
        rows = {("topic", t) for t in service.topic_areas} | {
            ("language", lang) for lang in service.languages} | {
            ("target_group", g) for g in service.target_group_ids} | {
            ("area", a) for a in (*service.service_area_ids, *towns)}
        if rows:
            self.session.execute(sa.insert(facets), [
                {"service_id": service.id, "facet": f, "code": c, "tenant_id": tenant}
                for f, c in sorted(rows)])
        self._index_text(service)

    def _index_text(self, service: DirectoryService) -> None:
        """The service's full-text document: its name and the words for its kind (weight A),
        description (B), and its organisation, kind, topic areas, fees and towns (C)."""
        organization = self.get_organization(service.organization_id)
        places = [f"{loc.city} {loc.address_1}" for i in service.location_ids
                  if (loc := self.get_location(i)) is not None]
        extra = " ".join([organization.name if organization else "", label(service.kind),
                          *(label(t) for t in service.topic_areas),
                          service.fees_description or "", *places])
        # the words for its kind weigh as its name (domain/vocabulary.py SEARCH_TERMS)
        name = f"{service.name} {SEARCH_TERMS.get(service.kind, '')}".strip()
        if self._postgres():
            self.session.execute(sa.update(services).where(
                services.c.tenant_id == self._tenant, services.c.id == service.id).values(
                search_vector=sa.text(
                    "setweight(to_tsvector('german', :name), 'A') || "
                    "setweight(to_tsvector('german', :description), 'B') || "
                    "setweight(to_tsvector('german', :extra), 'C')").bindparams(
                    name=name, description=service.description, extra=extra)))
            return
        self.session.execute(sa.text(f"DELETE FROM {FTS_TABLE} WHERE service_id = :id"),
                             {"id": service.id.hex})
        self.session.execute(sa.text(
            f"INSERT INTO {FTS_TABLE} (service_id, tenant_id, name, description, extra) "
            "VALUES (:id, :tenant, :name, :description, :extra)"),
            {"id": service.id.hex, "tenant": self._tenant.hex, "name": name,
             "description": service.description, "extra": extra})

    def _services(self, ids: list[uuid.UUID]) -> list[DirectoryService]:
        """The services ``ids`` in that order, with their locations and schedules."""
        if not ids:
            return []
        tenant = self._tenant
        rows = {r["id"]: r for r in self.session.execute(sa.select(services).where(
            services.c.tenant_id == tenant, services.c.id.in_(ids))).mappings()}
        placed: dict[uuid.UUID, list[uuid.UUID]] = {}
        for r in self.session.execute(sa.select(at_location).where(
                at_location.c.tenant_id == tenant, at_location.c.service_id.in_(ids)).order_by(
                at_location.c.service_id, at_location.c.position)).mappings():
            placed.setdefault(r["service_id"], []).append(r["location_id"])
        hours: dict[uuid.UUID, list[Schedule]] = {}
        for r in self.session.execute(sa.select(schedules).where(
                schedules.c.tenant_id == tenant, schedules.c.service_id.in_(ids)).order_by(
                schedules.c.service_id, schedules.c.position)).mappings():
            hours.setdefault(r["service_id"], []).append(Schedule(
                weekday=r["byday"], opens_at=r["opens_at"], closes_at=r["closes_at"],
                valid_from=r["valid_from"], valid_to=r["valid_to"],
                location_id=r["location_id"], description=r["description"]))
        return [_service(rows[i], placed.get(i, []), hours.get(i, [])) for i in ids if i in rows]

    # -- search -------------------------------------------------------------------------------------
    def search_services(self, search: ServiceSearch) -> ServicePage:
        tenant = self._tenant
        where: list[sa.ColumnElement[bool]] = [services.c.tenant_id == tenant]
        if not search.include_inactive:
            where.append(services.c.status == "active")
        if search.kind:
            where.append(services.c.kind == search.kind)
        for facet, code in (("topic", search.topic_area), ("language", search.language),
                            ("target_group", search.target_group_id), ("area", search.area_id)):
            if code:  # a semi-join on the covering index (tenant, facet, code, service)
                where.append(services.c.id.in_(sa.select(facets.c.service_id).where(
                    facets.c.tenant_id == tenant, facets.c.facet == facet,
                    facets.c.code == code)))
        if search.open_at is not None:
            day, time = search.open_at.date(), search.open_at.strftime("%H:%M")
            where.append(sa.exists().where(
                schedules.c.tenant_id == tenant, schedules.c.service_id == services.c.id,
                schedules.c.byday == WEEKDAYS[search.open_at.weekday()],
                schedules.c.opens_at <= time, schedules.c.closes_at > time,
                sa.or_(schedules.c.valid_from.is_(None), schedules.c.valid_from <= day),
                sa.or_(schedules.c.valid_to.is_(None), schedules.c.valid_to >= day)))
        query = sa.select(services.c.id)
        order: list[Any] = []
        if search.q and search.q.strip():
            if self._postgres():
                text = sa.func.websearch_to_tsquery(sa.literal_column("'german'::regconfig"),
                                                    search.q)
                where.append(services.c.search_vector.op("@@")(text))
                order.append(sa.func.ts_rank(services.c.search_vector, text).desc())
            else:
                match = fts_match(search.q)
                if match is None:
                    return ServicePage([], 0, search.limit, search.offset)
                fts = sa.text(
                    f"SELECT service_id, bm25({FTS_TABLE}, 0.0, 0.0, 10.0, 4.0, 1.0) AS score "
                    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match AND tenant_id = :tenant"
                ).bindparams(match=match, tenant=tenant.hex).columns(
                    service_id=sa.String, score=sa.Float).subquery("fts")
                # SQLite keeps a UUID as its 32 hex digits, as the FTS table does
                query = query.join_from(services, fts,
                                        fts.c.service_id == sa.cast(services.c.id, sa.String))
                order.append(fts.c.score.asc())
        order += [services.c.name, services.c.id]
        # the number of all matches, then the page: the page alone lets PostgreSQL keep only the
        # top rows while it sorts (a window count was tried: no faster within the benchmark's
        # noise, bench/results/directory-2026-12-07.json)
        total = self.session.execute(
            sa.select(sa.func.count()).select_from(query.where(*where).subquery())).scalar_one()
        ids = self.session.execute(query.where(*where).order_by(*order).limit(
            search.limit).offset(search.offset)).scalars().all()
        return ServicePage(self._services(list(ids)), total, search.limit, search.offset)

    # -- the public switch --------------------------------------------------------------------------
    def directory_settings(self) -> DirectorySettings:
        row = self.session.execute(sa.select(settings_table).where(
            settings_table.c.tenant_id == self._tenant)).mappings().first()
        if row is None:
            return DirectorySettings()
        return DirectorySettings(public_api=row["public_api"], updated_at=row["updated_at"],
                                 updated_by=row["updated_by"])

    def save_directory_settings(self, settings: DirectorySettings) -> None:
        self._upsert(settings_table, {"tenant_id": self._tenant, "public_api": settings.public_api,
                                      "updated_at": settings.updated_at,
                                      "updated_by": settings.updated_by}, ["tenant_id"])


def _organization(r: Any) -> Organization:
    return Organization(name=r["name"], description=r["description"],
                        identity_org_id=r["identity_org_id"], email=r["email"],
                        website=r["website"], id=r["id"], version=r["version"],
                        updated_at=r["updated_at"], updated_by=r["updated_by"])


def _location(r: Any) -> Location:
    return Location(organization_id=r["organization_id"], name=r["name"],
                    address_1=r["address_1"], postal_code=r["postal_code"], city=r["city"],
                    municipality_id=r["municipality_id"], location_type=r["location_type"],
                    id=r["id"], version=r["version"], updated_at=r["updated_at"],
                    updated_by=r["updated_by"])


def _contact_json(c: Contact) -> dict[str, str | None]:
    return {"title": c.title, "department": c.department, "phone": c.phone, "email": c.email}


def _service(r: Any, location_ids: list[uuid.UUID], hours: list[Schedule]) -> DirectoryService:
    return DirectoryService(
        organization_id=r["organization_id"], name=r["name"], description=r["description"],
        kind=r["kind"], status=r["status"], topic_areas=tuple(r["topic_areas"]),
        legal_areas=tuple(r["legal_areas"]), fees_description=r["fees_description"],
        target_group_ids=tuple(r["target_group_ids"]), minimum_age=r["minimum_age"],
        maximum_age=r["maximum_age"], languages=tuple(r["languages"]),
        service_area_ids=tuple(r["service_area_ids"]), location_ids=tuple(location_ids),
        schedules=tuple(hours), contacts=tuple(Contact(**c) for c in r["contacts"]),
        url=r["url"], email=r["email"], id=r["id"], version=r["version"],
        updated_at=r["updated_at"], updated_by=r["updated_by"])
