"""Authentication in a Flask app: every request needs a valid token unless the endpoint is
public, and ``requires`` turns the policy into 401 / 403 / 200."""

from __future__ import annotations

import uuid
from operator import itemgetter

import pytest
from flask import Flask, jsonify

from lotse_platform.auth import (
    CASE_MANAGER,
    COORDINATOR,
    ORG_ADMIN,
    STEERING_MEMBER,
    TokenVerifier,
    current_principal,
    install_authentication,
    public,
    requires,
)
from lotse_platform.auth.devtokens import DevIssuer
from lotse_platform.errors import ProblemError

TENANT = uuid.uuid4()


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer()


@pytest.fixture
def app(issuer) -> Flask:
    app = Flask("auth-test")
    verifier = TokenVerifier(issuer.keys(), issuer=issuer.issuer, audience="lotse")
    install_authentication(app, verifier, public_paths=["/.well-known/jwks.json"])

    # stands in for lotse_platform.http's problem documents
    @app.errorhandler(ProblemError)
    def problem(error: ProblemError):
        return jsonify(status=error.status, detail=error.detail), error.status, error.headers

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/.well-known/jwks.json")
    def jwks():
        return issuer.jwks()

    @app.get("/login")
    @public
    def login():
        return {"login": True}

    @app.get("/whoami")
    def whoami():
        return {"subject": current_principal().subject}

    @app.get("/areas/<area_id>/cases")
    @requires(CASE_MANAGER, COORDINATOR, area=itemgetter("area_id"))
    def list_cases(area_id):
        return {"area": area_id, "by": current_principal().subject}

    @app.get("/organisations/<org_id>/staff")
    @requires(ORG_ADMIN, organisation=itemgetter("org_id"))
    def list_staff(org_id):
        return {"organisation": org_id}

    @app.get("/unfiled/<record_id>")
    @requires(CASE_MANAGER, COORDINATOR, area=lambda view_args: None)
    def unfiled(record_id):
        return {"record": record_id}

    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(issuer):
    def headers(*roles: str, org: str = "org-awo", areas=("nord",)) -> dict:
        token = issuer.issue("user-17", TENANT, org, roles, areas=areas)
        return {"Authorization": f"Bearer {token}"}

    return headers


def test_a_request_without_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/areas/nord/cases")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["detail"] == "no access token"


def test_an_invalid_token_is_401_with_invalid_token(client, auth):
    token = auth(CASE_MANAGER)["Authorization"][:-4] + "AAAA"

    response = client.get("/whoami", headers={"Authorization": token})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.json["detail"] == "token signature is invalid"


def test_another_authorization_scheme_is_401(client):
    response = client.get("/whoami", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 401
    assert "Bearer" in response.json["detail"]


def test_every_non_public_endpoint_needs_a_token_even_without_requires(client, auth):
    assert client.get("/whoami").status_code == 401
    assert client.get("/no-such-page").status_code == 401
    assert client.get("/whoami", headers=auth(STEERING_MEMBER)).json == {"subject": "user-17"}


def test_probes_and_public_views_need_no_token(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/.well-known/jwks.json").status_code == 200
    assert client.get("/login").status_code == 200


def test_cors_preflight_needs_no_token(client):
    assert client.options("/areas/nord/cases").status_code == 200


def test_the_wrong_role_is_403(client, auth):
    response = client.get("/areas/nord/cases", headers=auth(STEERING_MEMBER))

    assert response.status_code == 403
    assert "requires one of the roles" in response.json["detail"]


def test_an_area_outside_the_principals_is_403(client, auth):
    response = client.get("/areas/sued/cases", headers=auth(CASE_MANAGER, areas=["nord"]))

    assert response.status_code == 403
    assert "area" in response.json["detail"]


def test_another_organisation_is_403(client, auth):
    response = client.get("/organisations/org-drk/staff", headers=auth(ORG_ADMIN, org="org-awo"))

    assert response.status_code == 403
    assert "organisation" in response.json["detail"]


def test_the_right_role_and_area_is_200(client, auth):
    response = client.get("/areas/nord/cases", headers=auth(CASE_MANAGER, areas=["nord"]))

    assert response.status_code == 200
    assert response.json == {"area": "nord", "by": "user-17"}


def test_a_tenant_wide_role_reaches_every_area(client, auth):
    response = client.get("/areas/sued/cases", headers=auth(COORDINATOR, areas=[]))

    assert response.status_code == 200


def test_the_principal_is_on_g_for_logging_and_audit(app, auth):
    from flask import g

    with app.test_request_context("/whoami", headers=auth(CASE_MANAGER)):
        app.preprocess_request()
        assert g.principal.subject == "user-17"
        assert g.principal.tenant == TENANT


def test_a_target_whose_area_is_unknown_is_closed_to_area_bound_roles_only(client, auth):
    assert client.get("/unfiled/1", headers=auth(CASE_MANAGER)).status_code == 403
    assert client.get("/unfiled/1", headers=auth(COORDINATOR)).status_code == 200


def test_a_caller_without_the_role_is_refused_before_the_body_is_validated(issuer):
    import marshmallow as ma
    from flask.views import MethodView
    from flask_smorest import Blueprint

    from lotse_platform.http import create_service_app
    from lotse_platform.settings import ServiceSettings

    class GroupSchema(ma.Schema):
        name = ma.fields.String(required=True)

    app, api = create_service_app("roles-first", ServiceSettings(database_url="sqlite://"))
    install_authentication(app, TokenVerifier(issuer.keys(), issuer=issuer.issuer,
                                              audience="lotse"))
    blp = Blueprint("groups", __name__, url_prefix="/groups")

    @blp.route("")
    class Groups(MethodView):
        @blp.arguments(GroupSchema)
        @blp.response(201, GroupSchema)
        @requires(COORDINATOR)
        def post(self, body):
            return body

    api.register_blueprint(blp)
    client = app.test_client()

    def post(roles, body):
        token = issuer.issue("u1", TENANT, "org-1", roles)
        return client.post("/groups", json=body, headers={"Authorization": f"Bearer {token}"})

    refused = post([STEERING_MEMBER], {"wrong": "field"})
    assert refused.status_code == 403
    assert "coordinator" in refused.get_json()["detail"]
    assert post([COORDINATOR], {"wrong": "field"}).status_code == 422
    assert post([COORDINATOR], {"name": "Zielgruppe 1"}).status_code == 201
