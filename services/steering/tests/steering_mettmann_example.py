"""The example file of Mettmann's steering-group decisions (docs/examples/), for the tests that
replay it: its placeholders ({org:…}, {user:…}) become ids of the test's directory."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

EXAMPLE = (Path(__file__).resolve().parents[3] / "docs" / "examples"
           / "mettmann-steering-group-2023-05-10.json")
_PLACEHOLDER = re.compile(r"\{(org|user):([a-z-]+)\}")


def _resolve(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: f"{'org-me' if m.group(1) == 'org' else 'lg'}-{m.group(2)}",
                            text)


def example() -> dict[str, Any]:
    """The example with its placeholders resolved to ``org-me-<key>`` and ``lg-<key>``."""
    return json.loads(_resolve(EXAMPLE.read_text(encoding="utf-8")))


def fifth_target_group() -> dict[str, Any]:
    """The target-group change decided on 2023-05-10."""
    (meeting,) = [m for m in example()["meetings"] if m["held_on"] == "2023-05-10"]
    (proposal,) = [p for p in meeting["proposals"] if p["kind"] == "change_target_groups"]
    return proposal
