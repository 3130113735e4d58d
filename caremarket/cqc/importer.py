"""Importing the CQC's data into the register copy, then into the council's services.

    report = import_file(path, actor=user, progress=print)

- The whole file is one transaction: it imports completely or not at all, so a run that
  fails midway can simply be run again.
- A row that cannot be read is reported with its row number; the other rows still import.
- Rows are compared with what is stored and only real changes are written, so importing
  the same file again changes nothing.
- Memory stays bounded: rows stream from the file and are written in batches.
- Then the services the council knows (organisations.CareLocation) are brought up to date:
  registration, the CQC rating as published and, for a real rating, a CQC inspection record
  that the rating engine uses (quality.services).
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from caremarket.audit.trail import record, snapshot
from caremarket.core import clock
from caremarket.core.bulk import insert_rows, rows_where_in
from caremarket.organisations.models import CareLocation
from caremarket.quality.models import Inspection
from caremarket.quality.ratings import CQC_RATINGS, Source

from .models import CqcImport, RegisteredLocation
from .parsing import (
    RECORD_FIELDS,
    ROW_READERS,
    FileRefused,
    LocationRecord,
    RowError,
    csv_rows,
    from_api,
    ods_rows,
    records,
    row_digest,
)

BATCH = 5000
ERRORS_KEPT = 1000
PROGRESS_EVERY = 50_000


@dataclass
class Report:
    kind: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    services_updated: int = 0
    imported_ids: set[str] = field(default_factory=set)
    history: dict[str, list] = field(default_factory=dict)  # API rating history by location
    first_load: bool = False  # into an empty register: nothing to compare with

    def error(self, row: int, message: str):
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append((row, message))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _api_records(path: Path, report: Report):
    """(record number, LocationRecord) for each readable CQC API record."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # Cut short: the text ends before the value does, or in a string that is never closed.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            ends = text.rstrip().count("\n") + 1
            raise FileRefused(f"The JSON file is incomplete: it ends at line {ends} before its last record "
                              "is finished (was the download cut short?)") from None
        raise FileRefused(f"The file is not valid JSON: {error.msg.removesuffix(' at')} at line {error.lineno}, "
                          f"column {error.colno}") from None
    items = data.get("locations", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FileRefused("The JSON file holds no CQC location records (a record, a list of them, or "
                          "{\"locations\": [...]})")
    report.kind = "api"
    for number, item in enumerate(items, start=1):
        report.rows_read += 1
        try:
            location, history = from_api(item)
        except (RowError, AttributeError, TypeError) as error:
            # AttributeError, TypeError: not in the API's shape (a list where an object belongs, say)
            why = error if isinstance(error, RowError) else \
                f"the record is not in the shape of a CQC API location record ({error})"
            named = item.get("locationId") if isinstance(item, dict) else None
            report.error(number, f"Location {named}: {why}" if isinstance(named, str) and named else str(why))
            continue
        report.history[location.location_id] = history
        yield number, location


def _file_records(path: Path, report: Report):
    suffix = path.suffix.lower()
    if suffix == ".ods":
        yield from _changed_records(*records(ods_rows(path)), report)
    elif suffix == ".csv":
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as stream:
            yield from _changed_records(*records(csv_rows(stream)), report)
    else:
        raise FileRefused(f"'{path.name}' is not a CSV, ODS or JSON file")


def _changed_records(kind, header, warnings, rows, report: Report):
    """(row number, LocationRecord) for each readable row that changed since it was last
    imported; for an unchanged row (same fingerprint), (row number, its location ID), unread."""
    report.kind, report.warnings = kind, warnings
    reader = ROW_READERS[kind](header)
    id_at = header.index("Location ID")
    # A ratings file has several rows a location; into an empty register nothing is unchanged.
    fingerprints = kind != "ratings" and not report.first_load

    def read(pending):
        location_id = lambda cells: cells[id_at].strip() if id_at < len(cells) else ""
        stored = _stored_digests([location_id(cells) for _, cells, _ in pending]) if fingerprints else {}
        for number, cells, digest in pending:
            if fingerprints and stored.get(location_id(cells)) == digest:
                yield number, location_id(cells)
                continue
            try:
                location = reader(cells)
            except RowError as error:
                report.error(number, str(error))
                continue
            if location is None:
                report.skipped += 1
                continue
            yield number, location._replace(row_digest=digest)

    pending: list[tuple[int, list[str], str]] = []
    digests = kind != "ratings"
    for number, cells in rows:
        report.rows_read += 1
        pending.append((number, cells, row_digest(cells) if digests else ""))
        if len(pending) >= BATCH:
            yield from read(pending)
            pending = []
    yield from read(pending)


def _stored_digests(ids: list[str]) -> dict[str, str]:
    return dict(rows_where_in(RegisteredLocation, ("location_id", "row_digest"), "location_id", ids))


def _merge(existing: LocationRecord, incoming: LocationRecord, kind: str) -> LocationRecord:
    """A ratings file knows a location's rating, not its registration details."""
    if kind != "ratings":
        return incoming
    return existing._replace(rating=incoming.rating, rating_published_on=incoming.rating_published_on,
                             provider_id=incoming.provider_id or existing.provider_id)


def _write_batch(batch: list[LocationRecord], report: Report):
    """Insert what is new, update what changed, count what did not. Raw SQL on this path: the
    ORM's per-value conversions cost more than the rest of the import together. Into an empty
    register everything is new, and nothing is looked up."""
    if report.first_load:
        _insert(batch)
        report.created += len(batch)
        return
    stored = {row[1]: row for row in rows_where_in(RegisteredLocation, ("id", *RECORD_FIELDS), "location_id",
                                                   [r.location_id for r in batch])}
    new, changed, refingerprinted = [], [], []
    for incoming in batch:
        row = stored.get(incoming.location_id)
        if row is None:
            new.append(incoming)
            continue
        if report.kind == "ratings":
            incoming = _merge(LocationRecord(*row[1:]), incoming, report.kind)
        if incoming[:-1] == tuple(row[1:-1]):  # both databases give back dates and booleans
            report.unchanged += 1
            if incoming.row_digest != row[-1]:  # a column we do not keep changed (a telephone number)
                refingerprinted.append(RegisteredLocation(pk=row[0], row_digest=incoming.row_digest))
        else:
            changed.append(RegisteredLocation(pk=row[0], **incoming._asdict()))
    _insert(new)
    RegisteredLocation.objects.bulk_update(changed, RECORD_FIELDS[1:], batch_size=BATCH)
    RegisteredLocation.objects.bulk_update(refingerprinted, ["row_digest"], batch_size=BATCH)
    report.created += len(new)
    report.updated += len(changed)


def _insert(new: list[LocationRecord]) -> None:
    """Insert new register entries fast (Django's SQLite adapters store dates as ISO text)."""
    insert_rows(RegisteredLocation, RECORD_FIELDS, new)


def load_register(path: Path, report: Report, progress=lambda message: None):
    # Hundreds of thousands of short-lived rows make the cyclic garbage collector run again
    # and again over everything alive; nothing here makes cycles, so pause it.
    gc.disable()
    try:
        _load_register(path, report, progress)
    finally:
        gc.enable()


def _load_register(path: Path, report: Report, progress):
    report.first_load = not RegisteredLocation.objects.exists()
    seen: dict[str, int] = {}
    batch: dict[str, LocationRecord] = {}  # by location: a ratings file may name one several times
    records_ = _api_records(path, report) if path.suffix.lower() == ".json" else _file_records(path, report)
    warned = False
    for number, location in records_:
        if not warned:  # said before the first row is stored
            for warning in report.warnings:
                progress(f"Warning: {warning}")
            warned = True
        location_id = location if isinstance(location, str) else location.location_id
        first = seen.get(location_id)
        if first is not None and report.kind != "ratings":
            report.error(number, f"Location ID {location_id} appears again (first on row {first})")
            continue
        seen.setdefault(location_id, number)
        if isinstance(location, str):
            report.unchanged += 1  # recognised by its fingerprint
            continue
        batch[location_id] = location
        if len(batch) >= BATCH:
            _write_batch(list(batch.values()), report)
            batch = {}
        if report.rows_read % PROGRESS_EVERY == 0:
            progress(f"{report.rows_read:,} rows read")
    if batch:
        _write_batch(list(batch.values()), report)
    report.imported_ids = set(seen)
    if connection.vendor == "postgresql" and report.created > 10_000:
        # Fresh statistics, so the next import's look-ups use the index rather than a scan.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(RegisteredLocation._meta.db_table)}")


def update_services(report: Report, actor) -> list[CareLocation]:
    """Bring the council's services up to date with the register; returns those that changed."""
    changed = []
    # The council's services are few; the file's locations many: look up from the services' side.
    ours = [s for s in CareLocation.objects.exclude(cqc_location_id="") if s.cqc_location_id in report.imported_ids]
    for start in range(0, len(ours), BATCH):
        chunk = ours[start:start + BATCH]
        register = {r.location_id: r for r in RegisteredLocation.objects.filter(
            location_id__in=[s.cqc_location_id for s in chunk])}
        for service in chunk:
            entry = register[service.cqc_location_id]
            before = snapshot(service)
            service.registration = (CareLocation.Registration.REGISTERED if entry.registered
                                    else CareLocation.Registration.DEREGISTERED)
            service.cqc_rating = entry.rating
            service.cqc_rating_published_on = entry.rating_published_on
            if entry.beds is not None:
                service.beds = entry.beds
            new_inspections = _cqc_inspections(service, entry, report.history.get(entry.location_id, []))
            if snapshot(service) != before or new_inspections:
                service.save()
                record(actor, "service.cqc_data_imported", service, before=before,
                       reason=f"CQC data: rating {entry.rating or 'none'}"
                              + (f" published {entry.rating_published_on:%d %B %Y}" if entry.rating_published_on else "")
                              + ("" if entry.registered else f", deregistered {entry.deregistered_on or ''}"))
                changed.append(service)
    report.services_updated = len(changed)
    return changed


def refresh_services(report: Report, actor) -> list[CareLocation]:
    """Update the council's services from the register, and work out again the ratings of those
    whose CQC data changed."""
    from caremarket.quality.services import rerate_everywhere

    changed = update_services(report, actor)
    for service in changed:
        rerate_everywhere(service, actor, reason="new CQC data")
    return changed


def _cqc_inspections(service: CareLocation, entry: RegisteredLocation, history) -> int:
    """Record the CQC's ratings as full inspections; returns how many were new."""
    found = list(history)
    if entry.rating.lower() in CQC_RATINGS and entry.rating_published_on:
        found.append((entry.rating, entry.rating_published_on))
    known = set(Inspection.objects.filter(location=service, source=Source.CQC).values_list("outcome", "inspected_on"))
    new = [Inspection(location=service, source=Source.CQC, kind=Inspection.Kind.FULL, outcome=outcome,
                      inspected_on=on, reference=f"CQC {entry.location_id}")
           for outcome, on in {(o, d) for o, d in found if d} - known]
    Inspection.objects.bulk_create(new)
    return len(new)


class NothingStored(Exception):
    """Every row was refused, or the file had none: the run failed, whatever it read."""


def import_file(path, *, actor=None, progress=lambda message: None) -> CqcImport:
    """Import one CQC file. Returns the stored record of the run: finished; refused (the file
    cannot be read, nothing imported); or failed (no row could be stored, or an error)."""
    path = Path(path)
    started_by = actor if getattr(actor, "pk", None) else None
    try:
        sha256 = _sha256(path)
    except OSError as error:
        return CqcImport.objects.create(
            file_name=path.name, file_kind="", sha256="", started_at=clock.now(), finished_at=clock.now(),
            started_by=started_by, status=CqcImport.Status.REFUSED,
            message=f"Cannot read {path}: {error.strerror or error}")
    run = CqcImport.objects.create(file_name=path.name, file_kind="", sha256=sha256, started_at=clock.now(),
                                   started_by=started_by)
    report = Report()
    label = actor or "cqc import"
    try:
        with transaction.atomic():
            load_register(path, report, progress)
            if report.created + report.updated + report.unchanged == 0:
                raise NothingStored(f"No row could be stored: {report.rows_read:,} read, "
                                    f"{report.error_count:,} refused")
            progress(f"{report.rows_read:,} rows read; updating the council's services")
            refresh_services(report, label)
    except NothingStored as error:
        run.status, run.message = CqcImport.Status.FAILED, str(error)
    except (FileRefused, UnicodeDecodeError) as error:
        run.status, run.message = CqcImport.Status.REFUSED, str(error)
    except Exception as error:
        run.status, run.message = CqcImport.Status.FAILED, f"{type(error).__name__}: {error}"
        _finish(run, report)
        raise
    else:
        run.status = CqcImport.Status.FINISHED
    _finish(run, report)
    return run


def _finish(run: CqcImport, report: Report):
    run.file_kind = report.kind
    run.finished_at = clock.now()
    for name in ("rows_read", "created", "updated", "unchanged", "skipped", "error_count", "services_updated"):
        setattr(run, name, getattr(report, name))
    run.errors = [{"row": row, "message": message} for row, message in report.errors]
    run.warnings = report.warnings
    if run.status != CqcImport.Status.FINISHED:
        run.created = run.updated = run.services_updated = 0  # rolled back
    run.save()
