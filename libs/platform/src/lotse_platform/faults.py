"""Fault points for the fault-injection tests (``tests/faults``).

A fault point does nothing unless ``LOTSE_FAULT_POINTS`` names it. The only action is
``pause``: the process writes ``<LOTSE_FAULT_DIR>/<point>.reached`` and stops there, so a test
can kill it with SIGKILL at exactly that point. Never set in production.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def point(name: str) -> None:
    active = os.environ.get("LOTSE_FAULT_POINTS", "")
    if name not in {p.strip() for p in active.split(",") if p.strip()}:
        return
    marker = Path(os.environ.get("LOTSE_FAULT_DIR", ".")) / f"{name}.reached"
    marker.write_text(str(os.getpid()))
    threading.Event().wait()  # until the test kills the process
