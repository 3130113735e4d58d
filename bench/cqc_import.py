"""Benchmark: import a generated CQC active-locations file into an empty database, then again
(nothing changes the second time). Prints one JSON line.

Beside it, in the same run, the references: reading the file with ``csv.reader`` alone, and
(where the ``sqlite3`` command is installed) the engine's own ``.import --csv`` of the same file
into a fresh table."""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.cqc.importer import import_file
    from caremarket.cqc.samples import write_locations_csv

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "HSCA_Active_Locations.csv"
        write_locations_csv(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        references = _references(path, Path(tmp))
        started = time.perf_counter()
        first = import_file(path)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = import_file(path)
        second_seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert first.created == args.rows and second.unchanged == args.rows, (first, second)
    json.dump({"rows": args.rows, "file_mb": size_mb, "first_seconds": first_seconds,
               "second_seconds": second_seconds, "peak_mib": peak_mib, **references}, sys.stdout)


def _references(path: Path, tmp: Path) -> dict:
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8-sig") as stream:
        for _ in csv.reader(stream):
            pass
    found = {"csv_reader_seconds": time.perf_counter() - started}
    if shutil.which("sqlite3"):
        started = time.perf_counter()
        subprocess.run(["sqlite3", str(tmp / "reference.sqlite3"), f".import --csv {path} locations"], check=True)
        found["sqlite3_import_seconds"] = time.perf_counter() - started
    return found


if __name__ == "__main__":
    main()
