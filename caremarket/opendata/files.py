"""Each financial year's OCDS file, built ahead of time and served as it is.

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

from caremarket.periods.calendar import financial_year_bounds

from . import publishing


def year_window(start_year: int) -> publishing.Window:
    return publishing.Window(*financial_year_bounds(start_year))


def year_file(start_year: int) -> Path:
    return Path(settings.OPEN_DATA_DIR) / f"micro-tenders-{start_year}-{(start_year + 1) % 100:02d}.json"


def _stamp(path: Path) -> Path:
    return path.with_suffix(".built")


def _data_as_of(start_year: int) -> str:
    last = publishing.last_release_date(year_window(start_year))
    return last.isoformat() if last else "no releases"


def is_current(start_year: int) -> bool:
    path = year_file(start_year)
    return path.exists() and _stamp(path).exists() and _stamp(path).read_text() == _data_as_of(start_year)


def build_year(start_year: int, *, progress=None) -> bool:
    """Write the year's file if its data changed since it was last written; True if written."""
    if is_current(start_year):
        return False
    path = year_file(start_year)
    path.parent.mkdir(parents=True, exist_ok=True)
    as_of = _data_as_of(start_year)
    uri = settings.SITE_URL.rstrip("/") + reverse("open-data-ocds", args=[start_year])
    partial, held = path.with_suffix(".partial"), {"releases": 0}
    with partial.open("w", encoding="utf-8") as out:
        for piece in publishing.release_package(year_window(start_year), uri=uri, progress=progress, held=held):
            out.write(piece)
    os.replace(partial, path)
    _held(path).write_text(json.dumps(held))
    _stamp(path).write_text(as_of)
    return True


def _held(path: Path) -> Path:
    return path.with_suffix(".held")


def held_back(start_year: int) -> int | None:
    """How many of the year's releases its file holds back (k-anonymity), once it is built."""
    path = _held(year_file(start_year))
    return json.loads(path.read_text())["releases"] if path.exists() else None


def build_all(*, progress=None) -> list[int]:
    """Every year with micro-tenders that needs it built; the years written."""
    return [year for year in publishing.years_published() if build_year(year, progress=progress)]
