"""The words of the data map (Art. 30 GDPR, *Verzeichnis von Verarbeitungstätigkeiten*): classes
of data, kinds of special-category data, retention classes and legal bases, each with its German
and English label. A service's map names them by key; an unknown key is refused when the map is
loaded (ADR 0100)."""

from __future__ import annotations

import enum


class DataClass(str, enum.Enum):
    """How personal a column is."""

    not_personal = "not_personal"  # keine personenbezogenen Daten
    personal = "personal"  # personenbezogene Daten (Art. 4 Nr. 1 DSGVO)
    special_category = "special_category"  # besondere Kategorien (Art. 9 DSGVO)


DATA_CLASS_LABELS: dict[DataClass, tuple[str, str]] = {
    DataClass.not_personal: ("nicht personenbezogen", "not personal"),
    DataClass.personal: ("personenbezogen", "personal"),
    DataClass.special_category: ("besondere Kategorie (Art. 9 DSGVO)",
                                 "special category (Art. 9 GDPR)"),
}

#: kinds of special-category data. ``residence`` (Aufenthaltsstatus) is no Art. 9 category in the
#: letter of the law; DOMAIN.md §9 treats it as one (it exposes a person to the authorities), and
#: so does the map. ``free_text`` is a field in which a case manager may write anything, so it
#: may hold every other kind and is protected as such.
SPECIAL_KINDS: dict[str, tuple[str, str]] = {
    "health": ("Gesundheit", "health"),
    "residence": ("Aufenthaltsstatus", "residence status"),
    "ethnic_origin": ("ethnische Herkunft", "ethnic origin"),
    "religion": ("religiöse Überzeugung", "religion"),
    "child_protection": ("Kindeswohl (Schutzauftrag, § 8a SGB VIII)",
                         "child protection (§ 8a SGB VIII)"),
    "free_text": ("Freitext: kann jede besondere Kategorie enthalten",
                  "free text: may hold any special category"),
}

#: retention classes (*Löschfristen*): how long a kind of record is kept, in words. The periods
#: themselves are the tenant's retention policy (issue 15 point 2, ADR 0106:
#: :mod:`lotse_platform.subject_rights.retention`).
RETENTION_CLASSES: dict[str, tuple[str, str]] = {
    "case_record": ("Fallakte: bis Ablauf der Aufbewahrungsfrist nach Fallabschluss",
                    "case record: until the retention period after the case's closure ends"),
    "intake_without_admission": (
        "Erstberatung ohne Aufnahme: Monate nach der Entscheidung",
        "intake without admission: months after the decision"),
    "consent": ("Einwilligung: solange der Vorgang, zu dem sie gehört, plus Nachweisfrist",
                "consent: as long as the record it belongs to, plus the period of proof"),
    "referral": ("Weiterleitung: solange der Fall beim Partner, dann wie die Fallakte",
                 "referral: while the partner works it, then as the case record"),
    "staff_record": ("Personaldaten der Fachkräfte: bis zum Ausscheiden plus Nachweisfrist",
                     "staff record: until the person leaves, plus the period of proof"),
    "directory": ("Verzeichnis (Organisationen, Angebote): solange gültig, unberührt von "
                  "Löschungen einzelner Personen",
                  "directory (organisations, services): while current, unaffected by a "
                  "person's erasure"),
    "planning": ("Planung und Steuerung (Kreisebene): solange die Planung gilt",
                 "planning and steering (county level): while the planning is current"),
    "statistics": ("Statistik: anonym, unbefristet", "statistics: anonymous, kept"),
    "audit": ("Protokoll: Einträge unlöschbar (ohne personenbezogenen Inhalt), Notizen mit "
              "eigener Frist", "audit trail: entries never erased (no personal content), "
                              "notes with their own period"),
    "security": ("Sicherheit (Anmeldung, Schlüssel): kurz, bis zum Ablauf",
                 "security (login, keys): short, until they expire"),
    "operational": ("Betrieb (Nachrichten, Zustände): bis verarbeitet, dann bereinigt",
                    "operational (messages, states): until processed, then cleared"),
}

#: legal bases (*Rechtsgrundlagen*), cited as the counties' data-protection officers cite them
LEGAL_BASES: dict[str, tuple[str, str]] = {
    "task_sgb": ("Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 67a SGB X (Erforderlichkeit für die "
                 "Aufgabe)", "Art. 6(1)(e) GDPR with § 67a SGB X (necessary for the task)"),
    "task_sgb_special": ("Art. 9 Abs. 2 lit. b und h DSGVO i. V. m. § 67a Abs. 1 SGB X",
                         "Art. 9(2)(b) and (h) GDPR with § 67a(1) SGB X"),
    "consent": ("Art. 6 Abs. 1 lit. a, Art. 9 Abs. 2 lit. a DSGVO (Einwilligung), § 67b SGB X",
                "Art. 6(1)(a), Art. 9(2)(a) GDPR (consent), § 67b SGB X"),
    "child_protection": ("Art. 6 Abs. 1 lit. c, Art. 9 Abs. 2 lit. g DSGVO i. V. m. § 8a SGB "
                         "VIII, § 4 KKG", "Art. 6(1)(c), Art. 9(2)(g) GDPR with § 8a SGB VIII, "
                                          "§ 4 KKG"),
    "employment": ("Art. 6 Abs. 1 lit. b, c DSGVO i. V. m. § 26 BDSG bzw. Landesrecht "
                   "(Beschäftigte)", "Art. 6(1)(b), (c) GDPR with § 26 BDSG or state law "
                                     "(staff)"),
    "accountability": ("Art. 5 Abs. 2, Art. 32 DSGVO (Rechenschaft, Sicherheit der "
                       "Verarbeitung)", "Art. 5(2), Art. 32 GDPR (accountability, security of "
                                        "processing)"),
    "public_task": ("Art. 6 Abs. 1 lit. e DSGVO i. V. m. dem Teilhabe- und "
                    "Integrationsgesetz NRW (§ 9 TIntG, KIM)",
                    "Art. 6(1)(e) GDPR with the NRW participation and integration act "
                    "(§ 9 TIntG, KIM)"),
    "none": ("keine erforderlich (keine personenbezogenen Daten)",
             "none needed (no personal data)"),
}

#: the legal bases that cover special-category data (Art. 9(2) GDPR); a special-category column
#: of a table with another basis is processed under ``task_sgb_special``
SPECIAL_CATEGORY_BASES: frozenset[str] = frozenset({
    "task_sgb_special", "consent", "child_protection"})
