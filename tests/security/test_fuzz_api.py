"""Property-based requests against every operation of the merged OpenAPI description
(schemathesis, issue 18): each operation with the token of every role the authorisation matrix
lets through — so that the administrators' and the case managers' writes are reached, not only
the refusal before them — a few generated requests each, valid and invalid ones, half of them
addressed to the demo county's real records.

Every answer: never a 5xx; every 4xx a problem document (RFC 9457, ``application/problem+json``
with its status); status, media type and body as the description documents them. The run is
bounded (``LOTSE_FUZZ_EXAMPLES`` requests per operation and role, 2 by default) and
derandomised, so ``make test`` asks the same questions every time; raise the number to search
wider by hand.

This module runs after the authorisation matrix and the canary walk on the same platform: what
it writes (users disabled, cases closed) would change their records.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lotse_platform.auth.principal import SERVICE

from .embedded import OWN, Embedded
from .test_authorisation_matrix import load_matrix

# schemathesis' own strategies draw from `random`; hypothesis warns about it on every run
# every operation × role: minutes on two busy cores, more than the suite's default timeout
pytestmark = [pytest.mark.filterwarnings(
    "ignore::hypothesis.errors.HypothesisDeprecationWarning"), pytest.mark.timeout(900)]

EXAMPLES = int(os.environ.get("LOTSE_FUZZ_EXAMPLES", "2"))
PROBLEM = "application/problem+json"
_PARAMETER = re.compile(r"{([^}]+)}")


def documented_otherwise(case, status: int) -> bool:
    """The operation documents this status with a media type of its own: the OAuth endpoints
    answer RFC 6749's error document (``application/json``), the login page HTML. Whether the
    answer is what it documents is ``content_type_conformance``'s question."""
    documented = case.operation.definition.raw.get("responses", {}).get(str(status), {})
    return bool(set(documented.get("content", {})) - {PROBLEM})


@schemathesis.check
def problem_document(ctx, response, case) -> bool | None:
    """A 4xx is an RFC 9457 problem document that repeats its status."""
    if not 400 <= response.status_code < 500 or documented_otherwise(case,
                                                                      response.status_code):
        return None
    media_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
    assert media_type == PROBLEM, f"{response.status_code} answered as {media_type!r}"
    document = response.json()
    assert isinstance(document, dict) and document.get("status") == response.status_code \
        and document.get("title"), f"not a problem document: {response.text[:200]}"
    return True


CHECKS = [not_a_server_error, problem_document, status_code_conformance,
          content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def schema(embedded: Embedded):
    return schemathesis.openapi.from_wsgi("/openapi.json", embedded.app)


def callers(entry: dict) -> list[str | None]:
    """Whose tokens ask: every role the matrix lets through, the service for the operations
    no caller of this deployment may use (federation), nobody for the public ones."""
    if entry.get("public"):
        return [None]
    own = {**OWN, **entry.get("own", {})}
    return [own[role] for role in entry["roles"]] or [own[SERVICE]]


def test_every_operation_answers_as_documented_to_every_role_that_may_call_it(
        embedded, schema, records):
    matrix = load_matrix()
    failures, asked = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        entry = matrix[key]
        real = {name: records[record] for name, record in entry.get("path", {}).items()}
        strategy = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                             operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        for caller in callers(entry):
            headers = {"Authorization": f"Bearer {embedded.token(caller)}"} if caller else {}
            seen: list[str] = []

            @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy, at_real_records=st.booleans())
            def ask(case, at_real_records: bool) -> None:
                if at_real_records and real:
                    case.path_parameters = {**(case.path_parameters or {}), **real}
                seen.append(case.method)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                ask()
            except (Exception, BaseExceptionGroup) as failure:  # every operation, then one assert
                failures.append(f"{key} as {caller or 'nobody'}: {str(failure)[:1500]}")
            asked += len(seen)
    assert failures == [], f"{len(failures)} operations answered against their description:\n" \
                           + "\n\n".join(failures)
    assert asked >= 200
