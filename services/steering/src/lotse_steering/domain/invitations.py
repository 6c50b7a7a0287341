"""The participation forum's invitation list (seed 004 L99: invitations "by SMS and e-mail to
people who took part in the first participation forum and are interested in further dates") —
the one piece of personal data the steering service holds (ADR 0098).

An entry is kept per forum with the person's consent: a name if the person gave one, a phone
number and/or an e-mail address (at least one, each checked), and the consent — the day it was
given, how, and what for. It serves one purpose: inviting to the forum's next sessions. Only the
coordinating office sees it; an entry is erased (not marked) when the office deletes it or the
person withdraws consent.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from lotse_platform.phone import InvalidPhoneNumber, e164

from .forum import InvalidForumInput

#: how a consent was given (*Art der Einwilligung*), with the German labels users read
CONSENT_WAYS: dict[str, str] = {
    "written": "schriftlich (Unterschrift auf der Teilnahmeliste)",
    "verbal": "mündlich, vom Koordinierungsteam dokumentiert",
    "email": "per E-Mail",
    "sms": "per SMS",
    "online_form": "über ein Online-Formular",
}

#: what a spreadsheet would run as a formula when a cell starts with it (CSV injection)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Consent:
    given_on: date
    how: str
    purpose: str

    @property
    def how_de(self) -> str:
        return CONSENT_WAYS.get(self.how, self.how)


@dataclass
class Invitee:
    """One entry of a forum's invitation list."""

    forum_id: uuid.UUID
    name: str | None
    phone: str | None  # E.164, e.g. "+4952711234567"
    email: str | None
    consent_given_on: date
    consent_how: str
    consent_purpose: str
    recorded_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    tenant_id: uuid.UUID | None = None

    @property
    def consent(self) -> Consent:
        return Consent(self.consent_given_on, self.consent_how, self.consent_purpose)


def phone_number(value: str) -> str:
    """``value`` as an E.164 number, or the refusal naming ``phone``: a number that cannot be
    parsed or is no valid number of its country."""
    try:
        return e164(value)
    except InvalidPhoneNumber as error:
        raise InvalidForumInput("phone", str(error)) from error


def new_invitee(forum_id: uuid.UUID, name: str | None, phone: str | None, email: str | None,
                consent: Consent, today: date, now: datetime) -> Invitee:
    """An entry, or the refusal naming the field: neither phone nor e-mail, a consent dated in
    the tenant's future, a way of consent outside the vocabulary, no purpose."""
    phone = (phone or "").strip() or None
    email = (email or "").strip() or None
    if phone is None and email is None:
        raise InvalidForumInput("phone", "an invitation needs a phone number or an e-mail "
                                         "address")
    if consent.given_on > today:
        raise InvalidForumInput("consent.given_on", "a consent is given on or before today")
    if consent.how not in CONSENT_WAYS:
        raise InvalidForumInput("consent.how", "one of " + ", ".join(CONSENT_WAYS))
    if not consent.purpose.strip():
        raise InvalidForumInput("consent.purpose", "what the consent covers")
    return Invitee(forum_id=forum_id, name=(name or "").strip() or None,
                   phone=phone_number(phone) if phone else None, email=email,
                   consent_given_on=consent.given_on, consent_how=consent.how,
                   consent_purpose=consent.purpose.strip(), recorded_at=now)


def _cell(value: str | None) -> str:
    """A value a spreadsheet shows as text, never runs (OWASP's CSV injection advice)."""
    text = value or ""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


#: the columns of the export, in German (the office opens it in a spreadsheet or a mail merge)
CSV_HEADERS = ("Name", "Telefon", "E-Mail", "Einwilligung am", "Art der Einwilligung",
               "Zweck der Einwilligung")


def to_csv(invitees: list[Invitee]) -> bytes:
    """The list for sending invitations: UTF-8 with a byte order mark, ``;`` between fields,
    CRLF (Excel in Germany, as reporting's exports). A phone number is kept in E.164 without its
    ``+`` guarded (checked digits, no formula); names and addresses are guarded."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for entry in invitees:
        writer.writerow([_cell(entry.name), entry.phone or "", _cell(entry.email),
                         entry.consent_given_on.isoformat(), CONSENT_WAYS[entry.consent_how],
                         _cell(entry.consent_purpose)])
    return out.getvalue().encode("utf-8-sig")
