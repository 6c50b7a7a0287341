"""Every command and every event the network service handles, and its handler: the maps its
message bus dispatches on (``NetworkService.command_handlers`` / ``event_handlers``,
:mod:`lotse_platform.messagebus`). The handlers live with their subject; this module only maps
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .directory import DIRECTORY_COMMAND_HANDLERS

COMMAND_HANDLERS: dict[type, Callable[..., Any]] = {
    **DIRECTORY_COMMAND_HANDLERS,
}

EVENT_HANDLERS: dict[str, Callable[..., Any]] = {}
