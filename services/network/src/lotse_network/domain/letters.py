"""The referral letter (*Überweisungs-/Vermittlungsschreiben*): the documented channel to a
partner without Lotse users (issue 11) — the case manager prints it and hands it to the client
or sends it; the partner's answer she records as the referral's steps. It holds exactly what the
partner would read in its inbox: the data released for that partner and topic area, confirmed
with intake when it is printed, nothing once the release is withdrawn. German (the partner's
language); plain Python, rendered by the platform (lotse_platform.documents)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from lotse_platform.documents import (
    Document,
    Heading,
    KeyValues,
    Note,
    Paragraph,
    Signatures,
    Table,
)

from .referrals import label
from .vocabulary import label as topic_label


def referral_letter(view: Mapping[str, Any], partner_name: str | None,
                    issued_on: date) -> Document:
    """``view``: the partner's view of the referral (released data only)."""
    released = bool(view.get("released"))
    shared = tuple((label(str(item["category"])), str(item.get("content") or ""))
                   for item in view.get("shared") or ())
    sent_on = view.get("sent_on")
    return Document("de", "Vermittlung an Ihre Stelle", (
        KeyValues((
            ("An", partner_name or ""),
            ("Person", str(view["person"]) if released and view.get("person")
             else "nicht weitergegeben"),
            ("Art der Vermittlung", label(str(view["mode"]))),
            ("Themenbereich", topic_label(str(view["topic_area"]))),
            ("Dringlichkeit", label(str(view["urgency"]))),
            ("Gesendet am", sent_on.strftime("%d.%m.%Y") if isinstance(sent_on, date) else ""),
            ("Ausgestellt am", issued_on.strftime("%d.%m.%Y")),
        )),
        Heading("Anlass"),
        Paragraph(str(view.get("reason") or "") if released else
                  "Die Einwilligung zur Weitergabe liegt nicht (mehr) vor: dieses Schreiben "
                  "enthält keine Angaben zur Person."),
        Heading("Weitergegebene Angaben"),
        Table(("Angabe", "Inhalt"), shared, empty="keine", widths=(1, 3)),
        Note("Weitergegeben nur, soweit die Schweigepflichtentbindung der Person für Ihre Stelle "
             "und diesen Themenbereich reicht (Stand: Ausstellungsdatum)."),
        Heading("Ihre Rückmeldung"),
        Paragraph("Bitte teilen Sie dem Case Management mit, ob Sie die Vermittlung annehmen, "
                  "ob die Person bei Ihnen angekommen ist und wie die Hilfe steht."),
        Signatures(("Case Management", "Eingangsbestätigung der Stelle"), "Ort, Datum"),
    ), subtitle="Kommunales Integrationsmanagement – Case Management")
