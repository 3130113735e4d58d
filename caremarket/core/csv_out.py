"""Every CSV file the service writes goes through this writer.

A cell of text that a spreadsheet would read as a formula (one starting with =, +, -, @, a
tab or a carriage return) is written with an apostrophe in front, so that opening a download
never runs what a provider or anyone else typed ("CSV injection", OWASP). Numbers, dates and
money are written as they are: only text is changed.
"""

from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as it may be written to a CSV cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with every text cell made safe."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    return SafeWriter(stream, **options)
