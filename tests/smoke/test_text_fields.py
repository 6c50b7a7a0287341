"""Every string an API of any service takes refuses hostile text with a problem document naming
the field (ADR 0060), in embedded mode (SQLite, in-memory bus) as every run mode: walked from each
service's own OpenAPI description, so a field added tomorrow is walked too.

- A NUL in every string field of every request body, and in every string query parameter: 422
  naming the field (or parameter) and saying which character, before anything is stored. A field
  declared with marshmallow's ``String`` instead of the platform's ``Line``/``Text`` would take
  it (and PostgreSQL would answer 500).
- A body nested a thousand levels deep, and a lone surrogate in a string, at every operation
  that takes JSON: 400, never a 500.

The caller holds every role, so that no view refuses her before it reads what she sent.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import quote

import pytest
from flask import Flask

from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.auth.principal import ROLES, SERVICE
from lotse_platform.service import installed_services
from lotse_platform.settings import load_settings

_METHODS = ("get", "put", "post", "delete", "patch")
_PARAMETER = re.compile(r"{([^}]+)}")
NUL = "\x00"


@pytest.fixture(scope="module")
def apps(tmp_path_factory) -> dict[str, Flask]:
    """name -> the service's app as embedded mode builds it, trusting a test issuer."""
    data = tmp_path_factory.mktemp("textfields")
    issuer = DevIssuer()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOTSE_MODE", "embedded")
        env.setenv("LOTSE_BROKER_URL", "memory://")
        env.setenv("LOTSE_PUBLIC_URL", "http://localhost:8080")
        apps = {}
        for cls in installed_services():
            if not cls.describes_api:
                continue  # the web console serves pages; its forms are its browser tests'
            service = cls(load_settings(cls.settings_class,
                                        database_url=f"sqlite:///{data}/{cls.name}.db"))
            service.trust(issuer.keys(), issuer.issuer)
            apps[service.name] = service.create_app(check_database=False)
    token = issuer.issue("everyone", uuid.uuid4(), "org-everyone", sorted(ROLES | {SERVICE}),
                         areas=["area-everywhere"])
    for app in apps.values():
        app.config["TEST_AUTHORIZATION"] = f"Bearer {token}"
    return apps


def resolved(document: dict, node: dict) -> dict:
    while "$ref" in node:
        _, _, kind, name = node["$ref"].split("/", 3)
        node = document["components"][kind][name]
    return node


def string_fields(document: dict, node: dict, path: tuple[str, ...] = ()):
    """(path, schema) of every string a request body of this schema may carry; the items of a
    list are walked at index 0, as a problem document numbers them."""
    node = resolved(document, node)
    if node.get("readOnly"):
        return
    for part in node.get("allOf", []):
        yield from string_fields(document, part, path)
    kind = node.get("type")
    if kind == "object":
        for name, field in node.get("properties", {}).items():
            yield from string_fields(document, field, (*path, name))
    elif kind == "array":
        yield from string_fields(document, node["items"], (*path, "0"))
    elif kind == "string":
        yield path, node


def _parsed(field: dict) -> bool:
    """A string that is not text but a value of its own: from a list, a date, an id."""
    return "enum" in field or field.get("format") in ("uuid", "date", "date-time", "decimal")


def placed(path: tuple[str, ...], value: object) -> object:
    """A body holding ``value`` at ``path`` and nothing else."""
    if not path:
        return value
    head, *rest = path
    inner = placed(tuple(rest), value)
    return [inner] if head == "0" else {head: inner}


def _filled(parameter: dict) -> str:
    """A path parameter's value: a fresh id, the least integer it takes, or a word."""
    if parameter.get("format") == "uuid":
        return str(uuid.uuid4())
    if parameter.get("type") == "integer":
        return str(parameter.get("minimum", 1))
    return "x"


def operations(apps: dict[str, Flask]):
    """(service, method, URL with its path parameters filled in, operation, description)."""
    for service, app in apps.items():
        document = app.test_client().get("/openapi.json").get_json()
        for template, item in document["paths"].items():
            for method in _METHODS:
                if method not in item:
                    continue
                operation = item[method]
                declared = [resolved(document, p) for p in
                            item.get("parameters", []) + operation.get("parameters", [])]
                parameters = {p["name"]: resolved(document, p.get("schema", {}))
                              for p in declared if p["in"] == "path"}
                url = _PARAMETER.sub(lambda m: _filled(parameters.get(m.group(1), {})),
                                     template)
                yield service, method, url, operation, document


def json_body_schema(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
    return content[media]["schema"] if media else None


def send(app: Flask, method: str, url: str, body: str | bytes | None = None):
    headers = {"Authorization": app.config["TEST_AUTHORIZATION"]}
    if body is None:
        return getattr(app.test_client(), method)(url, headers=headers)
    return getattr(app.test_client(), method)(url, data=body, headers=headers,
                                              content_type="application/json")


def refusal(answer, status: int) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    return {error["field"]: error["message"] for error in answer.get_json()["errors"]}


def test_a_nul_in_any_string_field_of_any_service_is_refused_naming_the_field(apps):
    walked: dict[str, int] = {}
    taken = []
    with_bodies = set()
    for service, method, url, operation, document in operations(apps):
        schema = json_body_schema(operation)
        if schema:
            with_bodies.add(service)
        fields = list(string_fields(document, schema)) if schema else []
        for path, field in fields:
            name = ".".join(path)
            answer = send(apps[service], method, url, json.dumps(placed(path, f"a{NUL}b")))
            where = f"{service} {method.upper()} {url} {name}"
            if answer.status_code != 422 or name not in refusal(answer, 422):
                taken.append(f"{where}: {answer.status_code} {answer.get_data(as_text=True)}")
                continue
            message = refusal(answer, 422)[name]
            # a closed vocabulary, a date or an id may say "must be one of", "not a valid date"
            # instead; text must name the NUL
            if not _parsed(field) and "U+0000" not in message:
                taken.append(f"{where}: {message}")
            walked[service] = walked.get(service, 0) + 1

    assert taken == [], "string fields that took a NUL:\n" + "\n".join(taken)
    # every service takes a body somewhere (reporting: the office's administration)
    assert set(walked) == with_bodies, "the walk saw no field of some service"
    assert set(apps) - with_bodies <= {"reporting"}, "a service without a body to walk"
    assert sum(walked.values()) >= 100


def test_a_nul_in_any_string_query_parameter_is_refused_naming_it(apps):
    walked = 0
    for service, method, url, operation, document in operations(apps):
        for parameter in (resolved(document, p) for p in operation.get("parameters", [])):
            if parameter["in"] != "query" or resolved(
                    document, parameter.get("schema", {})).get("type") != "string":
                continue
            answer = send(apps[service], method, f"{url}?{parameter['name']}={quote(NUL)}b")
            assert "U+0000" in refusal(answer, 422)[parameter["name"]], (service, url)
            walked += 1

    assert walked >= 10


def test_every_operation_taking_json_refuses_deep_nesting_and_lone_surrogates(apps):
    walked = 0
    for service, method, url, operation, document in operations(apps):
        schema = json_body_schema(operation)
        if schema is None:
            continue
        where = f"{service} {method.upper()} {url}"
        deep = send(apps[service], method, url, "[" * 1000 + "]" * 1000)
        assert refusal(deep, 400) == {"body": "nests deeper than 32 levels"}, where
        fields = list(string_fields(document, schema))
        if fields:
            path, _ = fields[0]
            lone = send(apps[service], method, url, json.dumps(placed(path, "a\ud800b")))
            assert ".".join(path) in refusal(lone, 400), where
        walked += 1

    assert walked >= 40
