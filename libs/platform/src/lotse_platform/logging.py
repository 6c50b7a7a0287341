"""Logs as one JSON object per line, without personal data.

    log = logging.getLogger("lotse.relay")
    log.info("relay.start", extra={"batch_size": 500})

gives ``{"timestamp": …, "level": "INFO", "logger": "lotse.relay", "event": "relay.start",
"service": "example", "batch_size": 500}``; inside an HTTP request ``request_id`` is added, and
inside a traced span (a request, an event's handler) its ``trace_id``.
The message is a stable event name; details go in ``extra=`` (or lazy ``%s`` arguments), never
names, birth dates, addresses, request bodies, query strings, headers or tokens.

Exception messages may quote the data that caused them (SQLAlchemy puts statement parameters in
its messages, ``KeyError`` repeats the key), so tracebacks are written with the exception *types*
and the stack only; their messages are withheld.
"""

from __future__ import annotations

import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, TextIO

from opentelemetry.trace import format_trace_id, get_current_span
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# Set by the HTTP layer for the duration of a request (and by anything else that works on behalf
# of one request); read by every log line.
request_id_var: ContextVar[str | None] = ContextVar("lotse_request_id", default=None)
# In embedded mode several services share one process: the app handling a request names itself.
service_var: ContextVar[str | None] = ContextVar("lotse_service", default=None)

# The development server logs each request with its raw path and query string, which may carry
# names; our own access line (route template only) replaces it. The HTTP client (outgoing calls)
# logs each request's URL at INFO, ids in path and query included, and its transport at DEBUG.
# pika (the relay's publisher) logs every lost or refused broker connection as several ERROR
# records with tracebacks; the publisher raises ConnectionError instead, and the relay logs that
# once (relay.broker_unavailable).
_QUIETED_LOGGERS = {"werkzeug": logging.WARNING, "httpx2": logging.WARNING,
                    "httpcore2": logging.WARNING, "pika": logging.CRITICAL}

#: what ``sys.exc_info()`` returns and a log record's ``exc_info`` holds
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]

_HANDLER_MARK = "_lotse_handler"
_RESERVED = frozenset(RESERVED_ATTRS) | {"taskName"}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def format_exception_safely(exc_info: ExcInfo) -> str:
    """A traceback with frames and exception types, without the exception messages."""
    value = exc_info[1]
    if value is None:
        return ""
    # newest first; each with the sentence that leads from the older exception to it
    chain: list[tuple[traceback.TracebackException, str]] = []
    current: traceback.TracebackException | None = traceback.TracebackException(
        type(value), value, exc_info[2])
    while current is not None and len(chain) < 20:
        if current.__cause__ is not None:
            older, lead = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            older, lead = current.__context__, _CONTEXT
        else:
            older, lead = None, ""
        chain.append((current, lead))
        current = older
    lines: list[str] = []
    for exc, lead in reversed(chain):
        lines.append(lead)
        lines.append("Traceback (most recent call last):\n")
        lines.extend(exc.stack.format())
        lines.append(f"{_type_name(exc.exc_type)}: <message withheld>\n")
    return "".join(lines).rstrip("\n")


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _type_name(exc_type: type[BaseException] | None) -> str:
    if exc_type is None:
        return "Exception"
    if exc_type.__module__ in ("builtins", "__main__"):
        return exc_type.__qualname__
    return f"{exc_type.__module__}.{exc_type.__qualname__}"


class _ContextFilter(logging.Filter):
    """Adds ``service`` and, within a request, ``request_id`` to every record; within a span,
    ``trace_id`` (W3C, as in ``traceparent``)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "service"):
            record.service = service_var.get() or self.service
        request_id = request_id_var.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        span_context = get_current_span().get_span_context()
        if span_context.is_valid and not hasattr(record, "trace_id"):
            record.trace_id = format_trace_id(span_context.trace_id)
        return True


class LotseJsonFormatter(JsonFormatter):
    def __init__(self) -> None:
        super().__init__(
            ["asctime", "levelname", "name", "message"],
            rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger",
                           "message": "event"},
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return _timestamp(record)

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802
        return format_exception_safely(ei)


class LotseTextFormatter(logging.Formatter):
    """One readable line for development: time, level, logger, event, then key=value extras."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{key}={value}" for key, value in record.__dict__.items()
            if key not in _RESERVED and not key.startswith("_")
        )
        line = f"{_timestamp(record)} {record.levelname:<7} {record.name} {record.getMessage()}"
        if extras:
            line = f"{line}  {extras}"
        if record.exc_info:
            line = f"{line}\n{format_exception_safely(record.exc_info)}"
        elif record.stack_info:
            line = f"{line}\n{record.stack_info}"
        return line


class _StandardErrorHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record comes (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(service: str, level: str = "INFO", fmt: str = "json", *,
                      stream: IO[str] | None = None) -> None:
    """Send every log record to ``stream`` (stderr) as JSON lines (``fmt="text"``: readable lines).

    Calling it again replaces the handler it installed before; handlers installed by others
    (pytest's log capture, for one) are left alone.
    """
    if fmt not in ("json", "text"):
        raise ValueError(f"log format must be 'json' or 'text', not {fmt!r}")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream) if stream is not None else _StandardErrorHandler()
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(LotseJsonFormatter() if fmt == "json" else LotseTextFormatter())
    handler.addFilter(_ContextFilter(service))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name, quiet_level in _QUIETED_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet_level)


def logging_configured() -> bool:
    """Whether :func:`configure_logging` has installed its handler in this process."""
    return any(getattr(handler, _HANDLER_MARK, False) for handler in logging.getLogger().handlers)
