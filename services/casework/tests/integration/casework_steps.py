"""Steps through the casework API that many tests take: an assessment, a SMART goal, a help
plan, and driving a case along the cycle to a phase."""

from __future__ import annotations

from lotse_platform.testing import days_ahead

ORDER = ("intake", "assessment", "goal_agreement", "linking", "monitoring", "evaluation")


def assessment(**overrides) -> dict:
    body = {
        "life_areas": [
            {"area": "residence_status", "client_view": "Duldung, Angst vor Abschiebung",
             "case_manager_view": "Duldung, Chance auf § 25b AufenthG",
             "disagreement": "Klientin sieht keine Perspektive, CM sieht Bleiberecht"},
            {"area": "housing", "client_view": "Gemeinschaftsunterkunft, zu eng",
             "case_manager_view": "Gemeinschaftsunterkunft, zu eng"},
        ],
        "resources": [{"kind": "personal", "description": "spricht drei Sprachen"},
                      {"kind": "social", "description": "Schwester in Brakel"}],
        "network": [{"label": "Schwester", "kind": "family", "relation": "Schwester",
                     "quality": "supportive", "intensity": "weekly"},
                    {"label": "Ausländerbehörde", "kind": "authorities",
                     "quality": "straining", "intensity": "monthly"}],
    }
    body.update(overrides)
    return body


def goal(**overrides) -> dict:
    body = {"topic_area": "residence",
            "statement": "Antrag auf Aufenthaltserlaubnis nach § 25b ist gestellt",
            "indicator": "Eingangsbestätigung der Ausländerbehörde liegt vor",
            "responsible": "client", "realism_note": "Unterlagen sind fast vollständig",
            "due_on": days_ahead(60)}
    body.update(overrides)
    return body


def help_plan(**overrides) -> dict:
    body = {"monitoring": {"every_days": 14, "contact_types": ["appointment", "phone_call"]}}
    body.update(overrides)
    return body


def ok(response, status: int = 204):
    body = response.get_json(silent=True)
    assert response.status_code == status, body
    return body


def drive(caller, case_id, target: str) -> dict:
    """Take a case from intake along the cycle to ``target``; returns ids made on the way."""
    made: dict = {}
    for current, following in zip(ORDER, ORDER[1:]):
        if current == target:
            break
        if following == "goal_agreement":
            ok(caller.post(f"/cases/{case_id}/assessments", assessment()), 201)
        if following == "linking":
            made["goal_id"] = ok(caller.post(f"/cases/{case_id}/goals", goal()), 201)["id"]
            ok(caller.post(f"/cases/{case_id}/help-plans", help_plan()), 201)
        ok(caller.post(f"/cases/{case_id}/phase", {"to": following}))
    return made
