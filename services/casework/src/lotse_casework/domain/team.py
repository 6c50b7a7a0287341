"""Team case discussion and supervision inside the case-management team (*Fallbesprechung*,
*kollegiale Beratung*, *Supervision*; seed 001 L614, L363; 002 L262).

"Fallbesprechungen dienen dem Austausch und Verständigung über Umgangsweisen aktuell
bearbeiteter Fälle … im Rahmen der fachaufsichtlichen Funktion, hier der Koordinator*innen"
(001 L614): the case managers and the coordinating office, nobody from outside — so no release
of confidentiality is involved, and it is not the case conference with partners
(:class:`~lotse_casework.domain.contacts.Conference`). It is recorded as part of the
coordinating office's professional supervision (*Fachaufsicht*): who took part, which cases
were discussed (ids), the topics, the minutes and the structural problems seen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import Incomplete
from .model import now

# Fallbesprechung (the team discusses current cases), kollegiale Beratung among case managers
# (Patenschaften, 001 L363), Supervision (reflection of the team's work)
DISCUSSION_KINDS = ("case_discussion", "peer_consultation", "supervision")


@dataclass
class TeamDiscussion:
    kind: str
    held_on: date
    recorded_by: str
    participant_ids: list[str]
    case_ids: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    minutes: str | None = None
    structural_issues: str | None = None  # problems on the structural level (generative themes)
    recorded_at: datetime = field(default_factory=now)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @classmethod
    def record(cls, by: str, today: date, *, kind: str, held_on: date,
               participant_ids: list[str], case_ids: list[str], topics: list[str],
               minutes: str | None, structural_issues: str | None) -> TeamDiscussion:
        problems: dict[str, str] = {}
        if kind not in DISCUSSION_KINDS:
            problems["kind"] = f"one of {', '.join(DISCUSSION_KINDS)}"
        if held_on > today:
            problems["held_on"] = "recorded after it took place"
        participants = list(dict.fromkeys([*participant_ids, by]))
        if len(participants) < 2:
            problems["participant_ids"] = "a discussion takes at least two of the team"
        if kind == "case_discussion" and not case_ids:
            problems["case_ids"] = "a case discussion names the cases discussed"
        if problems:
            raise Incomplete("the team discussion cannot be recorded: " + ", ".join(problems),
                             problems)
        return cls(kind=kind, held_on=held_on, recorded_by=by, participant_ids=participants,
                   case_ids=list(dict.fromkeys(case_ids)), topics=list(dict.fromkeys(topics)),
                   minutes=(minutes or "").strip() or None,
                   structural_issues=(structural_issues or "").strip() or None)

    def open_to(self, subject: str, is_coordinator: bool) -> bool:
        """The coordinating office reads every one; a case manager those she took part in."""
        return is_coordinator or subject in self.participant_ids
