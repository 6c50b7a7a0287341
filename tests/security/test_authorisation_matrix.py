"""The authorisation matrix (issue 18): every operation of the merged OpenAPI description ×
every role of the platform × a caller of the record's own organisation, of another organisation
and of another tenant, as reviewed in ``authorisation_matrix.yaml``, checked against the
embedded platform with the demo county — one request per cell.

- A caller of the own organisation whose role the entry lists gets through: no 401 or 403 (a
  404, 409 or 422 is a question of the record's state or the body, not of access).
- Every other role gets 403 (or 404 where the entry names a record the caller may not know of).
- A caller of another organisation with a listed role gets what the entry says for records
  (``other_organisation``: 403 or 404), or through where the operation names no record.
- A caller of another tenant with a listed role never gets the county's data: 404 where the
  entry says so (``other_tenant``), and in every answer no id of the demo county.

A new operation without an entry fails the first test: who may call it is decided here, in
review, not found out later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from lotse_demo import COUNTY
from lotse_platform.auth.principal import ROLES

from .demo_requests import BODIES
from .embedded import OTHER_ORGANISATION, OWN

MATRIX_FILE = Path(__file__).with_name("authorisation_matrix.yaml")
_METHODS = ("get", "put", "post", "patch", "delete")
_PARAMETER = re.compile(r"{([^}]+)}")
#: what a cell expects: through (no 401/403), refused (403 or 404), rejected (any 4xx: a
#: refusal, or a 422 for ids this tenant does not know), or one status
THROUGH, REFUSED, REJECTED = "through", "refused", "rejected"
_KEYS = {"public", "roles", "path", "query", "own", "other_organisation", "other_tenant",
         "note"}


def load_matrix() -> dict[str, dict]:
    return yaml.safe_load(MATRIX_FILE.read_text())


def described_operations(document: dict) -> set[str]:
    return {f"{method.upper()} {path}" for path, item in document["paths"].items()
            for method in _METHODS if method in item}


@dataclass(frozen=True)
class Cell:
    operation: str
    role: str
    caller: str  # a demo username, client:<id>, or other:<role>
    where: str  # own organisation, other organisation, other tenant
    expected: str | int

    def __str__(self) -> str:
        return f"{self.operation} as {self.role} of the {self.where} ({self.caller})"


def cells(matrix: dict[str, dict]) -> list[Cell]:
    """Every cell of the matrix, those expecting a refusal first: an allowed write may change
    a record (close a case, disable a user) that a later refusal would otherwise find changed."""
    found = []
    for operation, entry in matrix.items():
        if entry.get("public"):
            continue
        allowed = set(entry["roles"])
        own = {**OWN, **entry.get("own", {})}
        for role in sorted(ROLES):
            found.append(Cell(operation, role, own[role], "own organisation",
                              THROUGH if role in allowed else REFUSED))
        for role in sorted(allowed & set(OTHER_ORGANISATION)):
            found.append(Cell(operation, role, OTHER_ORGANISATION[role], "other organisation",
                              _expected(entry.get("other_organisation", THROUGH), role)))
        for role in sorted(allowed):
            found.append(Cell(operation, role, f"other:{role}", "other tenant",
                              _expected(entry.get("other_tenant", THROUGH), role)))
    return sorted(found, key=lambda cell: cell.expected == THROUGH)


def _expected(value: str | int | dict, role: str) -> str | int:
    """One expectation for all roles, or one per role (``{case_manager: 403, …}``)."""
    return value.get(role, THROUGH) if isinstance(value, dict) else value


#: records that are no id of the county: an unknown id, the other tenant's, a year, a half-year
NOT_COUNTY_IDS = ("unknown", "other_tenant", "funding_year", "fund_call_half",
                  "retention_class")


def county_ids(records: dict[str, str]) -> set[str]:
    """Ids only the demo county has: its tenant, organisations, areas, users and the records
    the tests made in it."""
    return ({str(COUNTY.tenant_id)} | {identifier for _, identifier, _, _ in COUNTY.directory()}
            | {value for name, value in records.items() if name not in NOT_COUNTY_IDS})


def test_every_operation_has_a_reviewed_entry_and_every_entry_an_operation(embedded):
    matrix = load_matrix()
    described = described_operations(embedded.openapi())
    assert sorted(described - set(matrix)) == [], "operations without an entry in " \
                                                  f"{MATRIX_FILE.name}"
    assert sorted(set(matrix) - described) == [], "entries of operations that do not exist"
    for operation, entry in matrix.items():
        assert set(entry) <= _KEYS, (operation, set(entry) - _KEYS)
        if entry.get("public"):
            continue
        assert set(entry["roles"]) <= ROLES, operation
        assert set(entry.get("own", {})) <= ROLES, operation
        assert set(_PARAMETER.findall(operation)) == set(entry.get("path", {})), operation


@pytest.mark.timeout(900)  # every operation × role: minutes on two busy cores
def test_every_cell_answers_as_the_matrix_says(embedded, records):
    matrix = load_matrix()
    ids = county_ids(records)
    # what another tenant's callers sent may come back to them (an id refused by name, a
    # note one of them wrote under an id of the county): only the county's own is a leak
    sent_by_other_tenant = ""
    wrong = []
    for cell in cells(matrix):
        entry = matrix[cell.operation]
        method, template = cell.operation.split(" ", 1)
        path = _PARAMETER.sub(lambda m: records[entry["path"][m.group(1)]], template)
        query = {name: records.get(value, value) for name, value in entry.get("query", {}).items()}
        body_of = BODIES.get(cell.operation)
        body = body_of(records) if body_of else None
        answer = embedded.request(method, path, embedded.token(cell.caller), body=body,
                                  query=query)
        # a printable form answers a PDF (ADR 0080): its bytes are not all UTF-8
        status, text = answer.status_code, answer.get_data().decode("utf-8", "replace")
        if status >= 400 and answer.mimetype != "application/problem+json":
            wrong.append(f"{cell}: {status} as {answer.mimetype}, not a problem document")
        if cell.expected == THROUGH:
            ok = status < 500 and status not in (401, 403)
        elif cell.expected == REFUSED:
            ok = status in (403, 404)
        elif cell.expected == REJECTED:
            ok = 400 <= status < 500
        else:
            ok = status == cell.expected
        if cell.where == "other tenant":
            sent_by_other_tenant += f"{path} {json.dumps(body, default=repr)} {json.dumps(query)}"
            shown = answer.get_json(silent=True) or text
            if isinstance(shown, dict):
                shown.pop("instance", None)
            leaked = sorted(i for i in ids
                            if i in json.dumps(shown) and i not in sent_by_other_tenant)
            if leaked:
                wrong.append(f"{cell}: {status} shows the county's ids {leaked[:3]}")
        if not ok:
            wrong.append(f"{cell}: {status}, expected {cell.expected}: {text[:160]}")
    assert wrong == [], f"{len(wrong)} cells differ from {MATRIX_FILE.name}:\n" + "\n".join(wrong)
