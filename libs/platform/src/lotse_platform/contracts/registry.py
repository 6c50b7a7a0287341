"""Event types are declared in the contracts themselves.

Each integration event message in ``proto/lotse/<service>/v1/*.proto`` carries
``option (lotse.options.event_type) = "<service>.<aggregate>.<what>.v1";`` so the routing key
and the message class cannot drift apart. A registry is built from the generated modules a
service publishes or consumes.
"""

from __future__ import annotations

from typing import Any

from types import ModuleType

from google.protobuf.message import Message

from lotse import options_pb2


def event_type_of(message: Message | type[Message]) -> str:
    descriptor = message.DESCRIPTOR
    # protobuf's stubs type extensions by their own descriptor class, which generated options lack
    extensions: Any = descriptor.GetOptions().Extensions
    value = str(extensions[options_pb2.event_type])
    if not value:
        raise ValueError(f"{descriptor.full_name} is not an integration event (no event_type option)")
    return value


class EventRegistry:
    """Maps event types to generated message classes and back."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Message]] = {}

    @classmethod
    def from_modules(cls, *modules: ModuleType) -> EventRegistry:
        registry = cls()
        for module in modules:
            for name in module.DESCRIPTOR.message_types_by_name:
                message_class = getattr(module, name)
                if message_class.DESCRIPTOR.GetOptions().Extensions[options_pb2.event_type]:
                    registry.register(message_class)
        return registry

    def register(self, message_class: type[Message]) -> None:
        event_type = event_type_of(message_class)
        known = self._classes.get(event_type)
        if known is not None and known is not message_class:
            raise ValueError(f"event type {event_type} declared twice")
        self._classes[event_type] = message_class

    def message_class(self, event_type: str) -> type[Message] | None:
        return self._classes.get(event_type)

    def types(self) -> list[str]:
        return sorted(self._classes)

    def __contains__(self, event_type: str) -> bool:
        return event_type in self._classes
