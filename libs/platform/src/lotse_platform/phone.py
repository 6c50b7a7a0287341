"""Phone numbers checked and kept in one form, E.164 (``+4952711234567``), with Google's
libphonenumber (``phonenumbers``): steering's forum invitation list (ADR 0098) and the contacts
a data subject's request may name (ADR 0108) compare them as kept."""

from __future__ import annotations

import phonenumbers

#: numbers without a country code are read as German ones
DEFAULT_REGION = "DE"


class InvalidPhoneNumber(ValueError):
    """Not a phone number, or no valid number of its country (the message says which)."""


def e164(value: str) -> str:
    """``value`` as an E.164 number; :class:`InvalidPhoneNumber` when it cannot be parsed or is
    no valid number of its country."""
    try:
        parsed = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber("not a phone number") from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber("not a valid phone number (with +49 or another country code, "
                                 "or a German number)")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
