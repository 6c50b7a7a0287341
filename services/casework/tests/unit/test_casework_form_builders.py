"""What the printable forms of a case hold (ADR 0080), from the domain's builders alone."""

from __future__ import annotations

from datetime import date

from lotse_casework.domain.forms import CaseFacts, counselling_agreement, help_plan
from lotse_casework.domain.model import Case, Person
from lotse_casework.domain.planning import Goal, HelpPlan, Step
from lotse_platform.documents import KeyValues, Paragraph, Table, texts

DAY = date(2026, 12, 7)


def _facts() -> CaseFacts:
    case = Case(intake_id="i-1", operator_org_id="", area_id="area-hoexter",
                organisation_id="org-stadt-hoexter", case_manager_id="cm-lea",
                opened_on=date(2026, 10, 1))
    case.motto_goal = "Ich will als Pflegehelferin arbeiten"

    def goal(statement: str, due: date, **kw) -> Goal:
        return Goal(case_id=case.id, topic_area="work_training", statement=statement,
                    indicator="Vertrag liegt vor", responsible="partner_organisation",
                    realism_note="", due_on=due, set_on=date(2026, 11, 1),
                    responsible_org_id="org-jobcenter", **kw)

    kept = goal("Ausbildung beginnt", date(2027, 8, 1))
    primary = goal("Aufenthaltserlaubnis beantragt", date(2027, 9, 1), primary=True)
    dropped = goal("Führerschein", date(2027, 3, 1), status="dropped")
    steps = [Step(case_id=case.id, goal_id=kept.id, description="Termin beim Jobcenter",
                  responsible="case_manager", due_on=date(2027, 1, 10), status="done"),
             Step(case_id=case.id, goal_id=dropped.id, description="Fahrschule suchen",
                  responsible="client", due_on=date(2027, 1, 5))]
    plan = HelpPlan(case_id=case.id, version=2, created_by="cm-lea", monitoring_every_days=21,
                    monitoring_contact_types=["appointment"])
    return CaseFacts(case, Person(case_id=case.id, name="Olena Kovalenko"),
                     [kept, primary, dropped], steps, plan,
                     {"org-jobcenter": "Jobcenter Kreis Höxter"})


def test_the_help_plan_lists_the_goals_in_force_primary_first_and_their_steps():
    """001 L262 "Dokumentationsvorlage: Hilfeplan": goals (a dropped one no longer), who is
    responsible — a partner with its organisation's name (ADR 0086) —, by when, the steps and
    the review."""
    document = help_plan(_facts(), DAY)(texts("de"))
    goals, steps = [b for b in document.blocks if isinstance(b, Table)]

    assert [row[0] for row in goals.rows] == ["Aufenthaltserlaubnis beantragt",
                                              "Ausbildung beginnt"]
    assert goals.rows[1][1:] == ("Arbeit / Ausbildung", "Vertrag liegt vor",
                                 "Partnerorganisation (Jobcenter Kreis Höxter)", "01.08.2027")
    assert steps.rows == (("Termin beim Jobcenter", "Case Management", "10.01.2027", "ja"),)
    assert Paragraph("Überprüfung des Hilfeplans alle 21 Tage") in document.blocks
    assert KeyValues((("Fassung", "2"),)) in document.blocks


def test_the_agreement_names_the_guiding_goal_and_the_goals_agreed():
    """001 L256 "Verbindlichkeit für beide Seiten": the agreement holds what both agreed."""
    document = counselling_agreement(_facts(), DAY)(texts("en"))

    assert document.title == "Counselling agreement"
    assert KeyValues((("Guiding goal", "Ich will als Pflegehelferin arbeiten"),)) in document.blocks
    assert Paragraph("• Aufenthaltserlaubnis beantragt (01/09/2027)") in document.blocks
    assert not any("Führerschein" in getattr(b, "text", "") for b in document.blocks)


def test_a_blank_form_holds_nothing_of_the_case():
    """001 L262: printed ahead, filled in by hand."""
    document = help_plan(None, DAY)(texts("de"))
    header = next(b for b in document.blocks if isinstance(b, KeyValues))

    assert all(value == "" for _, value in header.rows)
    assert all(not table.rows and table.blank_rows
               for table in document.blocks if isinstance(table, Table))
