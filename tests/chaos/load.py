"""A steady load of real API writes, each answer recorded.

Three streams, each in threads of its own, paced by a schedule (a sleep until the next slot is
pacing, not synchronisation):

- **notes**: ``POST /notes`` at the example service; each note's event is counted by the
  example's consumer into a tally (its effect);
- **admissions**: a person's way through intake — first contact, screening, the decision for
  case management, the data-protection information, the counselling agreement, the admission;
  casework's consumer opens a case from ``intake.case.admitted.v1`` after fetching the handover
  package from intake's API (a synchronous call inside the consumer's transaction);
- **contacts**: ``POST /cases/<id>/contacts`` on the cases casework opened for the load's case
  manager (listed with ``GET /cases``).

A step that fails (503, a connection cut by a killed process, a timeout) is tried again after a
pause of its own, as a client would; whatever it finally got, every answer is kept in
:attr:`Load.answers`. The ids the APIs answered with (201) are kept to be looked for in the
databases afterwards.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from lotse_gateway.testing import call
from lotse_platform import clock

from .cluster import DrillPlatform
from .tokens import TENANT

AREAS = ("chaos-nord", "chaos-sued", "chaos-west", "chaos-ost")
CRITERIA = ("multiple_dimensions", "several_actors", "long_term_need",
            "standard_care_insufficient", "own_resources_insufficient")
RETRY_PAUSE = 0.25  # s before a failed step is tried again (Retry-After says 5: a drill hurries)
STEP_PATIENCE = 120.0  # s a step of a flow is tried before the flow is given up


@dataclass
class Answer:
    started: float  # time.time()
    ended: float
    service: str
    route: str
    status: int  # 0: no HTTP answer (connection refused or cut, timeout)
    retry_after: str | None = None
    error: str | None = None
    body: bytes = b""


@dataclass
class Accepted:
    """What the APIs answered with 201: the records that must exist afterwards."""

    notes: dict[str, str] = field(default_factory=dict)  # note id -> area
    intakes: set[str] = field(default_factory=set)
    admitted: set[str] = field(default_factory=set)  # intake ids answered 201 on admission
    contacts: set[str] = field(default_factory=set)
    flows_given_up: int = 0


class Load:
    def __init__(self, platform: DrillPlatform, *, notes_per_second: float = 12.0,
                 admissions_per_second: float = 0.5, contacts_per_second: float = 4.0,
                 seed: int = 18) -> None:
        self.platform = platform
        self.rates = {"notes": notes_per_second, "admissions": admissions_per_second,
                      "contacts": contacts_per_second}
        self.answers: list[Answer] = []
        self.accepted = Accepted()
        self._stop = threading.Event()
        self._random = random.Random(seed)
        self._threads: list[threading.Thread] = []
        tokens = platform.tokens
        self.subject = "cm-chaos"
        # one case manager for every area: she may write notes, intakes and cases in all of them
        self._token = tokens.issuer.issue(self.subject, TENANT, "org-chaos-town",
                                          ["case_manager"], areas=list(AREAS), ttl=4 * 3600)
        self._cases: list[str] = []

    # -- HTTP ---------------------------------------------------------------------------------
    def _call(self, method: str, service: str, path: str, route: str,
              body: dict[str, Any] | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {self._token}"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        started = time.time()
        try:
            response = call(method, self.platform.url(service, path), headers=headers,
                            body=data, timeout=15)
            answer = Answer(started, time.time(), service, f"{method} {route}",
                            response.status, response.header("retry-after"), body=response.body)
        except OSError as error:
            answer = Answer(started, time.time(), service, f"{method} {route}", 0,
                            error=type(error).__name__)
        self.answers.append(answer)
        return answer

    def _until_answered(self, method: str, service: str, path: str, route: str,
                        body: dict[str, Any] | None = None,
                        done: tuple[int, ...] = (200, 201)) -> Answer | None:
        """The step tried until it gets one of ``done`` (or a 4xx other than 429); None when
        it was given up."""
        deadline = time.monotonic() + STEP_PATIENCE
        while not self._stop.is_set() and time.monotonic() < deadline:
            answer = self._call(method, service, path, route, body)
            if answer.status in done or (400 <= answer.status < 500 and answer.status != 429):
                return answer
            self._stop.wait(RETRY_PAUSE)
        return None

    # -- the streams --------------------------------------------------------------------------
    def start(self) -> None:
        streams = {"notes": (self._one_note, 2), "admissions": (self._one_admission, 2),
                   "contacts": (self._one_contact, 1)}
        for name, (one, threads) in streams.items():
            rate = self.rates[name]
            if rate <= 0:
                continue
            for n in range(threads):
                thread = threading.Thread(target=self._paced, args=(one, rate / threads),
                                          name=f"load-{name}-{n}", daemon=True)
                self._threads.append(thread)
                thread.start()

    @property
    def rate(self) -> float:
        """Requests per second the load aims at, all flows together."""
        return sum(r for r in self.rates.values() if r > 0)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(STEP_PATIENCE + 20)

    def _paced(self, one, rate: float) -> None:
        interval = 1.0 / rate
        next_slot = time.monotonic()
        while not self._stop.is_set():
            one()
            next_slot = max(next_slot + interval, time.monotonic() - 5 * interval)
            self._stop.wait(max(0.0, next_slot - time.monotonic()))  # pacing

    def _one_note(self) -> None:
        area = self._random.choice(AREAS)
        answer = self._call("POST", "example", "/notes", "/notes",
                            {"area_id": area, "text": "Rückruf vereinbart"})
        if answer.status == 201:
            self.accepted.notes[json.loads(answer.body)["id"]] = area

    def _one_admission(self) -> None:
        today = clock.today(TENANT).isoformat()
        area = self._random.choice(AREAS)
        first = self._until_answered("POST", "intake", "/intakes", "/intakes", {
            "person": {"given_name": "Drill", "family_name": f"Person {uuid.uuid4().hex[:8]}"},
            "access_path": "self_referral", "area_id": area, "contact_date": today})
        if first is None or first.status != 201:
            self.accepted.flows_given_up += 1
            return
        intake = json.loads(first.body)["id"]
        self.accepted.intakes.add(intake)
        base = f"/intakes/{intake}"
        steps = [
            ("PUT", f"{base}/screening", "/intakes/<id>/screening", {
                "criteria": [{"criterion": c, "met": True, "note": None} for c in CRITERIA],
                "topic_areas": ["residence"], "crisis": False, "facts": {}}),
            ("POST", f"{base}/decisions", "/intakes/<id>/decisions",
             {"depth": "case_management"}),
            ("POST", f"{base}/consents", "/intakes/<id>/consents",
             {"kind": "data_protection_information", "given_on": today, "language": "de"}),
            ("POST", f"{base}/consents", "/intakes/<id>/consents",
             {"kind": "counselling_agreement", "given_on": today}),
        ]
        for method, path, route, body in steps:
            answer = self._until_answered(method, "intake", path, route, body)
            if answer is None or answer.status >= 300:
                self.accepted.flows_given_up += 1
                return
        admitted = self._until_answered("POST", "intake", f"{base}/admission",
                                        "/intakes/<id>/admission",
                                        {"justification": "Fehlerübung"})
        if admitted is not None and admitted.status in (200, 201):
            self.accepted.admitted.add(intake)
        elif admitted is not None and admitted.status == 409 and b"already in case management" in admitted.body:
            self.accepted.admitted.add(intake)  # a retry after a cut: the first one committed
        else:
            self.accepted.flows_given_up += 1

    def _one_contact(self) -> None:
        if not self._cases or self._random.random() < 0.05:
            listed = self._call("GET", "casework", "/cases", "/cases")
            if listed.status == 200:
                self._cases = [c["id"] for c in json.loads(listed.body)]
            if not self._cases:
                return
        case = self._random.choice(self._cases)
        answer = self._call("POST", "casework", f"/cases/{case}/contacts",
                            "/cases/<id>/contacts", {
                                "type": "phone_call", "occurred_on": clock.today(TENANT).isoformat(),
                                "duration_minutes": 15, "notes": "Rückruf"})
        if answer.status == 201:
            self.accepted.contacts.add(json.loads(answer.body)["id"])
