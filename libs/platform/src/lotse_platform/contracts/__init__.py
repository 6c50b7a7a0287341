"""Contracts runtime: which protobuf message is which event type, and the CloudEvents envelope."""

from .envelope import Envelope, ContractViolation
from .registry import EventRegistry, event_type_of

__all__ = ["ContractViolation", "Envelope", "EventRegistry", "event_type_of"]
