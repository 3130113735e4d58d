"""Benchmark: the client record system's nightly files, 100,000 people and 100,000 assessments,
taken by the command a council runs; prints one JSON line.

The files are CSV as the interface describes them (docs/integration.md). The figure is reading,
checking and storing both, audited, from an empty service; then the same files again, which
change nothing. Beside it, in the same run, the reference: the bare engine loading the very same
rows into plain tables of the same columns (PostgreSQL's COPY; SQLite's executemany).

    python -m bench.client_records --people 100000
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PEOPLE_COLUMNS = ["person_id", "given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode",
                  "ward", "social_worker", "date_of_death"]
ASSESSMENT_COLUMNS = ["assessment_id", "person_id", "assessed_on", "service_type", "need_groups", "eligible_needs",
                      "outcomes", "weekly_hours", "weekly_budget", "status"]


def write_files(folder: Path, count: int, wards: list[str], services: list[str], groups: list[str]):
    from caremarket.citizens.client_records import nhs_number_problem

    r = random.Random(28)
    people, assessments = folder / "people.csv", folder / "assessments.csv"
    with open(people, "w", newline="") as p, open(assessments, "w", newline="") as a:
        people_out, assessments_out = csv.writer(p), csv.writer(a)
        people_out.writerow(PEOPLE_COLUMNS)
        assessments_out.writerow(ASSESSMENT_COLUMNS)
        for i in range(count):
            # Most with an NHS number (a tenth of nine-digit stems have no valid check digit: none).
            nhs = next((n for n in (f"999{i:06d}{d}" for d in range(10)) if nhs_number_problem(n) is None), "")
            born = dt.date(1930, 1, 1) + dt.timedelta(days=r.randrange(25_000))
            people_out.writerow([f"P{i:07d}", "Given", f"Family{i}", born.isoformat(), nhs,
                                 f"{i} Example Street, Birmingham", "B23 6SD", r.choice(wards), "", ""])
            service = r.choice(services)
            assessments_out.writerow([f"A{i:07d}", f"P{i:07d}", "2026-11-02", service, r.choice(groups),
                                      "Help to wash and dress each morning", "To stay living at home",
                                      "10.5" if service == "home-support" else "", "", "awaiting_service"])
    return people, assessments


def bare_load(people: Path, assessments: Path) -> float:
    """The same rows into plain tables of the same columns, as the engine loads them fastest."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path, columns in ((people, PEOPLE_COLUMNS), (assessments, ASSESSMENT_COLUMNS)):
            table = f"bench_bare_{path.stem}"
            cursor.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in columns)})")
            if connection.vendor == "postgresql":
                with open(path, "rb") as stream, cursor.copy(
                        f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                    while block := stream.read(1 << 20):
                        copy.write(block)
            else:
                with open(path, newline="") as stream:
                    rows = csv.reader(stream)
                    next(rows)
                    cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.citizens.models import Assessment, Citizen
    from caremarket.geography.models import Ward
    from caremarket.reference.models import NeedGroup, ServiceType

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        people, assessments = write_files(
            Path(folder), args.people, list(Ward.objects.values_list("ons_code", flat=True)),
            list(ServiceType.objects.values_list("code", flat=True)), list(NeedGroup.objects.values_list("code",
                                                                                                          flat=True)))
        quiet = open(os.devnull, "w")
        started = time.perf_counter()
        call_command("receive_client_records", people=str(people), assessments=str(assessments), stdout=quiet)
        first = time.perf_counter() - started
        assert Citizen.objects.count() == Assessment.objects.count() == args.people
        started = time.perf_counter()
        call_command("receive_client_records", people=str(people), assessments=str(assessments), stdout=quiet)
        again = time.perf_counter() - started
        bare = bare_load(people, assessments)
    json.dump({"people": args.people, "first_seconds": first, "again_seconds": again, "bare_seconds": bare},
              sys.stdout)


if __name__ == "__main__":
    main()
