"""Every command and every event the reporting service handles, and its handler: the maps its
message bus dispatches on (``ReportingService.command_handlers`` / ``event_handlers``,
:mod:`lotse_platform.messagebus`).

Every event type of intake, casework, network and identity is stored: the list comes from the generated
modules' descriptors (:data:`.projections.REGISTRY`), so an event type added to those contracts
is kept without a change here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .administration import ADMINISTRATION_COMMAND_HANDLERS
from .projections import REGISTRY, store_event

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    # the coordinating office's administration (administration.py)
    **ADMINISTRATION_COMMAND_HANDLERS,
}

EVENT_HANDLERS: dict[str, Callable[..., Any]] = {
    event_type: store_event for event_type in REGISTRY.types()}
