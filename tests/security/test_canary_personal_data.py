"""Personal data never reaches an event (issue 18, point 5): a canary — a recognisable name and
birth date — put into every string field of every write of every service, one field at a time,
the other fields valid (built from the demo county), by a caller the authorisation matrix lets
through. Afterwards no event in any service's outbox, no message that went over the bus, no
audit entry and no log line holds it.

Walked from the merged OpenAPI description, so a field added tomorrow is walked too. A field
naming an id (``…_id``, ``…_ids``) must be refused with 422 naming the field: since ADR 0054
every organisation, area and user reference is checked against the directory, and no other id
is free text either — an id field is where personal data would otherwise slip into an event.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator


from lotse_platform.auth.principal import SERVICE
from lotse_platform.testing import poll

from .demo_requests import BODIES, BODIES_FOR_FIELD
from .embedded import OWN, Embedded
from .test_authorisation_matrix import load_matrix

CANARY = "Canary Kanarienvogel 1990-04-12"
#: the parts a payload might keep of it: the whole, the invented family name
NEEDLES = (CANARY.encode(), b"Kanarienvogel")
_WRITES = ("post", "put", "patch")
_PARAMETER = re.compile(r"{([^}]+)}")
#: whose token writes, among the roles the matrix lets through: the one closest to the work
_PREFERRED = ("case_manager", "coordinator", "tenant_admin", "org_admin", "provider_staff",
              "authority_liaison", SERVICE)


#: id fields that still take any text, each with why (issue 18 follow-ups): the test fails when
#: one of them starts refusing the canary, so that the list only ever shrinks
UNCHECKED_IDS = {
}

#: fields that hold an institution's data and travel with events by design, each with its
#: decision: they get an institution's name instead of the canary, and the test checks that it
#: does travel (so the list holds only what is needed)
INSTITUTION_FIELDS = {
    ("POST /api/v1/identity/organisations", "name"): "an organisation's name (ADR 0086)",
    ("PATCH /api/v1/identity/organisations/{organisation_id}", "name"):
        "an organisation's name (ADR 0086)",
    ("POST /api/v1/identity/areas", "name"): "a place's name (ADR 0086, amended for areas)",
    ("PATCH /api/v1/identity/areas/{area_id}", "name"):
        "a place's name (ADR 0086, amended for areas)",
}
INSTITUTION = "Kanarien-Beratungsstelle e. V."


def resolved(document: dict, node: dict) -> dict:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].split("/")[-1]]
    return node


def string_fields(document: dict, node: dict,
                  path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every string a request body of this schema may carry; list items at index
    0, as a problem document numbers them."""
    node = resolved(document, node)
    if node.get("readOnly"):
        return
    for part in node.get("allOf", []) + node.get("anyOf", []) + node.get("oneOf", []):
        yield from string_fields(document, part, path)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, field in node.get("properties", {}).items():
            yield from string_fields(document, field, (*path, name))
    elif kind == "array":
        yield from string_fields(document, node["items"], (*path, "0"))
    elif kind == "string" or "enum" in node:
        yield path


def with_canary(body: object, path: tuple[str, ...], canary: str = CANARY) -> object:
    """``body`` with the canary at ``path``, containers made where the valid body has none."""
    if not path:
        return canary
    head, *rest = path
    if head == "0":
        items = list(body) if isinstance(body, list) else []
        first = items[0] if items else None
        return [with_canary(first, tuple(rest), canary), *items[1:]]
    fields = dict(body) if isinstance(body, dict) else {}
    fields[head] = with_canary(fields.get(head), tuple(rest), canary)
    return fields


def names_an_id(path: tuple[str, ...]) -> bool:
    named = [part for part in path if part != "0"]
    return named[-1].endswith(("_id", "_ids"))


def writes(document: dict, matrix: dict) -> Iterator[tuple[str, str, dict]]:
    """(operation, its JSON body schema, its matrix entry) of every write taking JSON."""
    for template, item in document["paths"].items():
        for method in _WRITES:
            operation = item.get(method)
            content = (operation or {}).get("requestBody", {}).get("content", {})
            if "application/json" in content:
                key = f"{method.upper()} {template}"
                yield key, content["application/json"]["schema"], matrix[key]


def caller_for(entry: dict) -> str:
    allowed = [role for role in _PREFERRED if role in entry["roles"]] or [SERVICE]
    return {**OWN, **entry.get("own", {})}[allowed[0]]


def canary_seen(embedded: Embedded, needles: tuple[bytes, ...] = NEEDLES) -> list[str]:
    """Where the canary (or other ``needles``) is, among everything the platform published,
    audited and logged."""
    seen = []
    for row in embedded.outbox():
        text = b" ".join(str(row[c]).encode() for c in ("aggregate_id", "subject", "event_type"))
        if any(needle in bytes(row["payload"]) + text for needle in needles):
            seen.append(f"{row['service']} outbox: {row['event_type']}")
    for body, headers in embedded.bus_messages():
        if any(needle in body + json.dumps(headers, default=str).encode() for needle in needles):
            seen.append(f"bus: {headers.get('ce_type', headers)}")
    for entry in embedded.audit_entries():
        text = json.dumps(entry, default=str).encode()
        if any(needle in text for needle in needles):
            seen.append(f"{entry['service']} audit: {entry['action']} {entry['record_type']} "
                        f"reason={entry.get('reason')!r}")
    for line in embedded.log.lines:
        if any(needle.decode() in line for needle in needles):
            seen.append(f"log: {line[:300]}")
    return seen


def test_a_canary_in_any_string_field_of_any_write_reaches_no_event_audit_entry_or_log(
        embedded, records):
    document, matrix = embedded.openapi(), load_matrix()
    answers: Counter[str] = Counter()
    walked: dict[str, int] = Counter()
    wrong, unchecked = [], set()
    for operation, schema, entry in writes(document, matrix):
        method, template = operation.split(" ", 1)
        path = _PARAMETER.sub(lambda m: records[entry["path"][m.group(1)]], template)
        token = embedded.token(caller_for(entry))
        for field in string_fields(document, schema):
            name = ".".join(field)
            valid = BODIES_FOR_FIELD.get((operation, field[0]), BODIES.get(operation))
            canary = INSTITUTION if (operation, name) in INSTITUTION_FIELDS else CANARY
            body = with_canary(valid(records) if valid else {}, field, canary)
            answer = embedded.request(method, path, token, body=body)
            if answer.status_code == 428:
                # a replace of what exists needs the version read (If-Match): read it, send again
                etag = embedded.request("GET", path, token).headers.get("ETag")
                answer = embedded.request(method, path, token, body=body,
                                          headers={"If-Match": etag} if etag else None)
            status = answer.status_code
            answers[f"{status // 100}xx"] += 1
            walked[operation.split("/")[3]] += 1
            where = f"{operation} {name} ({caller_for(entry)})"
            if status >= 500:
                wrong.append(f"{where}: {status} {answer.get_data(as_text=True)[:200]}")
            elif (operation, name) in UNCHECKED_IDS:
                if 200 <= status < 300:
                    unchecked.add((operation, name))
            elif names_an_id(field):
                named = {e.get("field") for e in (answer.get_json(silent=True) or {}).get(
                    "errors", [])}
                if status != 422 or not any(n == name or n.startswith(f"{name}.")
                                            or name.startswith(f"{n}.") for n in named if n):
                    # a refusal before the body is read (403, 404, 409) says nothing of the field
                    if status not in (403, 404, 409):
                        wrong.append(f"{where}: an id field took the canary: {status} "
                                     f"{sorted(named)} "
                                     f"{answer.get_data(as_text=True)[:200]}")
    assert wrong == [], "\n".join(wrong)
    assert unchecked == set(UNCHECKED_IDS), "checked now: remove from UNCHECKED_IDS: " + \
        str(set(UNCHECKED_IDS) - unchecked)
    # the walk reached every service's writes, and many of them were accepted and published
    assert set(walked) == {"identity", "intake", "casework", "example", "network",
                           "reporting", "steering"}, walked
    assert sum(walked.values()) >= 150, walked
    assert answers["2xx"] >= 40, answers

    # every event the writes caused has gone out over the bus before it is searched
    poll(lambda: all(row["published_at"] is not None for row in embedded.outbox()),
         timeout=30, message="every outbox row to be published")
    seen = canary_seen(embedded)
    assert seen == [], "the canary reached:\n" + "\n".join(seen)
    travelled = {place.split(":")[1].strip() for place in
                 canary_seen(embedded, (INSTITUTION.encode(),)) if place.startswith("identity outbox")}
    assert travelled == {"identity.organisation.created.v1", "identity.organisation.changed.v1",
                         "identity.area.created.v1", "identity.area.changed.v1"}, \
        "an institution's name travels where its decision says, and nowhere else"


def test_the_search_sees_into_events_the_bus_audit_entries_and_log_lines(embedded, records):
    """The search above finds what is there: an id that events, audit entries and log lines
    carry (a demo admission's intake: its events, its audit entries, casework's log line that
    its case is open already) is found in each of the four places."""
    admitted = records["intake"].encode()

    def places() -> set[str]:
        return {seen.split(" ")[1] if not seen.startswith(("bus", "log")) else seen[:3]
                for seen in canary_seen(embedded, (admitted,))}

    # the relays publish and casework's consumer logs in their own threads
    poll(lambda: {"outbox:", "audit:", "bus", "log"} <= places(), timeout=30,
         message="the intake's id in the outbox, the audit trail, on the bus and in the log")
