"""Run every benchmark and print a table: figure, value, unit, machine.

    make bench                      # SQLite, and PostgreSQL too when DATABASE_URL is set
    python -m bench --only demo     # one benchmark

Each measurement runs in a fresh process against an empty database of its own.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    return f"{platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})"


def fresh_postgres(url: str, name: str) -> str:
    """An empty database called ``name`` on the server of ``url``; returns its URL."""
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                            password=config["PASSWORD"], dbname="postgres", autocommit=True)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{user}@{config['HOST']}:{config['PORT'] or 5432}/{name}"


def databases():
    """(label, environment) for each database to measure on."""
    yield "SQLite", lambda tmp: {"CAREMARKET_SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "DATABASE_URL": ""}
    if os.environ.get("DATABASE_URL"):
        yield "PostgreSQL", lambda tmp: {"DATABASE_URL": fresh_postgres(os.environ["DATABASE_URL"], "caremarket_bench")}


def on_each_database(module: str, args: list[str]):
    """(label, result) of a benchmark module run on each database, an empty one each time."""
    for label, environment in databases():
        with tempfile.TemporaryDirectory() as tmp:
            yield label, run(module, args, {**environment(tmp), "DJANGO_DEBUG": "0"})


def run(module: str, args: list[str], env: dict) -> dict:
    environment = {**os.environ, **env}
    if not environment.get("DATABASE_URL"):
        environment.pop("DATABASE_URL", None)
    output = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=environment, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def demo_market_rows():
    """The demo (two councils) at each scale; at scale 1, beside Birmingham alone in the same run."""
    for label, environment in databases():
        for scale in (1, 10):
            with tempfile.TemporaryDirectory() as tmp:
                result = run("bench.demo_market", ["--scale", str(scale)], environment(tmp))
            what = f"Demo market, two councils, scale {scale} ({result['citizens']:,} citizens), {label}"
            yield f"{what}: build", f"{result['seconds']:.1f}", "s"
            yield f"{what}: peak memory", f"{result['peak_mib']:.0f}", "MiB"
            if scale == 1:
                with tempfile.TemporaryDirectory() as tmp:
                    one = run("bench.demo_market", ["--scale", "1", "--councils", "1"], environment(tmp))
                yield f"{what}: one council alone, same run", f"{one['seconds']:.1f}", "s"
                yield f"{what}: two councils ÷ one", f"{result['seconds'] / one['seconds']:.2f}", "x"


def cqc_import_rows(rows: int = 300_000):
    for label, result in on_each_database("bench.cqc_import", ["--rows", str(rows)]):
        what = f"CQC locations file, {rows:,} rows ({result['file_mb']:.0f} MB), {label}"
        yield f"{what}: first import", f"{rows / result['first_seconds']:,.0f}", "rows/s"
        yield f"{what}: csv.reader alone, same run", f"{rows / result['csv_reader_seconds']:,.0f}", "rows/s"
        if "sqlite3_import_seconds" in result:
            yield (f"{what}: sqlite3 .import --csv, same run", f"{rows / result['sqlite3_import_seconds']:,.0f}",
                   "rows/s")
            yield (f"{what}: first import, × slower than sqlite3 .import",
                   f"{result['first_seconds'] / result['sqlite3_import_seconds']:.1f}", "x")
        yield f"{what}: same file again", f"{rows / result['second_seconds']:,.0f}", "rows/s"
        yield f"{what}: peak memory", f"{result['peak_mib']:.0f}", "MiB"


def tendering_rows():
    """Pure rules: no database, so measured once."""
    with tempfile.TemporaryDirectory() as tmp:
        result = run("bench.tendering", [], {"CAREMARKET_SQLITE_PATH": str(Path(tmp) / "unused.sqlite3"),
                                             "DATABASE_URL": ""})
    for rule, ms in result["ranking_ms"].items():
        yield f"Rank a tender of 200 offers ({rule.replace('_', ' ')})", f"{ms:.2f}", "ms"
    h = result["hand_back"]
    what = f"Hand-back of 2,000 packages ({float(h['hours']):,.0f} hours) across 100 providers ({float(h['capacity']):,.0f} spare hours)"
    yield f"{what}: batch allocator time", f"{h['seconds']:.2f}", "s"
    for method in ("batch", "greedy"):
        yield (f"{what}: {method} placed / in own area / rating points",
               f"{h[method + '_placed']:,} / {h[method + '_in_area']:,} / {h[method + '_quality_points']:,}", "")


def payments_rows():
    for label, environment in databases():
        for visits, workers in ((500_000, 0), (500_000, 1), (500_000, 2), (5_000_000, 0)):
            if workers and label != "PostgreSQL":
                continue  # workers share a server database; SQLite takes one writer at a time
            with tempfile.TemporaryDirectory() as tmp:
                result = run("bench.payments", ["--visits", str(visits), "--workers", str(workers)],
                             {**environment(tmp), "DJANGO_DEBUG": "0"})
            how = f"{workers} background worker{'s' if workers > 1 else ''}" if workers else "in one process"
            what = (f"Call monitoring, {result['visits']:,} visits from {result['providers']} providers "
                    f"(demo scale {result['scale']}), {label}, {how}")
            yield f"{what}: ingest, match, price, invoice", f"{result['ingest_seconds']:.1f}", "s"
            yield (f"{what}: the bare engine loading and pricing the same files, same run",
                   f"{result['bare_seconds']:.1f}", "s")
            yield f"{what}: × the bare engine", f"{result['ingest_seconds'] / result['bare_seconds']:.1f}", "x"
            if workers:
                yield f"{what}: of which starting the workers (an empty queue)", \
                    f"{result['worker_start_seconds']:.1f}", "s"
            yield f"{what}: peak memory", f"{result['ingest_peak_mib']:.0f}", "MiB"
            if not workers:
                yield (f"Payment run for all {result['run_packages']:,} packages and {result['providers']} invoices "
                       f"({result['run_lines']:,} lines), {label}", f"{result['run_seconds']:.1f}", "s")


def bad_visit_file_rows():
    for label, r in on_each_database("bench.bad_visit_file", []):
        what = f"Visit file of {r['rows']:,} wrong rows ({r['file_mb']:.1f} MB, {r['errors']:,} problems), {label}"
        yield f"{what}: refused through the page", f"{r['upload_seconds']:.2f}", "s"
        yield f"{what}: plain csv read of the same bytes", f"{r['csv_seconds']:.2f}", "s"
        yield f"{what}: ratio to the csv read", f"{r['upload_seconds'] / r['csv_seconds']:.0f}", "x"
        yield f"{what}: problems stored", f"{r['stored_kb']:.0f}", "KB"
        yield f"{what}: its result page", f"{r['page_seconds']:.3f}", "s"
        yield f"{what}: peak memory (demo build included)", f"{r['peak_mib']:.0f}", "MiB"


def list_pages_rows(scale: int = 10):
    for label, result in on_each_database("bench.list_pages", ["--scale", str(scale)]):
        for address, r in result["pages"].items():
            what = f"{address} at demo scale {scale} ({r['rows']:,} rows), {label}"
            yield f"{what}: server time", f"{r['page_ms']:.0f}", "ms"
            yield f"{what}: ratio to its two queries alone", f"{r['page_ms'] / r['engine_ms']:.1f}", "x"


def audit_writers_rows(writers: int = 16, each: int = 40):
    """Concurrent audited writes need a server database: PostgreSQL only."""
    if not os.environ.get("DATABASE_URL"):
        return
    url = fresh_postgres(os.environ["DATABASE_URL"], "caremarket_bench_audit")
    r = run("bench.audit_writers", ["--writers", str(writers), "--each", str(each)],
            {"DATABASE_URL": url, "DJANGO_DEBUG": "0"})
    writes = writers * each
    yield f"{writes} audited writes from {writers} connections at once, PostgreSQL", \
        f"{writes / r['unlocked_s']:.0f}", "/s"
    yield "the same with every writer locking the chain's head (as before), same run", \
        f"{writes / r['locked_s']:.0f}", "/s"
    yield "speed-up over the locked chain", f"{r['locked_s'] / r['unlocked_s']:.1f}", "x"
    yield f"sealing {r['sealed']} events into the chain", f"{r['sealed'] / r['seal_s']:.0f}", "/s"


def offer_load_rows(seconds: float = 8):
    for label, r in on_each_database("bench.offer_load", ["--seconds", str(seconds)]):
        for name, what in (("offer_put", "offer PUT"), ("opportunities_get", "opportunities GET")):
            for clients, figures in r[name].items():
                where = f"{what}, {clients} client{'s' if clients != '1' else ''}, {r['workers']} workers, {label}"
                yield f"{where}: requests a second", f"{figures['per_second']:.0f}", "/s"
                yield f"{where}: p50 / p95 / p99", (f"{figures['p50_ms']:.0f}/{figures['p95_ms']:.0f}/"
                                                    f"{figures['p99_ms']:.0f}"), "ms"


def carer_kpis_rows(carers: int = 100_000):
    for label, r in on_each_database("bench.carer_kpis", ["--carers", str(carers)]):
        what = (f"Consortium KPIs, {r['carers']:,} carers and {r['activity']:,} activity records, every KPI for "
                f"{r['members']} members and the consortium over {r['periods']} periods, {label}")
        yield what, f"{r['kpi_seconds']:.1f}", "s"
        yield f"{what}: the bare engine's grouped scans, same run", f"{r['bare_seconds']:.2f}", "s"
        yield f"{what}: × the bare engine", f"{r['kpi_seconds'] / r['bare_seconds']:.1f}", "x"


def provider_timeline_rows(scale: int = 10):
    for label, r in on_each_database("bench.provider_timeline", ["--scale", str(scale)]):
        what = f"Provider record, the busiest provider's year ({r['entries']:,} entries), demo scale {scale}, {label}"
        yield f"{what}: server time", f"{r['page_ms']:.0f}", "ms"
        yield f"{what}: its {r['statements']} statements alone, same run", f"{r['engine_ms']:.0f}", "ms"
        yield f"{what}: × the statements alone", f"{r['page_ms'] / r['engine_ms']:.1f}", "x"


def market_and_open_data_rows(scale: int = 10):
    for label, r in on_each_database("bench.market_and_open_data", ["--scale", str(scale)]):
        what = f"Market dashboard, 8 charts over a year ({r['tenders']:,} tenders), demo scale {scale}, {label}"
        yield f"{what}: server time", f"{r['page_ms']:.0f}", "ms"
        yield f"{what}: its {r['page_statements']} statements alone, same run", f"{r['page_engine_ms']:.0f}", "ms"
        yield f"{what}: × the statements alone", f"{r['page_ms'] / r['page_engine_ms']:.1f}", "x"
        what = (f"OCDS release package of the year, {r['processes']:,} processes and {r['releases']:,} releases "
                f"({r['mb']:.0f} MB), demo scale {scale}, {label}")
        yield f"{what}: written", f"{r['export_seconds']:.1f}", "s"
        yield f"{what}: its {r['export_statements']} statements alone, same run", \
            f"{r['export_engine_seconds']:.1f}", "s"
        yield f"{what}: × the statements alone", f"{r['export_seconds'] / r['export_engine_seconds']:.1f}", "x"


def client_records_rows(people: int = 100_000):
    for label, r in on_each_database("bench.client_records", ["--people", str(people)]):
        what = f"Client record files, {r['people']:,} people and {r['people']:,} assessments (CSV), {label}"
        yield f"{what}: checked and stored, audited", f"{r['first_seconds']:.1f}", "s"
        yield f"{what}: the same files again (nothing changes)", f"{r['again_seconds']:.1f}", "s"
        yield f"{what}: the bare engine loading the same rows, same run", f"{r['bare_seconds']:.1f}", "s"
        yield f"{what}: × the bare engine", f"{r['first_seconds'] / r['bare_seconds']:.0f}", "x"


def event_delivery_rows(events: int = 100_000, workers: int = 2):
    """Workers share a server database: PostgreSQL only."""
    if not os.environ.get("DATABASE_URL"):
        return
    url = fresh_postgres(os.environ["DATABASE_URL"], "caremarket_bench_events")
    r = run("bench.event_delivery", ["--events", str(events), "--workers", str(workers)],
            {"DATABASE_URL": url, "DJANGO_DEBUG": "0"})
    what = f"{r['events']:,} events to a local webhook receiver, {r['workers']} workers, PostgreSQL"
    yield f"{what}: delivered", f"{r['events'] / r['seconds']:,.0f}", "/s"
    yield f"{what}: the same signed POSTs on one connection, no database, same run", \
        f"{r['events'] / r['bare_seconds']:,.0f}", "/s"
    yield f"{what}: × the bare POSTs", f"{r['seconds'] / r['bare_seconds']:.1f}", "x"


def national_return_rows(scale: int = 10):
    for label, r in on_each_database("bench.national_return", ["--scale", str(scale)]):
        what = f"Client Level Data return, {r['quarter']} ({r['rows']:,} rows), demo scale {scale}, {label}"
        yield f"{what}: written", f"{r['seconds']:.1f}", "s"
        yield f"{what}: its {r['statements']} statements alone, same run", f"{r['engine_seconds']:.1f}", "s"
        yield f"{what}: × the statements alone", f"{r['seconds'] / r['engine_seconds']:.1f}", "x"


def subject_access_rows():
    for label, r in on_each_database("bench.subject_access", []):
        what = f"A citizen's subject access export, {r['visits']:,} visits, {label}"
        yield f"{what}: JSON ({r['json_mb']:.1f} MB)", f"{r['json_seconds']:.1f}", "s"
        yield f"{what}: PDF ({r['pdf_mb']:.1f} MB)", f"{r['pdf_seconds']:.1f}", "s"
        yield f"{what}: its {r['statements']} statements alone, same run", f"{r['engine_seconds']:.2f}", "s"
        yield f"{what}: JSON × the statements alone", f"{r['json_seconds'] / r['engine_seconds']:.1f}", "x"


def row_level_security_rows():
    names = {"offer_put": "A provider's offer, PUT", "opportunities_get": "A provider's opportunities, GET",
             "finance_packages": "Finance's package list"}
    for label, r in on_each_database("bench.row_level_security", ["--scale", "1"]):
        if "skipped" in r:
            continue  # SQLite has no row-level security
        for name, figures in r["work"].items():
            what = f"{names[name]}, demo scale {r['scale']}, {label}"
            yield f"{what}: with row-level security", f"{figures['with_ms']:.1f}", "ms"
            yield f"{what}: without, same run", f"{figures['without_ms']:.1f}", "ms"
            yield f"{what}: with ÷ without", f"{figures['ratio']:.2f}", "x"


BENCHMARKS = {"demo": demo_market_rows, "cqc": cqc_import_rows, "tendering": tendering_rows,
              "payments": payments_rows, "bad-visits": bad_visit_file_rows, "lists": list_pages_rows,
              "audit": audit_writers_rows, "offers": offer_load_rows, "kpis": carer_kpis_rows,
              "timeline": provider_timeline_rows, "market": market_and_open_data_rows,
              "client-records": client_records_rows, "events": event_delivery_rows,
              "national-return": national_return_rows, "subject-access": subject_access_rows,
              "row-level-security": row_level_security_rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    args = parser.parse_args()
    where = machine()
    print(f"{'figure':<72} {'value':>10} {'unit':<5} machine")
    for name, benchmark in BENCHMARKS.items():
        if args.only and name != args.only:
            continue
        for figure, value, unit in benchmark():
            print(f"{figure:<72} {value:>10} {unit:<5} {where}", flush=True)


if __name__ == "__main__":
    main()
