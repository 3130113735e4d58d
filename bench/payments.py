"""Benchmark: a period's call-monitoring visits, then the whole payment run; prints one JSON line.

Builds the demo market (scale 1 is Birmingham; the scale is raised with the visits so that
each home-support package has a realistic few visits a day), whose last finished period is
already paid. Four weeks on, it sends every home-support provider's visits for the next
period as its own CSV file through the real path (read, checked row by row, matched,
priced, stored on the invoice, queries raised), submits the invoices, and drafts that
period's payment run for every package (reconciled against the run already posted).

    python -m bench.payments --visits 500000
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

VISITS_PER_SCALE = 500_000


def write_visit_files(packages, visits: int, period, folder: Path, seed: int = 5) -> dict[int, Path]:
    """One CSV per provider in ``folder``, ``visits`` rows in all, about 1 in 20 differing from the plan."""
    from caremarket.core import clock

    r = random.Random(seed)
    per_package, extra = divmod(visits, len(packages))
    by_provider = defaultdict(list)
    for n, package in enumerate(packages):
        by_provider[package.organisation_id].append((package, per_package + (1 if n < extra else 0)))
    days = (period.end_date - period.start_date).days + 1
    files = {}
    for organisation_id, planned in by_provider.items():
        rows = ["visit_id,package,planned_start,planned_end,actual_start,actual_end,carers\n"]
        for package, count in planned:
            for i in range(count):
                day = period.start_date + dt.timedelta(days=i % days)
                start = dt.datetime.combine(day, dt.time(7 + (i // days) % 14, 0), tzinfo=clock.LONDON)
                end = start + dt.timedelta(minutes=r.choice((30, 45, 60)))
                roll = r.random()
                if roll < 0.02:
                    actual = ("", "")  # missed
                elif roll < 0.05:
                    actual = (f"{start:%Y-%m-%d %H:%M}", f"{start + (end - start) / 2:%Y-%m-%d %H:%M}")  # short
                else:
                    actual = (f"{start + dt.timedelta(minutes=2):%Y-%m-%d %H:%M}", f"{end:%Y-%m-%d %H:%M}")
                rows.append(f"{package.pk}-{i},{package.reference},{start:%Y-%m-%d %H:%M},{end:%Y-%m-%d %H:%M},"
                            f"{actual[0]},{actual[1]},{package.carers_per_visit}\n")
        files[organisation_id] = folder / f"visits-{organisation_id}.csv"
        files[organisation_id].write_text("".join(rows))
    return files


def run_workers(count: int) -> float:
    """``count`` background workers, each working until the queue is empty; the seconds until the last stops."""
    started = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
                                 "--no-reload", "--verbosity", "0"], cwd=Path(__file__).resolve().parent.parent)
               for _ in range(count)]
    for worker in workers:
        assert worker.wait() == 0
    return time.perf_counter() - started


BARE_PRICE = """
    INSERT INTO bare_visits SELECT visit_id, package, {start}, {end}, CAST(carers AS integer),
           (({end_minutes} - {start_minutes}) * 2000 * CAST(carers AS integer) + 30) / 60
    FROM bare_rows"""


def bare_engine_seconds(files) -> float:
    """The reference: the database engine alone taking in the same files and pricing each visit
    (one rate, planned time, no checks): COPY (PostgreSQL) or executemany of csv.reader's rows
    (SQLite) into a table of text, then one INSERT ... SELECT. Python's csv module and the
    engine, nothing of Caremarket's."""
    import csv

    from django.db import connection

    cells = "visit_id text, package text, planned_start text, planned_end text, actual_start text, " \
            "actual_end text, carers text"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            raw.execute(f"CREATE TEMP TABLE bare_rows ({cells})")
            raw.execute("CREATE TEMP TABLE bare_visits (visit_id text, package text, planned_start timestamptz, "
                        "planned_end timestamptz, carers integer, amount_pence bigint)")
            for path in files.values():
                with raw.copy("COPY bare_rows FROM STDIN (FORMAT csv, HEADER true)") as copy:
                    copy.write(path.read_bytes())
            minutes = "EXTRACT(EPOCH FROM CAST({} AS timestamp)) / 60"
            raw.execute(BARE_PRICE.format(
                start="CAST(planned_start AS timestamp) AT TIME ZONE 'Europe/London'",
                end="CAST(planned_end AS timestamp) AT TIME ZONE 'Europe/London'",
                start_minutes=minutes.format("planned_start"), end_minutes=minutes.format("planned_end")))
        else:
            raw.execute(f"CREATE TEMP TABLE bare_rows ({cells})")
            raw.execute("CREATE TEMP TABLE bare_visits (visit_id text, package text, planned_start text, "
                        "planned_end text, carers integer, amount_pence integer)")
            for path in files.values():
                with path.open(newline="") as f:
                    reader = csv.reader(f)
                    next(reader)
                    raw.executemany("INSERT INTO bare_rows VALUES (?, ?, ?, ?, ?, ?, ?)", reader)
            minutes = "CAST(strftime('%s', {}) AS INTEGER) / 60"
            raw.execute(BARE_PRICE.format(start="datetime(planned_start, 'utc')", end="datetime(planned_end, 'utc')",
                                          start_minutes=minutes.format("planned_start"),
                                          end_minutes=minutes.format("planned_end")))
        raw.execute("DROP TABLE bare_rows")
        raw.execute("DROP TABLE bare_visits")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=VISITS_PER_SCALE)
    parser.add_argument("--workers", type=int, default=0,
                        help="background workers (db_worker processes) to share the files; 0: in this process")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.accounts.models import User
    from caremarket.core import clock
    from caremarket.demo.market import DemoMarket
    from caremarket.organisations.models import Organisation
    from caremarket.packages.models import CarePackage
    from caremarket.payments import ingest, runs
    from caremarket.payments.models import Invoice, PaymentQuery, Visit, VisitUpload
    from caremarket.payments.tasks import check_visit_file
    from caremarket.periods.models import PaymentPeriod

    call_command("migrate", verbosity=0)
    scale = max(1, round(args.visits / VISITS_PER_SCALE))
    DemoMarket(scale=scale).build()  # its last finished period is already paid
    clock.set_time(clock.now() + dt.timedelta(days=28))  # four weeks on, the next period has ended
    period = PaymentPeriod.objects.filter(end_date__lt=clock.today()).order_by("-end_date").first()
    packages = list(CarePackage.objects.filter(requirement__service_type__setting="home", hourly_rate_pence__gt=0,
                                               start_on__lte=period.start_date, end_on__isnull=True)
                    .only("pk", "reference", "organisation_id", "carers_per_visit").order_by("pk"))
    files = write_visit_files(packages, args.visits, period, Path(tempfile.mkdtemp()))
    finance = User.objects.get(username__startswith="finance@")
    providers = {o.pk: o for o in Organisation.objects.filter(pk__in=files)}
    sent_by = {pk: o.people.first() or finance for pk, o in providers.items()}  # few demo providers have staff

    started = time.perf_counter()
    if args.workers:
        run_workers(args.workers)  # whatever the demo build left queued (its emails)
        worker_start_seconds = run_workers(args.workers)  # an empty queue: what starting the workers costs
        started = time.perf_counter()
        for organisation_id, path in files.items():
            upload = ingest.queue_visit_file(providers[organisation_id], period, path.read_bytes(),
                                             sent_by[organisation_id], keep_valid_rows=False, file_name="visits.csv")
            check_visit_file.enqueue(upload.pk)
        run_workers(args.workers)
        assert set(VisitUpload.objects.values_list("status", flat=True)) == {"stored"}
    else:
        worker_start_seconds = 0
        for organisation_id, path in files.items():
            upload = ingest.store_visit_file(providers[organisation_id], period, path.read_bytes(),
                                             sent_by[organisation_id], keep_valid_rows=False, file_name="visits.csv")
            assert upload.status == "stored", upload.errors[:3]
    for invoice in Invoice.objects.filter(period=period):
        ingest.submit_invoice(invoice, sent_by[invoice.organisation_id])
    ingest_seconds = time.perf_counter() - started
    peak_after_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    bare_seconds = bare_engine_seconds(files)

    started = time.perf_counter()
    run = runs.run_period(period, finance)
    run_seconds = time.perf_counter() - started
    totals = runs.totals(run)
    json.dump({"visits": Visit.objects.count(), "providers": len(providers), "packages": len(packages),
               "queries": PaymentQuery.objects.count(), "scale": scale, "ingest_seconds": ingest_seconds,
               "ingest_peak_mib": peak_after_ingest, "bare_seconds": bare_seconds,
               "workers": args.workers, "worker_start_seconds": worker_start_seconds, "run_seconds": run_seconds,
               "run_lines": totals.lines,
               "run_packages": CarePackage.objects.filter(start_on__lte=period.end_date).count(),
               "run_pence": totals.amount_pence}, sys.stdout)


if __name__ == "__main__":
    main()
