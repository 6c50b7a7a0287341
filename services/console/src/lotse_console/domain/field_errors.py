"""A problem document (RFC 9457) of an API → what a form shows: a German message at each field
and a summary at the top (*Fehlerübersicht*).

The APIs name the offending field (``person.given_name``, ``topic_areas.1``,
``consents.counselling_agreement``) and say what is wrong in English; the console says it in
German. A message it does not know becomes a German sentence that still names the field, never
the English text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import vocabulary

#: English messages of the APIs (marshmallow's and the services' own) → German
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), german) for pattern, german in (
        (r"^missing data for required field", "Bitte ausfüllen – diese Angabe ist Pflicht."),
        (r"^field may not be null", "Bitte ausfüllen – diese Angabe ist Pflicht."),
        (r"^not a valid date", "Bitte ein gültiges Datum angeben (TT.MM.JJJJ)."),
        (r"^not a valid (uuid|id)", "Bitte einen Eintrag aus der Liste wählen."),
        (r"^must be one of", "Bitte einen Eintrag aus der Liste wählen."),
        (r"^shorter than minimum length 1|^length must be between 1|must not be empty|"
         r"^may not be empty|^shorter than minimum",
         "Bitte ausfüllen – diese Angabe darf nicht leer sein."),
        (r"^longer than maximum length (\d+)", "Zu lang: höchstens {0} Zeichen."),
        (r"in the future|after today", "Das Datum darf nicht in der Zukunft liegen."),
        (r"unknown (reference|organisation|area)|not known|unknown-reference",
         "Dieser Eintrag ist nicht (mehr) bekannt – bitte einen anderen wählen."),
        (r"^unknown field", "Diese Angabe ist hier nicht vorgesehen."),
        (r"^not a valid boolean", "Bitte Ja oder Nein wählen."),
        (r"^not a valid integer", "Bitte eine ganze Zahl angeben."),
        (r"^not a valid email", "Bitte eine gültige E-Mail-Adresse angeben."),
        (r"^not a valid url", "Bitte eine vollständige Webadresse angeben (https://…)."),
        (r"lower-case letters, digits", "Nur Kleinbuchstaben, Ziffern und . _ @ - "
         "(2 bis 100 Zeichen), am Anfang ein Buchstabe oder eine Ziffer."),
        (r"username is taken", "Dieser Benutzername ist schon vergeben."),
        (r"is shorter than (\d+) characters", "Zu kurz: mindestens {0} Zeichen."),
        (r"is longer than (\d+) characters", "Zu lang: höchstens {0} Zeichen."),
        (r"is too easy to guess", "Zu leicht zu erraten (ein häufiges Passwort, ein Muster oder "
         "aus Namen gebildet) – bitte ein längeres, eigenes wählen."),
        (r"consists of spaces only", "Bitte nicht nur Leerzeichen."),
        (r"must not be before valid_from", "Das Ende darf nicht vor dem Beginn der Gültigkeit "
         "liegen."),
        (r"^a postal code", "Bitte eine gültige Postleitzahl angeben."),
        (r"names the youth office", "Bei einer Sorge um das Kindeswohl bitte das Jugendamt "
         "wählen, an das sie gemeldet wird."),
        (r"only with the client's agreement", "Nur mit Zustimmung der Person: Bitte bestätigen, "
         "dass sie der Teilnahme zugestimmt hat."),
        (r"cannot lie inside itself|cannot be its own parent",
         "Das kann nicht sich selbst übergeordnet sein."),
        (r"the views differ", "Die Sichtweisen unterscheiden sich: Bitte den Dissens "
         "festhalten – beide Sichtweisen bleiben erhalten."),
        (r"at least one life area", "Bitte mindestens einen Lebensbereich beschreiben."),
        (r"each life area once", "Jeder Lebensbereich nur einmal."),
        (r"each language once", "Jede Sprache nur einmal."),
        (r"plan review records what changed",
         "Bei einer Überprüfung des Hilfeplans bitte festhalten, was sich geändert hat."),
        (r"plan review records why",
         "Bei einer Überprüfung des Hilfeplans bitte festhalten, warum."),
        (r"by which contact types", "Bitte mindestens eine Kontaktart für das Monitoring wählen."),
        (r"needs at least one agreed goal",
         "Ein Hilfeplan braucht mindestens ein vereinbartes Ziel."),
        (r"^must be greater than or equal to (\d+) and less than or equal to (\d+)",
         "Bitte eine Zahl von {0} bis {1} angeben."),
        (r"required|step states it|must be given|is needed|^missing\b",
         "Bitte ausfüllen – diese Angabe ist Pflicht."),
    ))

#: casework's SMART rule names each missing part of a goal ("missing (measurable: …)"); the
#: console explains the letter of SMART it stands for
_SMART: dict[str, str] = {
    "statement": "Spezifisch: Was genau soll erreicht werden? Bitte als erreichten Zustand "
                 "formulieren.",
    "indicator": "Messbar: Woran wird man erkennen, dass das Ziel erreicht ist?",
    "responsible": "Zugeordnet: Wer ist verantwortlich – die Person selbst, Sie oder eine "
                   "Partnerorganisation?",
    "responsible_org_id": "Zugeordnet: Welche Partnerorganisation ist verantwortlich?",
    "realism_note": "Realistisch: Warum ist das Ziel mit den vorhandenen Mitteln erreichbar?",
    "due_on": "Terminiert: Bis wann soll das Ziel erreicht sein?",
}

#: what a field means in the forms (German), for the summary at the top
FIELD_LABELS: dict[str, str] = {
    "person.given_name": "Vorname",
    "person.family_name": "Familienname",
    "person.date_of_birth": "Geburtsdatum",
    "access_path": "Zugangsweg",
    "referring_org_id": "vermittelnde Organisation",
    "area_id": "Gebiet (Wohnort)",
    "contact_date": "Datum des Erstkontakts",
    "note": "Notiz",
    "criteria": "Aufnahmekriterien",
    "topic_areas": "Themenbereiche",
    "crisis": "Krise",
    "depth": "Beratungstiefe",
    "referral.org_id": "Verweis an (Organisation)",
    "referral.topic": "Verweis: Themenbereich",
    "kind": "Art",
    "given_on": "ausgehändigt / unterschrieben am",
    "valid_until": "gültig bis",
    "partner_org_id": "Partnerorganisation",
    "language": "Sprache",
    "justification": "Begründung",
    "admitted_on": "aufgenommen am",
    "consents.counselling_agreement": "Beratungsvereinbarung",
    "consents.data_protection_information": "Datenschutzinformation",
    "screening": "Screening",
    "decisions": "Entscheidung über die Beratungstiefe",
    "step": "Schritt",
    "statement": "Ziel",
    "indicator": "Indikator",
    "responsible": "Verantwortlich",
    "responsible_org_id": "verantwortliche Partnerorganisation",
    "realism_note": "Realistisch, weil",
    "due_on": "Erreicht bis",
    "text": "Begründung / Rückmeldung",
    "appointment_on": "Termin am",
    "vote": "Ihre Stimme",
    "defer": "vertagen",
    "roles": "Rollen",
    "name": "Name",
    "parent_id": "übergeordnete Organisation",
    "description": "Beschreibung",
    "valid_from": "gültig ab",
    "area_ids": "Gebiete",
    "steering_decision_ref": "Beschlussgrundlage",
    "email": "E-Mail",
    "website": "Webseite",
    "topic_area": "Themenbereich",
    "mode": "Art der Vermittlung",
    "reason": "Anlass / Abschlussgrund",
    "urgency": "Dringlichkeit",
    "type": "Kontaktart",
    "occurred_on": "Datum des Kontakts",
    "duration_minutes": "Dauer in Minuten",
    "purpose": "Zweck",
    "topics": "besprochene Themenbereiche",
    "notes": "Notizen",
    "appointment_id": "vereinbarter Termin",
    "children_present": "Kinder oder Jugendliche anwesend",
    "child_protection_concern": "Sorge um das Kindeswohl",
    "youth_office_org_id": "Zuständiges Jugendamt",
    "on": "Tag",
    "at": "Uhrzeit",
    "place": "Ort",
    "to_case_manager_id": "übernehmende Case-Managerin",
    "to_area_id": "neuer Wohnort (Gebiet)",
    "evaluation.plan": "Auswertung: Hilfeplan",
    "evaluation.cooperation": "Auswertung: Zusammenarbeit",
    "evaluation.client_satisfaction": "Zufriedenheit der Person",
    "evaluation.write_up_minutes": "Zeit für die Auswertung (Minuten)",
    "life_areas": "Lebensbereiche",
    "resources": "Ressourcen",
    "network": "Netzwerk",
    "monitoring.every_days": "Monitoring-Kontakt alle … Tage",
    "monitoring.contact_types": "Monitoring durch",
    "changes": "Was sich geändert hat",
    "planned_on": "geplant am",
    "agenda": "Anlass und Tagesordnung",
    "participants": "teilnehmende Organisation",
    "participants.organisation_id": "teilnehmende Partnerorganisation",
    "held_on": "gehalten am",
    "minutes": "Protokoll",
    "actions": "Vereinbarte Schritte",
    "revision_reason": "Warum das Ziel überarbeitet wird",
    "reached_reason": "Anmerkung zum erreichten Ziel",
    "dropped_reason": "Warum das Ziel aufgegeben wird",
    "language_levels": "Sprachniveaus",
    "persons": "weitere Teilnehmende",
    "username": "Benutzername",
    "display_name": "Name",
    "organisation_id": "Organisation",
    "password": "Vorläufiges Passwort",
    "password_change_required": "Passwort bei der ersten Anmeldung ändern",
    "active": "Stand",
    "ort.name": "Name des Ortes",
    "ort.address_1": "Straße und Hausnummer",
    "ort.postal_code": "Postleitzahl",
    "ort.city": "Ort",
    "ort.municipality_id": "Stadt / Gemeinde",
    "angebot.name": "Name des Angebots",
    "angebot.description": "Beschreibung des Angebots",
    "angebot.kind": "Art des Angebots",
    "angebot.topic_areas": "Themenbereiche des Angebots",
    "angebot.location_ids": "Orte des Angebots",
    "angebot.service_area_ids": "versorgte Städte und Gemeinden",
    "angebot.fees_description": "Kosten",
    "angebot.email": "E-Mail des Angebots",
    "angebot.url": "Webseite des Angebots",
}

#: the parts of an assessment's form (``life_areas.health.client_view``), in German
_PARTS: dict[str, str] = {
    "client_view": "Sicht der Person", "case_manager_view": "Sicht der Case-Managerin",
    "disagreement": "Dissens", "label": "wer", "kind": "Art", "relation": "Beziehung",
    "quality": "Qualität", "intensity": "Kontakthäufigkeit", "area": "Lebensbereich",
    "description": "Beschreibung",
    "language": "Sprache", "level": "Niveau (GER)", "evidence": "Nachweis",
    "assessed_on": "festgestellt am", "organisation_id": "Organisation", "role": "Rolle",
    "name": "Name", "client_agreed": "Zustimmung der Person",
}

#: what an admission conflict means (409 naming these), in German
_CONFLICTS: dict[str, str] = {
    "consents.counselling_agreement": "Es fehlt eine gültige Beratungsvereinbarung.",
    "consents.data_protection_information":
        "Es fehlt die Bestätigung, dass die Datenschutzinformation ausgehändigt wurde.",
    "screening": "Das Screening ist noch nicht abgeschlossen.",
    "decisions": "Die aktuelle Entscheidung lautet nicht „KIM-Case-Management“.",
}


@dataclass
class FieldErrors:
    """Messages per form field (the field names of the API) and the summary's lines."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def at(self, name: str) -> list[str]:
        """The messages of ``name`` and of the fields below it (``topic_areas.1``)."""
        return [message for key, messages in self.by_field.items()
                if key == name or key.startswith(f"{name}.") for message in messages]

    def summary(self) -> list[tuple[str, str]]:
        """(field, "Label: message") for the error summary, in the order they came."""
        lines = [(key, f"{field_label(key)}: {message}")
                 for key, messages in self.by_field.items() for message in messages]
        return lines + [("", message) for message in self.general]


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    head, _, rest = name.partition(".")
    if head in ("life_areas", "resources", "network", "language_levels", "participants",
                "persons") and rest:
        where, _, part = rest.partition(".")
        part = part.rsplit(".", 1)[-1] if part.startswith("n") else part
        names = {"life_areas": vocabulary.LIFE_AREAS, "resources": vocabulary.RESOURCE_KINDS
                 }.get(head, {})
        row = (names.get(where) or (f"Zeile {where.lstrip('rp')}"
                                    if head != "life_areas" else where))
        return f"{FIELD_LABELS[head]} – {row}" + (f": {_PARTS.get(part, part)}" if part else "")
    parent = name.rsplit(".", 1)[0]
    return FIELD_LABELS.get(parent, name)


def german_message(name: str, message: str) -> str:
    if name in _SMART and message.startswith("missing"):
        return _SMART[name]
    if name == "due_on" and "past" in message:
        return "Terminiert: Das Datum darf nicht in der Vergangenheit liegen."
    for pattern, german in _MESSAGES:
        match = pattern.search(message)
        if match:
            return german.format(*match.groups())
    if name in _CONFLICTS:
        return _CONFLICTS[name]
    return "Diese Angabe wurde nicht angenommen – bitte prüfen."


def from_problem(status: int, problem: dict[str, Any] | None) -> FieldErrors:
    """The field errors a problem document names, in German."""
    errors = FieldErrors()
    entries = (problem or {}).get("errors") or []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("field") or "")
        if status == 409 and name in _CONFLICTS:
            errors.add(name, _CONFLICTS[name])
        elif name and name != "body":
            errors.add(_form_field(name), german_message(name, str(entry.get("message", ""))))
        else:
            errors.general.append(german_message(name, str(entry.get("message", ""))))
    detail = str((problem or {}).get("detail") or "")
    if not errors and status == 409 and "consent was withdrawn" in detail:
        errors.general.append("Die Person hat ihre Einwilligung widerrufen: Es werden keine "
                              "Daten des Falls mehr weitergegeben.")
    if not errors and status == 409 and "already takes part" in detail:
        errors.general.append("Diese Organisation ist schon eingetragen – bitte jede nur "
                              "einmal wählen.")
    if not errors and status == 409 and detail.startswith("the goal is "):
        errors.general.append("Das Ziel ist schon abgeschlossen (erreicht oder aufgegeben) und "
                              "kann nicht mehr geändert werden.")
    if not errors and status == 409 and "belongs to the phases" in detail:
        errors.general.append("Das gehört zu einer anderen Phase des Falls; die Fallakte zeigt, "
                              "in welcher Phase er gerade ist.")
    if not errors:
        errors.general.append(_status_message(status))
    return errors


def renamed(problem: dict[str, Any] | None, names: dict[str, str]) -> dict[str, Any] | None:
    """The problem document with its fields named as the form names them: the API counts a
    list's members as it got them (``life_areas.2.disagreement``), the form names each row by
    what it is (``life_areas.health.disagreement``). ``names`` maps the API's list member
    (``life_areas.2``) to the form's."""
    if not problem or not isinstance(problem.get("errors"), list):
        return problem
    errors = []
    for entry in problem["errors"]:
        if isinstance(entry, dict):
            name = str(entry.get("field") or "")
            for api, form in names.items():
                if name == api or name.startswith(f"{api}."):
                    entry = {**entry, "field": form + name[len(api):]}
                    break
        errors.append(entry)
    return {**problem, "errors": errors}


def _form_field(name: str) -> str:
    # a list's member (``topic_areas.1``, ``criteria.0.met``) is shown at the list
    head = re.split(r"\.\d+", name, maxsplit=1)[0]
    return head


def _status_message(status: int) -> str:
    return {
        400: "Die Anfrage war fehlerhaft.",
        404: "Der Eintrag wurde nicht gefunden.",
        409: "Das geht im jetzigen Stand nicht.",
        413: "Die Angaben sind zu umfangreich.",
        422: "Die Angaben wurden nicht angenommen – bitte prüfen.",
        429: "Zu viele Anfragen – bitte einen Moment warten.",
    }.get(status, "Das hat nicht geklappt – bitte später noch einmal versuchen.")


def missing_releases(problem: dict[str, Any] | None,
                     topic_labels: dict[str, str]) -> FieldErrors:
    """The network's refusal of a referral for want of a release of confidentiality (409 with
    ``missing``: partner and topic area each) → German messages at the partner and the topic
    area: which release the person would have to give first."""
    errors = FieldErrors()
    missing = (problem or {}).get("missing") or []
    for entry in missing if isinstance(missing, list) else []:
        if not isinstance(entry, dict):
            continue
        partner = entry.get("partner_name") or "diese Partnerorganisation"
        topic = topic_labels.get(str(entry.get("topic_area")), str(entry.get("topic_area")))
        errors.add("partner_org_id", f"Für {partner} liegt keine gültige "
                                     f"Schweigepflichtentbindung für den Themenbereich "
                                     f"„{topic}“ vor.")
        errors.add("topic_area", f"Der Themenbereich „{topic}“ ist für diese "
                                 f"Partnerorganisation nicht freigegeben.")
    return errors
