"""The message bus: one map from each command class and each event type to its handler.

A handler is a plain function that names what it needs::

    def record_note(cmd: RecordNote, uow: ExampleUnitOfWork) -> uuid.UUID: ...
    def deliver_offer(event: CaseTransferOffered, envelope: Envelope, uow: CaseworkUnitOfWork,
                      peers: FederationClient) -> None: ...

The message (and for an event its envelope) and the unit of work are given by the caller — a
view through :func:`lotse_platform.service.handle`, the worker's consumer for events. Every
further parameter is injected by its name from the service container's ``dependencies()``
(the cosmicpython ``bootstrap.inject_dependencies`` idea): no handler reaches into the
container, and a handler that names something the container does not provide stops the start
(:class:`MissingDependency`), not the first message.

Dependencies are providers (zero-argument callables) resolved at every call, so what they give
can be replaced, e.g. by a test, after the bus is built.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: name -> provider of the object a handler parameter of that name receives
Dependencies = Mapping[str, Callable[[], object]]

COMMAND_ARGUMENTS = 2  # (command, uow)
EVENT_ARGUMENTS = 3  # (event, envelope, uow)


class MissingDependency(TypeError):
    """A handler names a parameter the container provides no dependency for."""


class UnknownCommand(LookupError):
    """No handler is registered for this command's class."""


def inject(handler: Callable[..., Any], dependencies: Dependencies, *,
           given: int) -> Callable[..., Any]:
    """``handler`` with every parameter after its first ``given`` positional ones bound to its
    dependency by name (a parameter with a default may be left to it). A handler that takes
    ``*args`` or ``**kwargs`` there is refused: it would hide what it needs."""
    parameters = list(inspect.signature(handler).parameters.values())
    if len(parameters) < given:
        raise MissingDependency(
            f"{handler.__qualname__} must take {given} arguments first, has {len(parameters)}")
    needed = {}
    for parameter in parameters[given:]:
        if parameter.kind is parameter.VAR_POSITIONAL:
            raise MissingDependency(
                f"{handler.__qualname__}: *args hides what it needs; name each dependency")
        if parameter.kind is parameter.VAR_KEYWORD:
            raise MissingDependency(
                f"{handler.__qualname__}: **{parameter.name} hides what it needs; name each "
                "dependency")
        if parameter.name in dependencies:
            needed[parameter.name] = dependencies[parameter.name]
        elif parameter.default is parameter.empty:
            raise MissingDependency(
                f"{handler.__qualname__} needs {parameter.name!r}, which the service does not "
                f"provide (it provides: {', '.join(sorted(dependencies)) or 'nothing'})")
    if not needed:
        return handler

    @functools.wraps(handler)
    def injected(*arguments: Any) -> Any:
        return handler(*arguments, **{name: provide() for name, provide in needed.items()})

    return injected


#: one handler of an event type, or several, run in order in the same unit of work
EventHandlers = Callable[..., Any] | Sequence[Callable[..., Any]]


def _handlers(handlers: EventHandlers) -> list[Callable[..., Any]]:
    return list(handlers) if isinstance(handlers, Sequence) else [handlers]


def _in_order(handlers: list[Callable[..., Any]]) -> Callable[..., Any]:
    if len(handlers) == 1:
        return handlers[0]

    def each(*arguments: Any) -> None:
        for handler in handlers:
            handler(*arguments)

    each.__qualname__ = " + ".join(h.__qualname__ for h in handlers)
    return each


def merge_event_handlers(*maps: Mapping[str, EventHandlers]) -> dict[str, list[Callable[..., Any]]]:
    """Event type -> every handler the maps give it, in the order of the maps."""
    merged: dict[str, list[Callable[..., Any]]] = {}
    for handlers in maps:
        for event_type, found in handlers.items():
            merged.setdefault(event_type, []).extend(_handlers(found))
    return merged


class MessageBus:
    """Dispatches commands to their handler and hands the consumer its event handlers, both
    with their dependencies injected."""

    def __init__(self, command_handlers: Mapping[type, Callable[..., Any]],
                 event_handlers: Mapping[str, EventHandlers],
                 dependencies: Dependencies) -> None:
        self._commands = {command: inject(handler, dependencies, given=COMMAND_ARGUMENTS)
                          for command, handler in command_handlers.items()}
        self._events = {event_type: _in_order([inject(h, dependencies, given=EVENT_ARGUMENTS)
                                               for h in _handlers(handler)])
                        for event_type, handler in event_handlers.items()}

    def handle(self, command: object, uow: Any) -> Any:
        """Run the handler of ``command`` with ``uow`` (it opens and commits the unit itself)
        and return what it returns."""
        try:
            handler = self._commands[type(command)]
        except KeyError:
            raise UnknownCommand(f"no handler for {type(command).__qualname__}") from None
        return handler(command, uow)

    @property
    def event_handlers(self) -> dict[str, Callable[..., Any]]:
        """event type -> handler(event, envelope, uow), for the worker's consumer."""
        return dict(self._events)

    @property
    def commands(self) -> frozenset[type]:
        return frozenset(self._commands)
