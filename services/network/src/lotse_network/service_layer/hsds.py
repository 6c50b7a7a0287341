"""The directory's HSDS 3.0 export and import (issue 11, ADR 0088), the coordinating office's.

- Export: the whole directory of the tenant as an HSDS document (JSON) or HSDS's tabular data
  package (ZIP of CSVs); audited (``export`` of ``directory``).
- Import: all or nothing. Every object of the file is checked against HSDS's schema and Lotse's
  rules (towns and organisations known to the replica, Lotse's taxonomy terms, what the
  directory can hold) before anything is written; one rejected object refuses the file with a
  422 listing every rejected row, and nothing changes. An accepted file creates or replaces the
  entries by their HSDS ids in one transaction — an entry equal to the file's is left as it is,
  so importing an export again changes nothing — audits each change and publishes
  ``network.service.changed.v1`` for each changed service, as the edit path does. Entries of
  the directory the file does not name stay. ``dry_run``: the same checks and the same report,
  then the transaction is rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from lotse.network.v1.events_pb2 import DirectoryChange
from lotse_platform import clock
from lotse_platform.audit import CREATE, EXPORT, UPDATE
from lotse_platform.auth import COORDINATOR, authorize
from lotse_platform.http.text import refused_character
from lotse_platform.references import Kind

from ..adapters.hsds import document_errors, package_columns, package_paths
from ..adapters.hsds_package import package_zip, read_package
from ..domain.directory import DirectoryService, Location, Organization, revise
from ..domain.hsds import NESTED_TABLES, Document, as_hsds, as_tables
from ..domain.hsds_tabular import as_document
from ..domain.hsds_import import (
    ImportPlan,
    ImportRejected,
    Path,
    Rejection,
    pointer,
    read_document,
)
from .directory import change_of, editor, publish_change
from .unit_of_work import NetworkUnitOfWork

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


# -- export ------------------------------------------------------------------------------------------
def export_document(uow: NetworkUnitOfWork, *, form: str = "json") -> Document:
    """The tenant's directory as an HSDS document; the export is audited (``form``: json or
    csv, the record id of the audit entry)."""
    with uow:
        if uow.principal is not None:
            authorize(uow.principal, (COORDINATOR,))
        document = as_hsds(uow.list_organizations(), uow.list_locations(), uow.all_services())
        uow.audit(EXPORT, "directory", f"hsds-{form}")
        uow.commit()
    return document


def export_package(uow: NetworkUnitOfWork) -> bytes:
    """The tenant's directory as HSDS's tabular data package (ZIP)."""
    return package_zip(as_tables(export_document(uow, form="csv"), package_columns()))


# -- import ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryChange:
    table: str
    id: uuid.UUID
    change: str


@dataclass
class ImportReport:
    dry_run: bool
    changes: list[EntryChange] = field(default_factory=list)

    def count(self, table: str, change: str) -> int:
        return sum(1 for c in self.changes if c.table == table and c.change == change)


def _table_of(path: Path) -> str | None:
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], str):
            return NESTED_TABLES.get(str(path[i]), str(path[i]))
    return "organization" if path else None


def _object_at(document: Any, path: Path) -> Any:
    obj = document
    for step in path:
        try:
            obj = obj[step]
        except (KeyError, IndexError, TypeError):
            return None
    return obj


def schema_rejections(document: Any) -> tuple[list[Rejection], list[Path]]:
    """Each object of ``document`` that breaks HSDS's schema, and the paths of those objects."""
    if not isinstance(document, list):
        return [Rejection(None, "", None, None, "an HSDS document: a JSON array of "
                                                "organization objects")], [()]
    rejections, paths = [], []
    found = [*document_errors(document), *_refused_characters(document, ())]
    for path, name, reason in found:
        obj = _object_at(document, path)
        row = obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
        rejections.append(Rejection(_table_of(path), pointer(path), row, name, reason))
        paths.append(path)
    return rejections, paths


def _refused_characters(value: Any, path: Path) -> Iterable[tuple[Path, str | None, str]]:
    """Strings holding characters no text of Lotse takes (control characters, lone
    surrogates), as the API's text fields refuse them: (the object's path, the field, why)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                problem = refused_character(item, multiline=True)
                if problem is not None:
                    yield path, str(key), problem
            else:
                yield from _refused_characters(item, (*path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _refused_characters(item, (*path, i))


def _reference_rejections(uow: NetworkUnitOfWork, plan: ImportPlan) -> list[Rejection]:
    rejections = []
    for kind in {r.kind for r in plan.references}:
        wanted = [r for r in plan.references if r.kind == kind]
        known = uow.references.known(Kind(kind), {r.id for r in wanted})
        for r in wanted:
            found = known.get(r.id)
            if found is None or not found.active:
                rejections.append(Rejection(r.table, r.path, r.row, r.field,
                                            f"no {kind} of this county has this id"
                                            if found is None else f"this {kind} is disabled"))
    in_file = {loc.id for loc in plan.locations}
    for path, row, k, location_id in plan.placements:
        if location_id not in in_file and uow.get_location(location_id) is None:
            rejections.append(Rejection("service", path, row or None,
                                        f"service_at_locations.{k}.location_id",
                                        "no location of the file or of the directory"))
    return rejections


E = TypeVar("E", Organization, Location)


def _same(new: E, current: E | None) -> bool:
    return current is not None and replace(new, version=current.version,
                                           updated_at=current.updated_at,
                                           updated_by=current.updated_by) == current


def import_document(uow: NetworkUnitOfWork, document: Any, *, dry_run: bool) -> ImportReport:
    """Import an HSDS document into the tenant's directory, all or nothing (see the module)."""
    if uow.principal is not None:
        authorize(uow.principal, (COORDINATOR,))
    return _import(uow, document, dry_run=dry_run, locate=lambda rejection: rejection)


def import_package(uow: NetworkUnitOfWork, archive: bytes, *, dry_run: bool) -> ImportReport:
    """Import HSDS's tabular data package (a ZIP of CSVs, as the export writes it): its rows
    checked against HSDS's tables, then read back as the document and imported as one, each
    rejection naming its CSV row (``services.csv#row=4``)."""
    if uow.principal is not None:
        authorize(uow.principal, (COORDINATOR,))
    rows = read_package(archive)
    if rows.problems:
        raise ImportRejected([Rejection(*problem) for problem in rows.problems])
    package = as_document(rows.tables, package_paths())
    if package.rejections:
        raise ImportRejected(package.rejections)
    return _import(uow, package.document, dry_run=dry_run, locate=package.located)


def _import(uow: NetworkUnitOfWork, document: Any, *, dry_run: bool,
            locate: Callable[[Rejection], Rejection]) -> ImportReport:
    rejections, failed = schema_rejections(document)
    plan = read_document(document, failed) if isinstance(document, list) else ImportPlan()
    rejections += plan.rejections
    report = ImportReport(dry_run=dry_run)
    with uow:
        rejections += _reference_rejections(uow, plan)
        if rejections:
            raise ImportRejected([locate(r) for r in rejections])
        _write(uow, plan, report)
        if not dry_run:
            uow.commit()
    return report


def _write(uow: NetworkUnitOfWork, plan: ImportPlan, report: ImportReport) -> None:
    now, by = clock.now(), editor(uow.principal)
    republish: dict[uuid.UUID, str] = {}  # services whose organisation or town changed
    for organization in plan.organizations:
        current = uow.get_organization(organization.id)
        if _same(organization, current):
            report.changes.append(EntryChange("organization", organization.id, UNCHANGED))
            continue
        uow.save_organization(replace(organization, version=current.version + 1 if current else 1,
                                      updated_at=now, updated_by=by))
        uow.audit(UPDATE if current else CREATE, "directory_organization", organization.id)
        report.changes.append(EntryChange("organization", organization.id,
                                          UPDATED if current else CREATED))
        if current is not None and current.identity_org_id != organization.identity_org_id:
            republish.update({s.id: "organization_id"
                              for s in uow.services_of_organization(organization.id)})
    for location in plan.locations:
        current_location = uow.get_location(location.id)
        if _same(location, current_location):
            report.changes.append(EntryChange("location", location.id, UNCHANGED))
            continue
        uow.save_location(replace(
            location, version=current_location.version + 1 if current_location else 1,
            updated_at=now, updated_by=by))
        uow.audit(UPDATE if current_location else CREATE, "directory_location", location.id)
        report.changes.append(EntryChange("location", location.id,
                                          UPDATED if current_location else CREATED))
        if (current_location is not None
                and current_location.municipality_id != location.municipality_id):
            republish.update({s.id: "location_ids"
                              for s in uow.services_at_location(location.id)})
    written = _write_services(uow, plan.services, report)
    for service_id, changed in republish.items():
        if service_id in written:
            continue
        service = uow.get_service(service_id)
        if service is not None:
            uow.save_service(service)  # its search facets: the towns of its locations
            publish_change(uow, service, uow.get_organization(service.organization_id),
                           DirectoryChange.DIRECTORY_CHANGE_UPDATED, [changed])


def _write_services(uow: NetworkUnitOfWork, services: Iterable[DirectoryService],
                    report: ImportReport) -> set[uuid.UUID]:
    now, by = clock.now(), editor(uow.principal)
    written = set()
    for draft in services:
        current = uow.get_service(draft.id)
        if current is not None and not draft.changed_fields(current):
            report.changes.append(EntryChange("service", draft.id, UNCHANGED))
            continue
        if current is None:
            service = replace(draft, version=1, updated_at=now, updated_by=by)
            change, changed = DirectoryChange.DIRECTORY_CHANGE_CREATED, list[str]()
        else:
            service = revise(current, draft, by, now)
            change, changed = change_of(current, service)
        uow.save_service(service)
        uow.audit(UPDATE if current else CREATE, "directory_service", service.id)
        publish_change(uow, service, uow.get_organization(service.organization_id), change,
                       changed)
        report.changes.append(EntryChange("service", service.id,
                                          UPDATED if current else CREATED))
        written.add(service.id)
    return written
