"""Reading the CQC's published data: its files (CSV or ODS) and its API records.

Pure functions from rows to ``LocationRecord``; a row that cannot be read raises
``RowError`` naming the column and the value. Column names are the CQC's own (see
docs/cqc-files.md). A column that decides a stored fact (the location, its provider, whether
it is a care home, its rating and dates) must be in the file, or the file is refused; a
column read only for description (an address line, the number of beds) may be missing, and
is named in a warning before anything is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import zipfile
from typing import Iterator, NamedTuple
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from caremarket.core.cleaning import whole_number, without_controls
from caremarket.quality.ratings import CQC_NOT_RATED, CQC_RATINGS

# The CQC's own ids ("1-" and digits); an NHS trust's locations and the trust itself carry
# their NHS organisation codes instead ("RY2Y2", "RY2"), in the same columns.
CQC_ID = re.compile(r"^(?:1-\d{5,12}|[A-Z][A-Z0-9]{2,8})$")
KNOWN_RATINGS = {word.lower() for word in CQC_RATINGS} | CQC_NOT_RATED
RATING_WORDS = {"Outstanding", "Good", "Requires improvement", "Inadequate", "No published rating",
                "Inspected but not rated", "Insufficient evidence to rate", "Not Rated", ""}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y - %H:%M", "%d-%m-%Y", "%d %B %Y")


class RowError(ValueError):
    pass


class FileRefused(ValueError):
    """The whole file cannot be read (wrong columns, not a CQC file): nothing is imported."""


class LocationRecord(NamedTuple):
    """One location as the CQC publishes it. A named tuple: hundreds of thousands are made."""

    location_id: str
    provider_id: str = ""
    provider_name: str = ""
    name: str = ""
    address: str = ""
    postcode: str = ""
    local_authority: str = ""
    is_care_home: bool = False
    beds: int | None = None
    service_types: str = ""
    registered: bool = True
    registered_on: dt.date | None = None
    deregistered_on: dt.date | None = None
    rating: str = ""
    rating_published_on: dt.date | None = None
    # A fingerprint of the file's row, so that an unchanged row is recognised without reading it.
    row_digest: str = ""


def row_digest(cells: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(cells).encode(), digest_size=8).hexdigest()


RECORD_FIELDS = list(LocationRecord._fields)


# --- values --------------------------------------------------------------------------------

def cqc_id(value, column: str, *, required: bool = True) -> str:
    if value and value[0] == "1" and CQC_ID.match(value):
        return value  # the usual case, quickly
    text = (value or "").strip()
    if not text and not required:
        return ""
    if not CQC_ID.match(text):
        raise RowError(f"{column} '{text}' is not a CQC ID (like 1-123456789, or an NHS code like RY2Y2)")
    return text


@functools.lru_cache(maxsize=16384)
def _parse_date(text: str) -> dt.date | None:
    """None when the text is not a date. Cached: a file repeats the same few thousand dates."""
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def date(value, column: str) -> dt.date | None:
    if not value:
        return None
    parsed = _parse_date(value)  # cached, so the usual values cost a dictionary look-up
    if parsed is not None:
        return parsed
    text = value.strip()
    if not text or text == "-":
        return None
    parsed = _parse_date(text)
    if parsed is None:
        raise RowError(f"{column} '{text}' is not a date (expected dd/mm/yyyy)")
    return parsed


def yes_no(value, column: str) -> bool:
    if value == "Y":
        return True
    if value == "N" or not value:
        return False
    text = value.strip().upper()
    if text in ("Y", "YES", "TRUE"):
        return True
    if text in ("N", "NO", "FALSE", ""):
        return False
    raise RowError(f"{column} '{value}' should be Y or N")


def count(value, column: str) -> int | None:
    if (number := whole_number(value)) is not None:
        return number
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else int(text)
    except ValueError:
        raise RowError(f"{column} '{text}' is not a whole number") from None
    if number < 0:
        raise RowError(f"{column} '{text}' cannot be negative")
    return number


def rating(value, column: str) -> str:
    if value in RATING_WORDS:
        return value  # the usual case, quickly
    text = " ".join((value or "").split())
    if text.lower() not in KNOWN_RATINGS:
        raise RowError(f"{column} '{text}' is not a CQC rating")
    return text


# --- the published files -------------------------------------------------------------------

LOCATIONS_REQUIRED = ["Location ID", "Location Name", "Care home?", "Location HSCA start date",
                      "Location Latest Overall Rating", "Publication Date", "Provider ID", "Provider Name",
                      "Location Postal Code"]
LOCATIONS_READ = ["Location Street Address", "Location Address Line 2", "Location City", "Location Local Authority",
                  "Care homes beds"]
RATINGS_REQUIRED = ["Location ID", "Location Name", "Care Home?", "Service / Population Group", "Domain",
                    "Latest Rating", "Publication Date", "Provider ID"]
RATINGS_READ = ["Provider Name", "Location Street Address", "Location Address Line 2", "Location City",
                "Location Post Code", "Location Local Authority"]
DEACTIVATED_REQUIRED = ["Location ID", "Location Name", "Location HSCA End Date", "Location HSCA start date",
                        "Care home?"]
DEACTIVATED_READ = ["Provider ID", "Provider Name", "Location Postal Code", "Location Local Authority",
                    "Location Latest Overall Rating", "Publication Date"]
FILE_KINDS = {"locations": LOCATIONS_REQUIRED, "ratings": RATINGS_REQUIRED, "deactivated": DEACTIVATED_REQUIRED}
READ_IF_PRESENT = {"locations": LOCATIONS_READ, "ratings": RATINGS_READ, "deactivated": DEACTIVATED_READ}
PROVIDERS_SHEET = ("This is the providers sheet of the CQC's ratings file (ratings of whole providers, such as "
                   "NHS trusts): import the Locations sheet instead")


def kind_of(header: list[str]) -> str:
    present = set(header)
    if "Location HSCA End Date" in present:
        return "deactivated"
    if "Domain" in present and "Latest Rating" in present:
        return "ratings"
    if "Location Latest Overall Rating" in present:
        return "locations"
    raise FileRefused("This is not a CQC locations, ratings or deactivated locations file: its first row has "
                      "no 'Location Latest Overall Rating', 'Latest Rating' or 'Location HSCA End Date' column")


def check_header(header: list[str], kind: str) -> list[str]:
    """Refuse a file without a column that decides stored facts; warn of descriptive columns
    that are missing (what they would say is left blank). Returns the warnings."""
    missing = [column for column in FILE_KINDS[kind] if column not in header]
    if missing:
        raise FileRefused(f"The file has no {', '.join(repr(c) for c in missing)} column"
                          f"{'s' if len(missing) > 1 else ''}: is it the CQC's {kind} file?")
    absent = [column for column in READ_IF_PRESENT[kind] if column not in header]
    warnings = [f"The file has no {', '.join(repr(c) for c in absent)} column{'s' if len(absent) > 1 else ''}: "
                "left blank for every location"] if absent else []
    if kind == "locations" and not any(column.startswith("Service type - ") for column in header):
        warnings.append("The file has no 'Service type - …' columns: the services each location offers are left blank")
    return warnings


def is_providers_header(cells: list[str]) -> bool:
    """The providers sheet of the ratings file (or its CSV), which rates providers, not locations."""
    names = {" ".join(c.split()).lower().replace(" ", "") for c in cells}
    return "providerid" in names and "locationid" not in names and ("latestrating" in names or "domain" in names)


def _address(*parts: str) -> str:
    return ", ".join(_text(p) for p in parts if p and p.strip())


def _text(value: str) -> str:
    return without_controls(value.strip())


def _cells(header: list[str]):
    """A function giving a row's cell by column name, from the row's list of cells."""
    index = {name: position for position, name in enumerate(header)}

    def bind(cells: list[str]):
        def cell(name: str) -> str:
            position = index.get(name)
            return cells[position] if position is not None and position < len(cells) else ""
        return cell
    return bind


def locations_reader(header: list[str]):
    # Positions looked up once: this runs for each of hundreds of thousands of rows.
    width = len(header)
    at = {name: position for position, name in enumerate(header)}
    (location_id, provider_id, provider_name, name, street, line_2, city, postcode, authority, care_home, beds,
     start, rating_word, published) = (at.get(column, width) for column in (
        "Location ID", "Provider ID", "Provider Name", "Location Name", "Location Street Address",
        "Location Address Line 2", "Location City", "Location Postal Code", "Location Local Authority",
        "Care home?", "Care homes beds", "Location HSCA start date", "Location Latest Overall Rating",
        "Publication Date"))
    services = [(position, column[len("Service type - "):]) for position, column in enumerate(header)
                if column.startswith("Service type - ")]
    padding = [""] * (width + 1)  # the last is what a missing column reads as

    def read(cells: list[str]) -> LocationRecord:
        if len(cells) <= width:
            cells = cells + padding[len(cells):]
        return LocationRecord(
            location_id=cqc_id(cells[location_id], "Location ID"),
            provider_id=cqc_id(cells[provider_id], "Provider ID"),
            provider_name=_text(cells[provider_name]),
            name=_text(cells[name]),
            address=_address(cells[street], cells[line_2], cells[city]),
            postcode=_text(cells[postcode]).upper(),
            local_authority=_text(cells[authority]),
            is_care_home=yes_no(cells[care_home], "Care home?"),
            beds=count(cells[beds], "Care homes beds"),
            service_types="|".join(sorted(service for position, service in services if cells[position] == "Y")),
            registered=True,
            registered_on=date(cells[start], "Location HSCA start date"),
            rating=rating(cells[rating_word], "Location Latest Overall Rating"),
            rating_published_on=date(cells[published], "Publication Date"),
        )
    return read


def ratings_reader(header: list[str]):
    """The location's overall rating; None for the rows of other domains and services."""
    bind = _cells(header)

    def read(cells: list[str]) -> LocationRecord | None:
        row = bind(cells)
        if row("Domain").strip() != "Overall" or row("Service / Population Group").strip() not in ("Overall", ""):
            return None
        return LocationRecord(
            location_id=cqc_id(row("Location ID"), "Location ID"),
            provider_id=cqc_id(row("Provider ID"), "Provider ID"),
            provider_name=_text(row("Provider Name")),
            name=_text(row("Location Name")),
            address=_address(row("Location Street Address"), row("Location Address Line 2"), row("Location City")),
            postcode=_text(row("Location Post Code")).upper(),
            local_authority=_text(row("Location Local Authority")),
            is_care_home=yes_no(row("Care Home?"), "Care Home?"),
            rating=rating(row("Latest Rating"), "Latest Rating"),
            rating_published_on=date(row("Publication Date"), "Publication Date"),
        )
    return read


def deactivated_reader(header: list[str]):
    bind = _cells(header)

    def read(cells: list[str]) -> LocationRecord:
        row = bind(cells)
        return LocationRecord(
            location_id=cqc_id(row("Location ID"), "Location ID"),
            provider_id=cqc_id(row("Provider ID"), "Provider ID", required=False),
            provider_name=_text(row("Provider Name")),
            name=_text(row("Location Name")),
            postcode=_text(row("Location Postal Code")).upper(),
            local_authority=_text(row("Location Local Authority")),
            is_care_home=yes_no(row("Care home?"), "Care home?"),
            registered=False,
            registered_on=date(row("Location HSCA start date"), "Location HSCA start date"),
            deregistered_on=date(row("Location HSCA End Date"), "Location HSCA End Date"),
            rating=rating(row("Location Latest Overall Rating"), "Location Latest Overall Rating"),
            rating_published_on=date(row("Publication Date"), "Publication Date"),
        )
    return read


ROW_READERS = {"locations": locations_reader, "ratings": ratings_reader, "deactivated": deactivated_reader}


# --- the CQC API ---------------------------------------------------------------------------

def iso_date(value, field: str) -> dt.date | None:
    """The CQC API's dates are ISO (2026-03-01), sometimes with a time."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RowError(f"{field} {value!r} is not a date (expected an ISO date like 2026-03-01)")
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise RowError(f"{field} '{value.strip()}' is not a date (expected an ISO date like 2026-03-01)") from None


def _string(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{key} should be text, not {json.dumps(value)[:40]}")
    return value


def from_api(record: dict) -> tuple[LocationRecord, list[tuple[str, dt.date]]]:
    """A location record of the CQC API, and its rating history (rating, report date)."""
    if not isinstance(record, dict):
        raise RowError("a location record must be a JSON object")

    overall = ((record.get("currentRatings") or {}).get("overall") or {})
    history = []
    for past in record.get("historicRatings") or []:
        past_rating = ((past.get("overall") or {}).get("rating") or "").strip()
        if past_rating.lower() in {w.lower() for w in CQC_RATINGS}:
            history.append((rating(past_rating, "historicRatings.overall.rating"),
                            iso_date(past.get("reportDate"), "historicRatings.reportDate")))
    status = _string(record, "registrationStatus").strip()
    if status not in ("Registered", "Deregistered"):
        raise RowError(f"registrationStatus '{status}' should be Registered or Deregistered")
    address = _address(*(_string(record, key) for key in ("postalAddressLine1", "postalAddressLine2",
                                                          "postalAddressTownCity")))
    location = LocationRecord(
        location_id=cqc_id(record.get("locationId"), "locationId"),
        provider_id=cqc_id(record.get("providerId"), "providerId"),
        name=_text(_string(record, "name")),
        address=address,
        postcode=_text(_string(record, "postalCode")).upper(),
        local_authority=_text(_string(record, "localAuthority")),
        is_care_home=yes_no(record.get("careHome"), "careHome"),
        beds=count(str(record["numberOfBeds"]) if record.get("numberOfBeds") is not None else "", "numberOfBeds"),
        service_types="|".join(sorted(s.get("description") or s.get("name", "") for s in
                                      record.get("gacServiceTypes") or [])),
        registered=status == "Registered",
        registered_on=iso_date(record.get("registrationDate"), "registrationDate"),
        deregistered_on=iso_date(record.get("deregistrationDate"), "deregistrationDate"),
        rating=rating(overall.get("rating") or "No published rating", "currentRatings.overall.rating"),
        rating_published_on=iso_date(overall.get("reportDate"), "currentRatings.overall.reportDate"),
    )
    return location, history


# --- streaming the files -------------------------------------------------------------------

def csv_rows(stream: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    """Row number (1 = the file's first line) and cells, for every row of a CSV file."""
    for number, cells in enumerate(csv.reader(stream), start=1):
        yield number, cells


ODS_NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
_ROW = f"{{{ODS_NS['table']}}}table-row"
_CELL = f"{{{ODS_NS['table']}}}table-cell"
_COVERED = f"{{{ODS_NS['table']}}}covered-table-cell"
_TABLE = f"{{{ODS_NS['table']}}}table"
_REPEAT_COLUMNS = f"{{{ODS_NS['table']}}}number-columns-repeated"
_REPEAT_ROWS = f"{{{ODS_NS['table']}}}number-rows-repeated"
_P = f"{{{ODS_NS['text']}}}p"
_NAME = f"{{{ODS_NS['table']}}}name"


def ods_rows(path) -> Iterator[tuple[int, list[str]]]:
    """Rows of one sheet of an OpenDocument spreadsheet, streamed from its content.xml so that
    a file of hundreds of thousands of rows is read in bounded memory. The sheet is the first
    that is not a providers sheet (the latest ratings file has a Locations and a Providers
    sheet); a file with only a providers sheet is refused with what to import instead."""
    try:
        archive = zipfile.ZipFile(path)
        content = archive.open("content.xml")
    except (zipfile.BadZipFile, KeyError):
        raise FileRefused(f"'{Path(path).name}' is not a readable OpenDocument spreadsheet (ODS)") from None
    with archive, content:
        chosen, skipped_providers, number = None, False, 0
        try:
            for event, element in iterparse(content, events=("start", "end")):
                if event == "start":
                    if element.tag == _TABLE and chosen is None:
                        if "provider" in (element.get(_NAME) or "").lower():
                            skipped_providers = True
                        else:
                            chosen = element
                    continue
                if element.tag == _ROW:
                    if chosen is not None:
                        number = yield from _ods_row(element, number)
                    element.clear()
                elif element.tag == _TABLE and element is chosen:
                    return
        except ParseError as error:
            raise FileRefused(f"'{Path(path).name}' is not a readable OpenDocument spreadsheet: {error}") from None
        if chosen is None and skipped_providers:
            raise FileRefused(PROVIDERS_SHEET)


def _ods_row(element, number: int):
    cells = []
    for cell in element:
        if cell.tag not in (_CELL, _COVERED):
            continue
        text = "\n".join("".join(p.itertext()) for p in cell.iter(_P))
        cells.extend([text] * int(cell.get(_REPEAT_COLUMNS, "1")))
    while cells and not cells[-1]:
        cells.pop()  # trailing empty cells are padding
    repeat = int(element.get(_REPEAT_ROWS, "1"))
    if not cells:
        return number + repeat
    for _ in range(repeat):
        number += 1
        yield number, cells
    return number


def records(rows: Iterator[tuple[int, list[str]]]
            ) -> tuple[str, list[str], list[str], Iterator[tuple[int, list[str]]]]:
    """The file's kind, its header, warnings about it and its data rows. The header is the
    first row with a 'Location ID' column (older files have a few lines of preamble)."""
    header = None
    for number, cells in rows:
        if "Location ID" in cells:
            header = [c.strip() for c in cells]
            break
        if is_providers_header(cells):
            raise FileRefused(PROVIDERS_SHEET)
        if number >= 10:
            break
    if header is None:
        raise FileRefused("No row in the first 10 has a 'Location ID' column: is this a CQC locations, ratings or "
                          "deactivated locations file?")
    kind = kind_of(header)
    warnings = check_header(header, kind)
    return kind, header, warnings, ((number, cells) for number, cells in rows if any(cells))
