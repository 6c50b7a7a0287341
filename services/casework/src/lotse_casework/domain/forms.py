"""The printable forms of a case (ADR 0080): the counselling agreement (*Beratungsvereinbarung*,
001 L231; goals agreed "sodass eine Verbindlichkeit für beide Seiten gegeben ist", L256) and
the help plan (*Hilfeplan*, 001 L262 "Dokumentationsvorlage: Hilfeplan; SMART-Methode": goals,
steps, who is responsible, by when, how often it is reviewed) — filled from the case, or blank
(``facts`` None) to print ahead. One language's text from that language's catalogue
(:mod:`lotse_platform.documents`)."""

from __future__ import annotations

from collections.abc import Mapping

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from lotse_platform.documents import Block, Document, Heading, KeyValues, Note, Paragraph, Table, Texts
from lotse_platform.documents.forms import FormBuilder, filled, signatures

from .model import Case, Person
from .planning import Goal, HelpPlan, Step


class CaseForm(StrEnum):
    """The forms of a case (the audit reason's code)."""

    COUNSELLING_AGREEMENT = "counselling_agreement"
    HELP_PLAN = "help_plan"


FILE_NAMES = {CaseForm.COUNSELLING_AGREEMENT: "beratungsvereinbarung.pdf",
              CaseForm.HELP_PLAN: "hilfeplan.pdf"}


@dataclass(frozen=True)
class CaseFacts:
    """What a filled form of a case prints: the case, the person, the goals in force (open and
    reached, not dropped), their steps, the latest help plan."""

    case: Case
    person: Person | None
    goals: list[Goal] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    help_plan: HelpPlan | None = None
    #: organisation id → name as identity published it (ADR 0086); an id without a name prints
    #: as a blank to fill in, never as the id
    organisation_names: Mapping[str, str] = field(default_factory=dict)


def _header(t: Texts, facts: CaseFacts | None, issued_on: date) -> tuple[Block, ...]:
    blank = () if facts else (Note(t("blank.note")),)
    case = facts.case if facts else None
    return (*blank, KeyValues((
        (t("field.name"), facts.person.name if facts and facts.person else ""),
        # the case manager's name is not known here (identity publishes no person's name): she
        # writes or stamps it, as on the blank form
        (t("field.case_manager"), ""),
        (t("field.organisation"), _name(facts, case.organisation_id) if case else ""),
        (t("field.opened_on"), filled(t, case.opened_on if case else None)),
        (t("field.issued_on"), filled(t, issued_on if case else None)),
    )))


def _name(facts: CaseFacts | None, org_id: str | None) -> str:
    return facts.organisation_names.get(org_id, "") if facts and org_id else ""


def _responsible(t: Texts, facts: CaseFacts | None, code: str, org_id: str | None) -> str:
    label = t.label("responsible", code)
    name = _name(facts, org_id)
    return f"{label} ({name})" if name else label


def _goals(facts: CaseFacts | None) -> list[Goal]:
    goals = [g for g in facts.goals if g.status != "dropped"] if facts else []
    return sorted(goals, key=lambda g: (not g.primary, g.due_on, g.statement))


def counselling_agreement(facts: CaseFacts | None, issued_on: date) -> FormBuilder:
    """Both sides' commitments, the guiding goal and the goals agreed so far; client and case
    manager sign."""
    goals = _goals(facts)

    def build(t: Texts) -> Document:
        motto = facts.case.motto_goal if facts else None
        agreed = (tuple(Paragraph(f"• {g.statement} ({t.date(g.due_on)})") for g in goals)
                  if facts else (Paragraph("_" * 60), Paragraph("_" * 60), Paragraph("_" * 60)))
        return Document(t.language, t("agreement.title"), (
            *_header(t, facts, issued_on),
            Paragraph(t("agreement.intro")),
            Heading(t("agreement.client.heading")),
            Paragraph(t("agreement.client.text")),
            Heading(t("agreement.case_manager.heading")),
            Paragraph(t("agreement.case_manager.text")),
            Heading(t("agreement.goals.heading")),
            KeyValues(((t("agreement.motto"), motto or ""),)),
            *agreed,
            Paragraph(t("agreement.voluntary")),
            signatures(t),
        ), subtitle=t("agreement.subtitle"))
    return build


def help_plan(facts: CaseFacts | None, issued_on: date) -> FormBuilder:
    """The goals (statement, topic area, indicator, who, by when), the steps towards them
    (what, who, by when, done) and the review interval; client and case manager sign."""
    goals = _goals(facts)
    goal_ids = {g.id for g in goals}
    steps = sorted((s for s in (facts.steps if facts else []) if s.goal_id in goal_ids
                    and s.status != "dropped"), key=lambda s: (s.due_on, s.description))
    plan = facts.help_plan if facts else None

    def build(t: Texts) -> Document:
        goal_rows = tuple((g.statement, t.label("topic", g.topic_area), g.indicator,
                           _responsible(t, facts, g.responsible, g.responsible_org_id),
                           t.date(g.due_on)) for g in goals)
        step_rows = tuple((s.description, _responsible(t, facts, s.responsible, s.responsible_org_id),
                           t.date(s.due_on), t("yes") if s.status == "done" else t("no"))
                          for s in steps)
        monitoring = (t("helpplan.monitoring", days=plan.monitoring_every_days) if plan
                      else t("helpplan.monitoring_blank"))
        header = _header(t, facts, issued_on)
        if plan:
            header = (*header, KeyValues(((t("helpplan.version"), str(plan.version)),)))
        return Document(t.language, t("helpplan.title"), (
            *header,
            Paragraph(t("helpplan.intro")),
            Heading(t("helpplan.goals.heading")),
            Table((t("helpplan.goal.statement"), t("helpplan.goal.topic"),
                   t("helpplan.goal.indicator"), t("helpplan.goal.responsible"),
                   t("helpplan.goal.due")), goal_rows,
                  empty=t("helpplan.no_goals") if facts else "", blank_rows=0 if facts else 4,
                  widths=(2.8, 2.2, 2.7, 2.3, 1.5)),
            Heading(t("helpplan.steps.heading")),
            Table((t("helpplan.step.description"), t("helpplan.goal.responsible"),
                   t("helpplan.goal.due"), t("helpplan.step.done")), step_rows,
                  empty=t("helpplan.no_steps") if facts else "", blank_rows=0 if facts else 5,
                  widths=(5, 2, 1.3, 1)),
            Heading(t("helpplan.monitoring.heading")),
            Paragraph(monitoring),
            signatures(t),
        ), subtitle=t("helpplan.subtitle"))
    return build


BUILDERS = {CaseForm.COUNSELLING_AGREEMENT: counselling_agreement,
            CaseForm.HELP_PLAN: help_plan}
