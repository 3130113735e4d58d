"""One rule for all text that comes in, from pages, the API and files: no control characters.

A null character (U+0000) cannot be stored by PostgreSQL at all (SQLite stores it, so the
two databases disagreed, and PostgreSQL answered with a server error), and the other control
characters and the bidirectional overrides (U+202A–U+202E, U+2066–U+2069, which make text
display in a different order from the one it is stored in) have no place in a name, an
address or an answer. Text of several lines may hold line breaks and tabs.

Pure: callers turn the reason into a field error (web.forms, core.api_schemas, the visit
file's rows) or a 400 answer (core.middleware, for the query string); the CQC's own files are
taken with the characters removed (cqc.parsing).
"""

from __future__ import annotations

import re

_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def problem(text: str, *, multiline: bool = False) -> str | None:
    """Why this text cannot be taken ("contains a control character (U+0007)"), or None."""
    found = (_LINES if multiline else _ONE_LINE).search(text)
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        kind = "a null character"
    elif character in "\n\r\t":
        kind = "a line break or tab"
    elif "\u202a" <= character <= "\u2069":
        kind = "a character that reverses the direction of text"
    else:
        kind = "a control character"
    return f"contains {kind} (U+{ord(character):04X}), which is not allowed"


def without_controls(text: str) -> str:
    """The text with control characters taken out, for data published by others that the
    council imports as it is (the CQC's register), rather than refusing a row of it."""
    return text if text.isprintable() else _ONE_LINE.sub("", text)


_WHOLE_NUMBER = re.compile("[0-9]+")


def whole_number(text: str | None, *, most_digits: int = 18) -> int | None:
    """The number written in ASCII digits 0-9 alone, or None. Python's own ``str.isdigit`` and
    ``int`` take other scripts' digits and superscripts ("²", "٣"), which either reached the
    database as they were or failed in ``int`` as a server error; every whole number that comes
    in (a filter, a page number, a figure in a file) is read by this one rule instead."""
    text = (text or "").strip()
    if len(text) > most_digits or not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)
