"""Rendering the configuration: the route table is validated, keys become PEM files HAProxy can
load, the rendered haproxy.cfg passes `haproxy -c` and has one signature rule per key, and the
OpenAPI descriptions merge without clashing names. No processes are started except `haproxy -c`
and the CLI itself."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from joserfc.jwk import ECKey, OKPKey, RSAKey
from openapi_spec_validator import validate

from lotse_gateway.haproxy import check_config, find_binary
from lotse_gateway.keys import Issuer, IssuerKeys, remove_key_files, signing_keys, write_key_files
from lotse_gateway.openapi import merge
from lotse_gateway.problems import REFUSALS, problem_body
from lotse_gateway.render import RenderOptions, render
from lotse_gateway.routes import RouteTableError, parse_routes
from lotse_gateway.settings import DEFAULT_ROUTES

IDENTITY = Issuer("http://127.0.0.1:8101/api/v1/identity",
                  "http://127.0.0.1:8101/.well-known/jwks.json", "lotse")
COUNTY = Issuer("https://login.kreis.test/realms/kim", "https://login.kreis.test/certs",
                "lotse-console", ("RS256",))

TABLE = """
routes:
  - name: example
    prefix: /api/v1/example
    upstreams: ["${EXAMPLE_UPSTREAM:-127.0.0.1:8190}"]
  - name: identity
    prefix: /api/v1/identity
    upstreams: ["127.0.0.1:8101"]
    public: [/oauth/, /.well-known/]
"""


def rsa(kid: str, **parameters) -> dict:
    return RSAKey.generate_key(2048, parameters={"kid": kid, **parameters}).as_dict(
        private=False)


# -- the route table --------------------------------------------------------------------------

def test_the_shipped_route_table_is_valid_and_routes_every_service():
    table = parse_routes(DEFAULT_ROUTES.read_text(), environ={})

    assert [route.name for route in table.routes] == [
        "identity", "intake", "casework", "network", "steering", "reporting", "console",
        "example"]
    assert {route.upstreams[0] for route in table.routes} == {
        "127.0.0.1:8101", "127.0.0.1:8102", "127.0.0.1:8103", "127.0.0.1:8104",
        "127.0.0.1:8106", "127.0.0.1:8108", "127.0.0.1:8109", "127.0.0.1:8190"}
    # the web console's pages need no token (its session cookie) and describe no API
    console = next(r for r in table.effective_routes() if r.name == "console")
    assert console.prefix == "/console" and "/" in console.public and not console.openapi


def test_values_are_taken_from_the_environment_with_their_defaults():
    table = parse_routes(TABLE, environ={"EXAMPLE_UPSTREAM": "example.lotse.svc:8000"})
    defaulted = parse_routes(TABLE, environ={})

    assert table.routes[0].upstreams == ("example.lotse.svc:8000",)
    assert defaulted.routes[0].upstreams == ("127.0.0.1:8190",)


def test_defaults_fill_in_what_a_route_leaves_out():
    (example, identity) = parse_routes(TABLE, environ={}).effective_routes()

    assert example.timeouts.connect == 3000 and example.timeouts.server == 30_000
    assert example.max_body_bytes == 1_048_576
    assert example.public == ("/healthz", "/readyz", "/openapi.json")
    assert example.blocked == ("/metrics",)
    assert identity.public[-2:] == ("/oauth/", "/.well-known/")


@pytest.mark.parametrize(("change", "message"), [
    ("prefix: /api/v1/example\n", "prefix: /api/v1/identity\n"),
    ("prefix: /api/v1/example", "prefix: /docs/x"),
    ('upstreams: ["${EXAMPLE_UPSTREAM:-127.0.0.1:8190}"]', 'upstreams: ["example"]'),
    ('upstreams: ["${EXAMPLE_UPSTREAM:-127.0.0.1:8190}"]', 'upstreams: ["${UNSET_UPSTREAM}"]'),
    ("name: example", "name: Example!"),
    ("public: [/oauth/, /.well-known/]", "public: [oauth]"),
])
def test_a_mistake_in_the_route_table_is_one_line_naming_the_place(change, message):
    with pytest.raises(RouteTableError) as refused:
        parse_routes(TABLE.replace(change, message, 1), source="routes.yaml", environ={})

    line = str(refused.value)
    assert "\n" not in line
    assert line.startswith("routes.yaml")


def test_durations_limits_and_origins_are_checked():
    with pytest.raises(RouteTableError, match=r"limits.per_user.per"):
        parse_routes(TABLE + "limits:\n  per_user: {requests: 5, per: soon}\n", environ={})
    with pytest.raises(RouteTableError, match=r"cors.origins"):
        parse_routes(TABLE + "cors:\n  origins: ['https://console.test/app']\n", environ={})
    with pytest.raises(RouteTableError, match="not valid YAML"):
        parse_routes("routes: [", environ={})


# -- keys -------------------------------------------------------------------------------------

def test_rsa_and_ec_keys_become_pem_files_and_keys_haproxy_cannot_use_are_left_out(tmp_path):
    document = {"keys": [
        rsa("rsa-1", alg="RS256", use="sig"),
        ECKey.generate_key("P-256", parameters={"kid": "ec-1"}).as_dict(private=False),
        rsa("pss-1", alg="PS256"),  # HAProxy 2.6 has no RSASSA-PSS
        OKPKey.generate_key("Ed25519", parameters={"kid": "ed-1"}).as_dict(private=False),
        rsa("enc-1", use="enc"),
        rsa("bad'kid"),
        {k: v for k, v in rsa("x").items() if k != "kid"},
    ]}

    keys = signing_keys(IDENTITY, document)
    paths = write_key_files(tmp_path, keys)

    assert [(key.kid, key.algorithm) for key in keys] == [("ec-1", "ES256"), ("rsa-1", "RS256")]
    assert all(path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----") for path in paths)
    assert len({path.name for path in paths}) == 2


def test_a_key_without_alg_may_sign_with_every_allowed_algorithm_of_its_type():
    keys = signing_keys(Issuer(IDENTITY.issuer, IDENTITY.jwks_uri, "lotse",
                               ("RS256", "RS512", "ES256")), {"keys": [rsa("k")]})

    assert [key.algorithm for key in keys] == ["RS256", "RS512"]


def test_key_files_no_configuration_refers_to_are_removed(tmp_path):
    (old,) = signing_keys(IDENTITY, {"keys": [rsa("old")]})
    (new,) = signing_keys(IDENTITY, {"keys": [rsa("new")]})
    write_key_files(tmp_path, [old, new])

    removed = remove_key_files(tmp_path, {new.file_name})

    assert removed == 1
    assert [p.name for p in tmp_path.glob("*.pem")] == [new.file_name]


# -- haproxy.cfg ------------------------------------------------------------------------------

@pytest.fixture
def rendered(tmp_path) -> tuple[str, Path]:
    options = RenderOptions(state_dir=tmp_path, bind="127.0.0.1:18080")
    # a key id may begin with "-" (base64url, one in 64 of identity's): not an ACL option
    identity_keys = signing_keys(IDENTITY, {"keys": [rsa("id-1", alg="RS256"),
                                                     rsa("-id-2", alg="RS256")]})
    write_key_files(options.key_dir, identity_keys)
    issuers = [IssuerKeys(IDENTITY, identity_keys, available=True),
               IssuerKeys(COUNTY)]  # never reached yet
    text = render(parse_routes(TABLE, environ={}), issuers, options)
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    return text, path


def test_the_rendered_configuration_is_accepted_by_haproxy(rendered):
    _, path = rendered

    check_config(find_binary(), path)


def test_there_is_one_signature_rule_per_key_in_every_route(rendered):
    text, _ = rendered

    rules = re.findall(r"jwt_verify\(RS256,'([^']+)'\).*?jwt_kid\) -m str -- '([^']+)'", text)
    kids = sorted({kid for _, kid in rules})
    assert kids == ["-id-2", "id-1"]
    assert len(rules) == 2 * 2  # two keys in each of two routes
    assert all(Path(path).is_file() for path, _ in rules)


def test_tokens_of_an_issuer_whose_keys_were_never_fetched_are_503_not_401(rendered):
    text, _ = rendered

    assert ("str(keys_unavailable) if !checked "
            "{ var(txn.jwt_iss) -m str -- 'https://login.kreis.test/realms/kim' }") in text


def test_the_algorithm_allow_list_never_contains_none_or_hmac(rendered):
    text, _ = rendered

    (allowed,) = set(re.findall(r"!\{ var\(txn.jwt_alg\) -m str ([^}]+) \}", text))
    assert set(allowed.split()) == {"RS256", "ES256"}


def test_public_paths_are_only_those_of_their_route(rendered):
    text, _ = rendered
    example = text.split("\nbackend example")[1].split("\nbackend ")[0]
    identity = text.split("\nbackend identity")[1].split("\nbackend ")[0]

    assert "path_beg /api/v1/identity/oauth/" in identity
    assert "oauth" not in example
    assert "acl open_path path /api/v1/example/openapi.json" in example


def test_every_problem_document_of_the_gateway_is_json_once_filled_in():
    bodies = [problem_body(r.status, r.detail) for r in REFUSALS]

    for body in bodies:
        filled = body.replace("%[var(txn.instance)]", "/x").replace(
            "%[var(txn.request_id)]", "abc")
        document = json.loads(filled)
        assert set(document) == {"type", "title", "status", "detail", "instance", "request_id"}


# -- the aggregated OpenAPI -------------------------------------------------------------------

def service_document(title: str) -> dict:
    return {
        "openapi": "3.0.3", "info": {"title": title, "version": "v1"},
        "tags": [{"name": "notes"}],
        "paths": {"/notes": {"get": {
            "operationId": "list_notes", "tags": ["notes"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Note"}}}}}}},
            "/oauth/token": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"Note": {"type": "object"}}},
    }


def test_two_services_with_the_same_names_merge_into_one_valid_description():
    example, identity = parse_routes(TABLE, environ={}).effective_routes()

    merged = merge({"example": (example, service_document("Lotse example")),
                    "identity": (identity, service_document("Lotse identity"))},
                   unavailable=["casework"])

    validate(merged)
    assert set(merged["paths"]) == {"/api/v1/example/notes", "/api/v1/example/oauth/token",
                                    "/api/v1/identity/notes", "/api/v1/identity/oauth/token"}
    assert set(merged["components"]["schemas"]) == {"example.Note", "identity.Note"}
    operation = merged["paths"]["/api/v1/identity/notes"]["get"]
    assert operation["operationId"] == "identity.list_notes"
    assert operation["tags"] == ["identity: notes"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/identity.Note"}
    assert merged["paths"]["/api/v1/identity/oauth/token"]["post"]["security"] == [{}]
    assert "security" not in merged["paths"]["/api/v1/example/oauth/token"]["post"]
    assert merged["x-lotse-unavailable"] == ["casework"]


# -- the command line -------------------------------------------------------------------------

def run_cli(*args: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    env.update({"LOTSE_GATEWAY_STATE_DIR": str(tmp_path / "state"), **variables})
    return subprocess.run([sys.executable, "-m", "lotse_gateway.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)


def test_render_writes_a_checked_configuration_without_any_issuer_reachable(tmp_path):
    result = run_cli("render", tmp_path=tmp_path, LOTSE_JWKS_URL="http://127.0.0.1:9/jwks",
                     LOTSE_TOKEN_ISSUER="http://127.0.0.1:9", LOTSE_GATEWAY_JWKS_TIMEOUT="0.5")

    assert result.returncode == 0, result.stderr
    config = Path(result.stdout.strip())
    assert config == tmp_path / "state" / "haproxy.cfg"
    assert "str(keys_unavailable)" in config.read_text()


@pytest.mark.parametrize(("variables", "line"), [
    ({"LOTSE_TRUSTED_ISSUERS": "not json"},
     "configuration error: LOTSE_TRUSTED_ISSUERS is invalid: not JSON"),
    ({"LOTSE_GATEWAY_BIND": "everywhere"}, "configuration error: LOTSE_GATEWAY_BIND is invalid"),
    ({"LOTSE_GATEWAY_ROUTES": "/nonexistent/routes.yaml"},
     "configuration error: /nonexistent/routes.yaml: cannot be read"),
])
def test_a_configuration_error_stops_the_gateway_with_status_2_and_one_line(
    tmp_path, variables, line
):
    result = run_cli("render", tmp_path=tmp_path, **variables)

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(line)
