"""The printable forms of the first consultation (001 L231 "Dokumentationsvorlage: Datenschutz
und Schweigepflichtsentbindung"; L229 "die Datenschutzinformationen und die
datenschutzrechtliche Einwilligungserklärung … zu besprechen"): the data-protection information
and the release from confidentiality of one intake, filled with the person and her consents, or
blank (``intake`` None) to print ahead. One language's text from that language's catalogue
(:mod:`lotse_platform.documents`, ADR 0080)."""

from __future__ import annotations

from collections.abc import Mapping

from datetime import date
from enum import StrEnum

from lotse_platform.documents import Document, Heading, KeyValues, Note, Paragraph, Table, Texts
from lotse_platform.documents.forms import FormBuilder, filled, language_name, signatures

from .model import Intake
from .vocabulary import ConsentKind


class IntakeForm(StrEnum):
    """The forms of an intake (the last segment of their URL, and the audit reason's code)."""

    DATA_PROTECTION_INFORMATION = "data_protection_information"
    RELEASE_OF_CONFIDENTIALITY = "release_of_confidentiality"


FILE_NAMES = {IntakeForm.DATA_PROTECTION_INFORMATION: "datenschutzinformation.pdf",
              IntakeForm.RELEASE_OF_CONFIDENTIALITY: "schweigepflichtentbindung.pdf"}


def _person(t: Texts, intake: Intake | None, issued_on: date,
            *more: tuple[str, str]) -> KeyValues:
    person = intake.person if intake else None
    return KeyValues((
        (t("field.name"), f"{person.given_name} {person.family_name}" if person else ""),
        (t("field.date_of_birth"), filled(t, person.date_of_birth if person else None)),
        (t("field.intake_date"), filled(t, intake.contact_date if intake else None)),
        *more,
        (t("field.issued_on"), filled(t, issued_on if intake else None)),
    ))


def _blank(t: Texts, intake: Intake | None) -> tuple[Note, ...]:
    return () if intake else (Note(t("blank.note")),)


def data_protection_information(intake: Intake | None, issued_on: date,
                                names: Mapping[str, str] | None = None) -> FormBuilder:
    """*Datenschutzinformation* with the consent to process the data for case management; filled:
    when and in which language the information was handed over (the latest such record)."""
    handed = None
    if intake:
        given = [c for c in intake.consents
                 if c.kind == ConsentKind.DATA_PROTECTION_INFORMATION and not c.withdrawn]
        handed = max(given, key=lambda c: c.given_on) if given else None

    def build(t: Texts) -> Document:
        sections = ("controller", "purpose", "data", "basis", "sharing", "retention", "rights")
        return Document(t.language, t("privacy.title"), (
            *_blank(t, intake),
            _person(t, intake, issued_on,
                    (t("privacy.handed_over"), filled(t, handed.given_on if handed else None)),
                    (t("privacy.handed_over_language"),
                     language_name(handed.language) if handed else "")),
            *(block for name in sections for block in (
                Heading(t(f"privacy.{name}.heading")), Paragraph(t(f"privacy.{name}.text")))),
            Heading(t("privacy.consent.heading")),
            Paragraph(t("privacy.consent.text")),
            signatures(t),
        ), subtitle=t("privacy.subtitle"))
    return build


def release_of_confidentiality(intake: Intake | None, issued_on: date,
                               names: Mapping[str, str] | None = None) -> FormBuilder:
    """*Schweigepflichtentbindung*: filled with the partners and topic areas the person released
    (current releases: not withdrawn, not expired on ``issued_on``); blank with empty rows. A
    partner prints with its name as identity published it (``names``, ADR 0086); one whose name
    is not known yet prints as a blank the case manager fills in — never as its id."""
    names = names or {}
    releases = [] if intake is None else sorted(
        (c for c in intake.consents
         if c.kind == ConsentKind.RELEASE_OF_CONFIDENTIALITY and not c.withdrawn
         and (c.valid_until is None or c.valid_until >= issued_on)),
        key=lambda c: (c.valid_from, c.partner_org_id or ""))

    def build(t: Texts) -> Document:
        def valid(start: date, end: date | None) -> str:
            if end is None:
                return t("release.valid_open", start=t.date(start))
            return t("release.valid_range", start=t.date(start), end=t.date(end))

        rows = tuple((names.get(c.partner_org_id or "", ""),
                      ", ".join(t.label("topic", str(area)) for area in c.topic_areas),
                      valid(c.valid_from, c.valid_until)) for c in releases)
        return Document(t.language, t("release.title"), (
            *_blank(t, intake),
            _person(t, intake, issued_on),
            Paragraph(t("release.intro")),
            Table((t("release.partner"), t("release.topics"), t("release.valid")), rows,
                  empty=t("release.none") if intake else "", blank_rows=0 if intake else 5,
                  widths=(2, 3, 2)),
            Paragraph(t("release.voluntary")),
            signatures(t),
        ), subtitle=t("release.subtitle"))
    return build


BUILDERS = {IntakeForm.DATA_PROTECTION_INFORMATION: data_protection_information,
            IntakeForm.RELEASE_OF_CONFIDENTIALITY: release_of_confidentiality}
