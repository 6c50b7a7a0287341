"""One service contract (issue 9): in the platform's OpenAPI description, merged from every
installed service as the gateway and embedded mode serve it, every operation says what it
answers on success — media type and schema — so that a client (the console's) can be generated
from it. No database or broker is needed: describing the API connects to nothing."""

from __future__ import annotations

import pytest

from lotse_gateway.openapi import merge
from lotse_gateway.routes import load_routes
from lotse_gateway.settings import DEFAULT_ROUTES
from lotse_platform.service import installed_services

_HTTP_METHODS = ("get", "put", "post", "delete", "patch")

# Success answers that are not JSON, on purpose — (method, path) → their declared media type.
NOT_JSON = {
    # identity's login page (Anmeldung): HTML for the browser of the OAuth authorization code flow
    ("get", "/api/v1/identity/oauth/authorize"): "text/html",
    # printable forms (ADR 0080)
    ("get", "/api/v1/intake/intakes/{intake_id}/forms/data-protection-information"):
        "application/pdf",
    ("get", "/api/v1/intake/intakes/{intake_id}/forms/release-of-confidentiality"):
        "application/pdf",
    ("get", "/api/v1/casework/cases/{case_id}/forms/counselling-agreement"): "application/pdf",
    ("get", "/api/v1/casework/cases/{case_id}/forms/help-plan"): "application/pdf",
    ("get", "/api/v1/network/referrals/{referral_id}/letter"): "application/pdf",
    # a theme's write-up for the state level (steering, ADR 0095)
    ("get", "/api/v1/steering/themes/{theme_id}/escalation.pdf"): "application/pdf",
    # the county's 2-week report (reporting, ADR 0089)
    ("get", "/api/v1/reporting/county-period-reports/{period}/pdf"): "application/pdf",
    # the directory as HSDS's tabular data package: a ZIP of CSV files (ADR 0088)
    ("get", "/api/v1/network/directory/export.zip"): "application/zip",
    # a signed copy as it was uploaded: PDF, JPEG or PNG, each described (ADR 0082)
    ("get", "/api/v1/intake/intakes/{intake_id}/signed-copies/{copy_id}"): "application/pdf",
    ("get", "/api/v1/casework/cases/{case_id}/signed-copies/{copy_id}"): "application/pdf",
    ("get", "/api/v1/network/agreements/{agreement_id}/signed-copies/{copy_id}"):
        "application/pdf",
    # a subject-access archive: JSON per service and the German summary, zipped (ADR 0103)
    ("get", "/api/v1/intake/subject-access-requests/{request_id}/archive"): "application/zip",
    # a project group's service chain drawn (steering, ADR 0096)
    ("get", "/api/v1/steering/project-groups/{group_id}/service-chains/{chain_id}.svg"):
        "image/svg+xml",
    # the participation forum's invitation list for sending invitations (ADR 0098)
    ("get", "/api/v1/steering/forums/{forum_id}/invitations.csv"): "text/csv",
    # reporting's figures as tables and charts (ADR 0091)
    ("get", "/api/v1/reporting/cases/by-area-and-phase.csv"): "text/csv",
    ("get", "/api/v1/reporting/referrals/by-partner.csv"): "text/csv",
    ("get", "/api/v1/reporting/cases/by-area-and-phase.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/referrals/by-partner.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/cases-by-area-and-phase.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/referrals-by-partner.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/cases-by-area-and-phase.png"): "image/png",
    ("get", "/api/v1/reporting/charts/referrals-by-partner.png"): "image/png",
    # the annual report as a PDF and the state extract as CSV (ADR 0097)
    ("get", "/api/v1/reporting/annual-reports/{year}.pdf"): "application/pdf",
    ("get", "/api/v1/reporting/state-extract/{year}.csv"): "text/csv",
    # the standard reports as tables and charts (ADR 0090, 0091)
    ("get", "/api/v1/reporting/reports/primary-goal-areas/by-case-manager.csv"):
        "text/csv",
    ("get", "/api/v1/reporting/reports/primary-goal-areas/by-case-manager.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/primary-goal-areas/by-case-manager.svg"):
        "image/svg+xml",
    ("get", "/api/v1/reporting/charts/primary-goal-areas/by-case-manager.png"):
        "image/png",
    ("get", "/api/v1/reporting/reports/screening-outcomes.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/screening-outcomes.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/screening-outcomes.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/screening-outcomes.png"): "image/png",
    ("get", "/api/v1/reporting/reports/primary-goal-areas.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/primary-goal-areas.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/primary-goal-areas.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/primary-goal-areas.png"): "image/png",
    ("get", "/api/v1/reporting/reports/caseload.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/caseload.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/caseload.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/caseload.png"): "image/png",
    ("get", "/api/v1/reporting/reports/effort-by-phase.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/effort-by-phase.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/effort-by-phase.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/effort-by-phase.png"): "image/png",
    ("get", "/api/v1/reporting/reports/referral-rates.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/referral-rates.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/referral-rates.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/referral-rates.png"): "image/png",
    ("get", "/api/v1/reporting/reports/time-series/{figure}.csv"): "text/csv",
    ("get", "/api/v1/reporting/reports/time-series/{figure}.xlsx"):
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("get", "/api/v1/reporting/charts/time-series/{figure}.svg"): "image/svg+xml",
    ("get", "/api/v1/reporting/charts/time-series/{figure}.png"): "image/png",
}


@pytest.fixture(scope="module")
def openapi(service_apps) -> dict:
    """The merged description of every installed service, built as embedded mode builds it:
    each service's own ``/openapi.json`` under its route's prefix."""
    routes = {r.name: r for r in load_routes(DEFAULT_ROUTES).effective_routes()}
    documents = {}
    for name, app in service_apps.items():
        if name == "console":
            continue  # the web console serves pages, no API (ADR 0099)
        assert name in routes, f"{name} has no route in the gateway's table"
        documents[name] = (routes[name], app.test_client().get("/openapi.json").json)
    return merge(documents)


def operations(document: dict):
    for path, item in document["paths"].items():
        for method in _HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def _resolved(document: dict, node: dict) -> dict:
    while "$ref" in node:
        _, _, kind, name = node["$ref"].split("/", 3)
        node = document["components"][kind][name]
    return node


def test_every_operation_declares_the_schema_of_what_it_answers(openapi):
    undeclared = []
    for method, path, operation in operations(openapi):
        name = f"{method.upper()} {path}"
        successes = {code: _resolved(openapi, answer)
                     for code, answer in operation.get("responses", {}).items()
                     if code[0] in "23"}
        if not successes:
            undeclared.append(f"{name}: no success answer declared")
        for code, answer in successes.items():
            if code == "204" or code.startswith("3"):
                continue  # no body to describe
            media_type = NOT_JSON.get((method, path), "application/json")
            if "schema" not in (answer.get("content") or {}).get(media_type, {}):
                undeclared.append(f"{name} → {code}: no {media_type} schema")
    assert undeclared == [], "operations without a response schema:\n" + "\n".join(undeclared)


def test_the_description_covers_every_installed_service_and_the_allow_list_is_current(openapi):
    prefixes = {path.split("/")[3] for path in openapi["paths"]}
    assert {cls.name for cls in installed_services() if cls.describes_api} <= prefixes
    assert openapi["x-lotse-unavailable"] == []
    described = {(method, path) for method, path, _ in operations(openapi)}
    assert set(NOT_JSON) <= described, "an allow-listed operation no longer exists"
