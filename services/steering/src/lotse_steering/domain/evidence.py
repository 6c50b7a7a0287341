"""Evidence for a generative theme from the case managers' 2-week reports (issue 12: "topics
can be flagged as candidates for generative themes, which the steering service receives as
evidence"; DOMAIN.md §8 step 2).

Reporting publishes ``reporting.theme_candidate.flagged.v1`` when a case manager submits a report
with a flagged topic: its id, the period and the topic area — never the text (ADR 0089) nor, as
steering keeps it, who reported it. The coordinating office attaches such topics to a theme as
evidence; the topic's words are read where they are kept (reporting's ``GET /theme-candidates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lotse_platform.errors import Unprocessable

from .reconstructions import Theme

PERIOD_REPORT = "period_report"


@dataclass
class ReportedTopic:
    """A topic flagged in a submitted 2-week report, as steering received it."""

    candidate_id: str
    period: str
    topic_area: str
    flagged_on: date
    theme_id: str | None = None
    tenant_id: object = None


class UnknownTopics(Unprocessable):
    def __init__(self, indexes: list[int]) -> None:
        super().__init__("a topic to attach was not received from reporting", errors=[
            {"field": f"candidate_ids.{i}", "message": "no flagged topic of this tenant has "
                                                       "this id (reporting's events)"}
            for i in indexes])


def attach(theme: Theme, topics: list[ReportedTopic]) -> int:
    """Attach ``topics`` to ``theme`` as evidence; those attached already count once. The
    number newly attached."""
    known = {e.get("candidate_id") for e in theme.evidence if e.get("kind") == PERIOD_REPORT}
    added = [t for t in {t.candidate_id: t for t in topics}.values()
             if t.candidate_id not in known]
    # a new list: the JSON column sees the change
    theme.evidence = [*theme.evidence, *({"kind": PERIOD_REPORT, "candidate_id": t.candidate_id,
                                          "period": t.period, "topic_area": t.topic_area}
                                         for t in added)]
    for topic in topics:
        topic.theme_id = str(theme.id)
    return len(added)


def reported_topics(theme: Theme) -> list[dict[str, str]]:
    return [{"candidate_id": e["candidate_id"], "period": e["period"],
             "topic_area": e["topic_area"]}
            for e in theme.evidence if e.get("kind") == PERIOD_REPORT]
