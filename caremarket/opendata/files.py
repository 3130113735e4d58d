"""Each council's OCDS file for each financial year, built ahead of time and served as it is.

Writing a year of releases takes seconds of database work; a public download should not, so
the file is built by a background job (nightly, and when the demo is loaded) and the download
hands out the bytes. A year is built again only when its data changed since (its last
release date is kept beside the file), so a second run changes nothing the first got right.
The file is written beside its final name and moved into place, so a download never reads
half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from caremarket.organisations.models import Organisation
from caremarket.periods.calendar import financial_year_bounds

from . import publishing


def year_window(start_year: int, council_id: int | None = None) -> publishing.Window:
    return publishing.Window(*financial_year_bounds(start_year), council_id)


def year_file(start_year: int, council_id: int) -> Path:
    """Where the council's file for the year is kept: a folder for each council."""
    return (Path(settings.OPEN_DATA_DIR) / f"council-{council_id}"
            / f"micro-tenders-{start_year}-{(start_year + 1) % 100:02d}.json")


def year_uri(start_year: int, council_id: int) -> str:
    return (publishing.council_settings(council_id).site_url
            + reverse("open-data-ocds", kwargs={"council": council_id, "start_year": start_year}))


def _stamp(path: Path) -> Path:
    return path.with_suffix(".built")


def _data_as_of(start_year: int, council_id: int) -> str:
    last = publishing.last_release_date(year_window(start_year, council_id))
    return last.isoformat() if last else "no releases"


def is_current(start_year: int, council_id: int) -> bool:
    path = year_file(start_year, council_id)
    return (path.exists() and _stamp(path).exists()
            and _stamp(path).read_text() == _data_as_of(start_year, council_id))


def build_year(start_year: int, council_id: int, *, progress=None) -> bool:
    """Write the council's file for the year if its data changed since it was last written;
    True if written."""
    if is_current(start_year, council_id):
        return False
    path = year_file(start_year, council_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    as_of = _data_as_of(start_year, council_id)
    partial, held = path.with_suffix(".partial"), {"releases": 0}
    with partial.open("w", encoding="utf-8") as out:
        for piece in publishing.release_package(year_window(start_year, council_id),
                                                uri=year_uri(start_year, council_id), progress=progress, held=held):
            out.write(piece)
    os.replace(partial, path)
    _held(path).write_text(json.dumps(held))
    _stamp(path).write_text(as_of)
    return True


def _held(path: Path) -> Path:
    return path.with_suffix(".held")


def held_back(start_year: int, council_id: int) -> int | None:
    """How many of the year's releases its file holds back (k-anonymity), once it is built."""
    path = _held(year_file(start_year, council_id))
    return json.loads(path.read_text())["releases"] if path.exists() else None


def build_all(*, progress=None) -> list[tuple[int, int]]:
    """Every council's every year with micro-tenders that needs it built; those written, as
    (council, year)."""
    return [(council_id, year)
            for council_id in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True)
            for year in publishing.years_published(council_id) if build_year(year, council_id, progress=progress)]
