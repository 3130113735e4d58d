"""Telephone numbers as people give them, checked and written one way (Google's
libphonenumber, through the phonenumbers package). Pure.

A number without a country code is read as a UK one. A UK number is kept in the national
format people dial ("0121 496 0000"), any other in the international one ("+353 1 234 5678").
"""

from __future__ import annotations

import phonenumbers

EXAMPLE = "0121 496 0000"

# What an organisation on the framework must always have, with what to ask for when it is missing:
# the enrolment form and the API both refuse to leave these empty.
REQUIRED = {"name": "registered name", "address": "address", "postcode": "postcode", "email": "email address"}


def missing_message(field: str) -> str:
    return f"Enter your organisation's {REQUIRED[field]}"


def phone_number(text: str) -> str:
    """The number written the usual way; ValueError saying what is wrong when it is not one."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(f"Enter a telephone number, like {EXAMPLE} or +44 121 496 0000")
    if phonenumbers.region_code_for_number(number) == "GB":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
