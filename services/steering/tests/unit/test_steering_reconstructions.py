"""Reconstruction sessions (seed 001 L452–L460): at least four cases, up to four hours each,
themes shown by the session's cases; events without free text."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from steering_fakes import FakeSteeringUnitOfWork

from lotse_platform.auth import CASE_MANAGER, COORDINATOR, Principal
from lotse_platform.errors import Forbidden
from lotse_platform.references import UnknownReference
from lotse_platform.testing import known_directory
from lotse_steering.domain.commands import HoldReconstruction
from lotse_steering.domain.reconstructions import (
    InvalidSession,
    ProcessStep,
    ReconstructedCase,
    ThemeProposal,
    TooFewCases,
)
from lotse_steering.service_layer.handlers import hold_reconstruction


def directory_uow() -> FakeSteeringUnitOfWork:
    uow = FakeSteeringUnitOfWork()
    uow.references.put_all(known_directory(users=[("cm-lea", "org-awo", ["case_manager"]),
                                                  ("ks-koch", "org-kreis", ["coordinator"])]))
    return uow


def cases(n: int, minutes: int = 120) -> tuple[ReconstructedCase, ...]:
    return tuple(ReconstructedCase(
        case_id=f"case-{i}", presented_by="cm-lea", planned_minutes=minutes,
        actors=("Jobcenter", "Ausländerbehörde"),
        process_steps=(ProcessStep("Ausländerbehörde", "Fiktionsbescheinigung"),
                       ProcessStep("Jobcenter", "Antrag SGB II")),
        interfaces=("ABH → Jobcenter",), duplicate_structures=("zwei Erstgespräche",))
        for i in range(n))


def command(n: int = 4, **kw) -> HoldReconstruction:
    themes = (ThemeProposal("Übergang ABH–Jobcenter", "Wartezeiten zwischen den Stellen",
                            ("case-0", "case-2")),)
    return HoldReconstruction(date(2026, 11, 18), "ks-koch", cases(n, **kw), themes)


def principal(*roles: str) -> Principal:
    return Principal(subject="ks-koch", tenant=uuid.uuid4(), organisation="org-kreis",
                     areas=frozenset(), roles=frozenset(roles))


def test_a_session_is_stored_with_its_themes_and_published_without_free_text():
    uow = directory_uow()
    uow.principal = principal(COORDINATOR)

    session_id = hold_reconstruction(command(), uow)

    session = uow.get_reconstruction(session_id)
    assert [c["case_id"] for c in session.cases] == ["case-0", "case-1", "case-2", "case-3"]
    assert session.cases[0]["process_steps"][0] == {"actor": "Ausländerbehörde",
                                                    "step": "Fiktionsbescheinigung"}
    (theme,) = uow.list_themes()
    assert (theme.status, theme.case_ids, theme.reconstruction_ids) == (
        "proposed", ["case-0", "case-2"], [str(session_id)])
    held, proposed = (e for e, _, _ in uow.published)
    assert (held.cases, held.planned_minutes, held.themes_proposed) == (4, 480, 1)
    assert (proposed.theme_id, proposed.evidence_cases) == (str(theme.id), 2)
    assert "ABH" not in str(held) + str(proposed), "no free text in events"
    assert uow.audited == [("create", "reconstruction", session_id, None)]


@pytest.mark.parametrize("n", [0, 3])
def test_fewer_than_four_cases_are_refused_with_a_409_naming_the_count(n):
    uow = FakeSteeringUnitOfWork()

    with pytest.raises(TooFewCases) as refused:
        hold_reconstruction(HoldReconstruction(date(2026, 11, 18), "ks", cases(n)), uow)

    assert refused.value.status == 409
    assert f"{n} given" in refused.value.detail
    assert (uow.commits, uow.published) == (0, [])


def test_more_than_four_hours_per_case_a_case_twice_or_a_theme_of_another_case_are_422():
    uow = FakeSteeringUnitOfWork()
    with pytest.raises(InvalidSession) as too_long:
        hold_reconstruction(command(minutes=241), uow)
    assert too_long.value.errors[0]["field"] == "cases.0.planned_minutes"

    twice = HoldReconstruction(date(2026, 11, 18), "ks", cases(4) + cases(1))
    with pytest.raises(InvalidSession) as doubled:
        hold_reconstruction(twice, uow)
    assert doubled.value.errors[0]["field"] == "cases.4.case_id"

    stranger = HoldReconstruction(date(2026, 11, 18), "ks", cases(4),
                                  (ThemeProposal("T", "", ("case-9",)),))
    with pytest.raises(InvalidSession) as unknown:
        hold_reconstruction(stranger, uow)
    assert (unknown.value.status, unknown.value.errors[0]["field"]) == (422, "themes.0.case_ids")


def test_the_presenting_case_manager_is_a_case_manager_of_the_tenant():
    uow = directory_uow()
    presented = list(cases(4))
    presented[1] = ReconstructedCase("case-1", "ks-koch", 60)
    presented[2] = ReconstructedCase("case-2", "cm-unknown", 60)

    with pytest.raises(UnknownReference) as refused:
        hold_reconstruction(HoldReconstruction(date(2026, 11, 18), "ks", tuple(presented)), uow)

    assert [e["field"] for e in refused.value.errors] == ["cases.1.presented_by",
                                                          "cases.2.presented_by"]
    assert (uow.commits, uow.published) == (0, [])


def test_only_the_coordinating_office_holds_a_session():
    uow = FakeSteeringUnitOfWork()
    uow.principal = principal(CASE_MANAGER)

    with pytest.raises(Forbidden):
        hold_reconstruction(command(), uow)
