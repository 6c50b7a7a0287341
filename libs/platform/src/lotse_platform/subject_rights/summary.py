"""The readable German summary of a subject-access archive (``summary.pdf``, Art. 15(1) GDPR):
which service holds which of the person's records for which purpose, on which legal basis, for
how long, which categories of data, and who accessed the records when and for which purpose.
The values themselves are in the JSON beside it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import clock
from ..datamap.vocabulary import LEGAL_BASES, RETENTION_CLASSES, SPECIAL_KINDS
from ..documents.model import Document, Heading, KeyValues, Note, Paragraph, Table
from ..documents.pdf import render_pdf

if TYPE_CHECKING:
    from .coordinator import RequestState

_ACTIONS = {"read": "gelesen", "create": "angelegt", "update": "geändert", "delete": "gelöscht"}
_STATES = {"answered": "beantwortet", "pending": "ausstehend",
           "overdue": "keine Antwort bis zur Frist"}


def _when(at: datetime | str, tenant: Any) -> str:
    instant = datetime.fromisoformat(at) if isinstance(at, str) else at
    return instant.astimezone(clock.zone(tenant)).strftime("%d.%m.%Y %H:%M")


def _label(vocabulary: dict[str, tuple[str, str]], key: str) -> str:
    return vocabulary.get(key, (key, key))[0]


def _categories(table: dict[str, Any]) -> str:
    kinds = sorted({v for v in table["columns"].values() if v in SPECIAL_KINDS})
    if not kinds:
        return "personenbezogen"
    return "besondere Kategorien: " + ", ".join(SPECIAL_KINDS[k][0].split(":")[0] for k in kinds)


def summary_pdf(request: RequestState, parts: dict[str, dict[str, Any]], *, tenant: Any,
                issued_at: datetime) -> bytes:
    blocks: list[Any] = [
        KeyValues((
            ("Ersuchen", str(request.id)),
            ("Betroffene Person (Kennung der Erstberatung)", request.person_id),
            ("Bezug / Rechtsgrundlage des Ersuchens", request.reference),
            ("Gestellt am", _when(request.requested_at, tenant)),
            ("Frist der Dienste", _when(request.deadline, tenant)),
            ("Erstellt am", _when(issued_at, tenant)),
        )),
        Paragraph("Diese Auskunft fasst zusammen, welche Daten die Dienste von Lotse über die "
                  "Person speichern, wozu, auf welcher Rechtsgrundlage und wie lange, und wer "
                  "wann zu welchem Zweck darauf zugegriffen hat. Die gespeicherten Werte selbst "
                  "stehen maschinenlesbar je Dienst in den JSON-Dateien dieses Archivs."),
        Heading("Antworten der Dienste"),
        Table(("Dienst", "Stand", "Tabellen", "Datensätze", "Zugriffe"), tuple(
            (s.service, _STATES[s.state] + (" (nach der Frist)" if s.late else ""),
             "" if s.tables is None else str(s.tables), "" if s.rows is None else str(s.rows),
             "" if s.accesses is None else str(s.accesses))
            for s in request.services), widths=(2, 3, 1.2, 1.2, 1.2)),
    ]
    missing = [s.service for s in request.services if s.state != "answered"]
    if missing:
        blocks.append(Note("Ohne Antwort bis zur Frist: " + ", ".join(missing) + ". Die "
                           "Auskunft ist insoweit unvollständig; ein neues Ersuchen fragt "
                           "diese Dienste erneut."))
    for service, part in parts.items():
        blocks.append(Heading(f"Dienst {service}: gespeicherte Daten"))
        blocks.append(Table(
            ("Tabelle", "Zweck", "Rechtsgrundlage", "Speicherdauer", "Kategorien", "Anzahl"),
            tuple((t["name"], t["purpose_de"], _label(LEGAL_BASES, t["legal_basis"]),
                   _label(RETENTION_CLASSES, t["retention"]), _categories(t), str(len(t["rows"])))
                  for t in part["tables"]),
            empty="Keine Daten über die Person.", widths=(2, 3, 3, 3, 2.2, 1.6)))
        accesses = part["accesses"]
        blocks.append(Heading(f"Dienst {service}: Zugriffe (Protokoll)"))
        purposes = Counter(a["purpose_label"] for a in accesses)
        if purposes:
            blocks.append(Paragraph("Zwecke: " + "; ".join(
                f"{label} ({count})" for label, count in sorted(purposes.items()))))
        blocks.append(Table(
            ("Zeitpunkt", "Wer (Kennung)", "Aktion", "Datensatz", "Zweck"),
            tuple((_when(a["at"], tenant), a["actor"], _ACTIONS.get(a["action"], a["action"]),
                   a["record_type"], a["purpose_label"]) for a in accesses),
            empty="Keine Zugriffe protokolliert.", widths=(2, 3, 1.5, 2, 3)))
    document = Document("de", "Auskunft nach Art. 15 DSGVO", tuple(blocks),
                        subtitle="Zusammenfassung für die betroffene Person")
    return render_pdf([document], issued_on=clock.day_of(issued_at, tenant),
                      footer="Auskunft nach Art. 15 DSGVO")
