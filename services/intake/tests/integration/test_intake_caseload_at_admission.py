"""The admission answers the responsible case manager's caseload with this case, as casework
counts it (issue 17, point 5): casework is asked with intake's machine token before the
admission commits, so its count cannot hold this case yet; its warning above the guideline is
passed on; without an answer the admission still succeeds and says the caseload is unknown.
Casework's side of the call is tested in casework (test_casework_caseload_warning.py); here a
stand-in answers as casework does."""

from __future__ import annotations

import urllib.parse

import pytest

from intake_helpers import events
from lotse_intake.adapters.casework_client import CaseworkCaseloads
from lotse_platform.auth import SERVICE, TokenVerifier
from lotse_platform.errors import Unauthenticated
from lotse_platform.testing import JsonHandler, LocalServer

pytestmark = pytest.mark.integration

ABOVE = {"case_manager_id": "cm-hoexter", "fte": 0.5, "open_cases": 31, "norm_low": 25,
         "norm_high": 30, "above_guideline": True,
         "warning": {"code": "caseload_above_guideline",
                     "message": "31 open cases after this step, above the guideline of 25–30 "
                                "for a 0.5 FTE post; the coordinating office decides",
                     "message_de": "31 offene Fälle nach diesem Schritt, über dem Richtwert "
                                   "von 25–30 für 0,5 Stellen; die Koordinierungsstelle "
                                   "entscheidet"}}


class CaseworkStandIn(LocalServer):
    """``GET /caseload/<id>?taking=n`` for machine clients with the service role; records what
    it was asked and what intake had announced by then."""

    def __init__(self, verifier: TokenVerifier, admitted_so_far) -> None:
        self.asked: list[tuple[str, str, int]] = []  # (case manager, taking, admissions seen)
        stand_in = self

        class Handler(JsonHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                try:
                    principal = verifier.verify(
                        self.headers.get("Authorization", "").removeprefix("Bearer "))
                except Unauthenticated:
                    return self.answer(401, {"title": "Unauthorized"})
                if not (principal.is_client and principal.has_any_role(SERVICE)):
                    return self.answer(403, {"detail": "machine clients only"})
                path, _, query = self.path.partition("?")
                manager = urllib.parse.unquote(path.rsplit("/", 1)[-1])
                taking = urllib.parse.parse_qs(query)["taking"][0]
                stand_in.asked.append((manager, taking, admitted_so_far()))
                self.answer(200, ABOVE)

        super().__init__(Handler)


@pytest.fixture
def casework(intake, issuer, tenant, actors):
    stand_in = CaseworkStandIn(TokenVerifier(issuer.keys(), issuer=issuer.issuer, audience="lotse"),
                               lambda: len(events(intake, tenant, "intake.case.admitted.v1")))
    machine_token = lambda: actors.token("client-intake", "org-kreis", [SERVICE],  # noqa: E731
                                         client_id="intake")
    intake.__dict__["caseloads"] = CaseworkCaseloads(stand_in.url, machine_token, timeout=2)
    yield stand_in
    intake.close_http_clients()
    stand_in.close()


def test_the_admission_answers_the_caseload_with_casework_s_warning_asked_before_it_commits(
        api, casework):
    intake_id = api.ready_for_admission()
    admitted = api.admit(intake_id, justification="Einzelfallentscheidung der KS")

    assert admitted.status_code == 201, "a warning, not a refusal"
    assert admitted.get_json()["caseload"] == ABOVE
    assert admitted.get_json()["case_manager_id"] == "cm-hoexter"
    assert casework.asked == [("cm-hoexter", "1", 0)], "asked before the admission was announced"


def test_without_casework_the_admission_succeeds_and_says_the_caseload_is_unknown(api, intake,
                                                                                  casework):
    casework.close()  # casework does not answer
    intake_id = api.ready_for_admission()
    admitted = api.admit(intake_id, justification="Einzelfallentscheidung der KS")

    assert admitted.status_code == 201
    assert admitted.get_json()["caseload"] is None
