"""The message bus gives every handler what its signature names, and refuses at start a handler
that names something the service does not provide."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lotse_platform.messagebus import MessageBus, MissingDependency, UnknownCommand


@dataclass(frozen=True)
class AdmitCase:
    intake_id: str


@dataclass(frozen=True)
class CloseCase:
    case_id: str


def admit_case(cmd: AdmitCase, uow, intake, today=None) -> tuple:
    return cmd.intake_id, uow, intake(), today


def open_admitted_case(event, envelope, uow, intake) -> None:
    uow.append(("opened", event, envelope, intake()))


def test_a_command_runs_its_handler_with_the_unit_of_work_and_its_named_dependencies():
    clients = {"intake": "intake-client-1"}
    bus = MessageBus({AdmitCase: admit_case}, {},
                     {"intake": lambda: (lambda: clients["intake"]), "unused": lambda: 1})

    assert bus.handle(AdmitCase("i-1"), "uow") == ("i-1", "uow", "intake-client-1", None)
    clients["intake"] = "intake-client-2"  # providers are asked at every call
    assert bus.handle(AdmitCase("i-2"), "uow")[2] == "intake-client-2"


def test_an_event_handler_gets_event_envelope_and_unit_of_work_then_its_dependencies():
    bus = MessageBus({}, {"intake.case.admitted.v1": open_admitted_case},
                     {"intake": lambda: (lambda: "client")})
    seen: list = []

    bus.event_handlers["intake.case.admitted.v1"]("event", "envelope", seen)

    assert seen == [("opened", "event", "envelope", "client")]


def test_a_handler_naming_what_the_service_does_not_provide_stops_the_start():
    with pytest.raises(MissingDependency, match="'intake'"):
        MessageBus({AdmitCase: admit_case}, {}, {"peers": lambda: None})
    with pytest.raises(MissingDependency, match="must take 3 arguments"):
        MessageBus({}, {"x.v1": lambda event, envelope: None}, {})


def test_a_handler_hiding_its_dependencies_behind_args_or_kwargs_stops_the_start():
    def takes_kwargs(cmd, uow, intake, **extras) -> None: ...
    def takes_args(event, envelope, uow, *extras) -> None: ...

    with pytest.raises(MissingDependency, match=r"\*\*extras hides what it needs; name each"):
        MessageBus({AdmitCase: takes_kwargs}, {}, {"intake": lambda: None})
    with pytest.raises(MissingDependency, match=r"\*\*extras"):
        MessageBus({}, {"x.v1": lambda event, envelope, uow, **extras: None}, {})
    with pytest.raises(MissingDependency, match=r"\*args hides what it needs"):
        MessageBus({}, {"x.v1": takes_args}, {"intake": lambda: None})


def test_a_command_without_a_handler_is_an_error_naming_it():
    bus = MessageBus({AdmitCase: admit_case}, {}, {"intake": lambda: (lambda: None)})

    with pytest.raises(UnknownCommand, match="CloseCase"):
        bus.handle(CloseCase("c-1"), "uow")
