"""Taking in a provider's call-monitoring visits (a CSV file or an API batch), matching each
to its package, pricing it (payments.visits) and adding it to the period's invoice.

Every row is checked first and every problem reported by row and column. The provider
chooses what happens when some rows are wrong: keep the valid rows, or refuse the whole
file. Either way the visits are stored in one transaction, so nothing is half-stored.

The CSV layout (UTF-8, a header row, one row per visit; times in UK local time as
``YYYY-MM-DD HH:MM``; actual times blank for a visit that did not happen):

    visit_id,package,planned_start,planned_end,actual_start,actual_end,carers
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from caremarket.audit.trail import record
from caremarket.core import cleaning, clock
from caremarket.core.bulk import insert_rows, rows_where_in
from caremarket.core.money import format_gbp
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.periods.models import PaymentPeriod

from . import visits as rules
from .models import Invoice, PaymentQuery, Visit, VisitRule, VisitUpload

COLUMNS = ("visit_id", "package", "planned_start", "planned_end", "actual_start", "actual_end", "carers")
MOST_CARERS = 4
VISIT_COLUMNS = ("organisation_id", "invoice_id", "upload_id", "package_id", "visit_id", "planned_start",
                 "planned_end", "actual_start", "actual_end", "carers", "paid_minutes", "carers_paid",
                 "amount_pence", "query")


@dataclass(frozen=True)
class RowError:
    row: int  # the file's line number (the header is line 1)
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def too_many(rows: int) -> RowError:
    most = settings.VISIT_FILE_MAX_ROWS
    return RowError(1, "", f"There are {rows:,} visits: at most {most:,} are taken at once, so send them in "
                           "smaller files (a week at a time, say)")


def read_csv(data: bytes) -> tuple[list[dict], list[RowError]]:
    """The rows of a visit file, or the reason the whole file cannot be read (not text, the
    wrong columns, more rows than settings.VISIT_FILE_MAX_ROWS)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "", "The file is not UTF-8 text: save it as CSV (UTF-8)")]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, c, f"The column '{c}' is missing; the header must be {','.join(COLUMNS)}")
                    for c in missing]
    reader.fieldnames = header
    rows = list(itertools.islice(reader, settings.VISIT_FILE_MAX_ROWS + 1))
    if len(rows) > settings.VISIT_FILE_MAX_ROWS:
        return [], [too_many(text.count("\n"))]  # about the file's rows, without reading them all
    return rows, []


# A period's file repeats the same times thousands of times over; each is parsed once.
@functools.lru_cache(maxsize=65_536)
def _when(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.strip().replace("T", " "))
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.LONDON)


def _parse_times(row: dict, number: int, errors: list) -> dict | None:
    times = {}
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        value = (row.get(column) or "").strip()
        if not value:
            if column.startswith("planned"):
                errors.append(RowError(number, column, "Enter the planned time"))
            times[column] = None
            continue
        try:
            times[column] = _when(value)
        except ValueError:
            errors.append(RowError(number, column, f"'{value}' is not a date and time like 2026-10-14 08:30"))
    if len(times) < 4 or times["planned_start"] is None or times["planned_end"] is None:
        return None
    if times["planned_end"] <= times["planned_start"]:
        errors.append(RowError(number, "planned_end", "The planned end must be after the planned start"))
        return None
    # A check-in with no check-out (or the reverse) is a missed visit: stored, and queried.
    if times["actual_start"] and times["actual_end"] and times["actual_end"] <= times["actual_start"]:
        errors.append(RowError(number, "actual_end", "The check-out must be after the check-in"))
        return None
    return times


def _package_problem(package: CarePackage | None, reference: str) -> str:
    if package is None:
        return f"'{reference}' is not one of your care packages"
    if package.requirement.service_type.setting != "home":
        return f"{reference} is not home support: it is paid without invoices"
    if not package.hourly_rate_pence:
        return f"{reference} has no hourly rate; ask the council to set it"
    return ""


@functools.lru_cache(maxsize=65_536)
def _local_day(moment: dt.datetime) -> dt.date:
    return clock.local(moment).date()


def check_rows(rows: list[dict], organisation, period: PaymentPeriod,
               first_row: int = 2) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The valid rows (with their numbers and parsed values) and the errors, row by row. A file's
    rows are numbered by line (the header is line 1); an API batch's from 1."""
    # A provider has at most thousands of packages: read them all rather than look up each reference.
    packages = {p.reference: p for p in CarePackage.objects.filter(organisation=organisation)
                .select_related("requirement__service_type")}
    problems = {reference: _package_problem(packages.get(reference), reference)
                for reference in {(row.get("package") or "").strip() for row in rows}}
    ids = [(r.get("visit_id") or "").strip() for r in rows]
    readable = [visit_id for visit_id in ids if cleaning.problem(visit_id) is None]  # never sent to the database
    seen_ids = {visit_id for (visit_id,) in rows_where_in(Visit, ("visit_id",), "visit_id", readable,
                                                          organisation_id=organisation.pk)}
    in_file: dict[str, int] = {}
    valid, errors = [], []
    for number, (row, visit_id) in enumerate(zip(rows, ids), start=first_row):
        before = len(errors)
        # Before anything of the row is repeated in a message or a query. One search a row on
        # this hot path; the columns are searched one by one only when it finds something.
        if cleaning.problem("".join(row.get(column) or "" for column in COLUMNS)):
            for column in COLUMNS:
                why = cleaning.problem((row.get(column) or "").strip())
                if why:
                    errors.append(RowError(number, column, f"The {column.replace('_', ' ')} {why}"))
            if len(errors) > before:
                continue
        if not visit_id:
            errors.append(RowError(number, "visit_id", "Enter the visit's identifier"))
        elif visit_id in in_file:
            errors.append(RowError(number, "visit_id", f"Visit {visit_id} is also on row {in_file[visit_id]}"))
        elif visit_id in seen_ids:
            errors.append(RowError(number, "visit_id", f"Visit {visit_id} was already recorded in an earlier upload"))
        else:
            in_file[visit_id] = number
        reference = (row.get("package") or "").strip()
        package = packages.get(reference)
        if problems[reference]:
            errors.append(RowError(number, "package", problems[reference]))
            package = None  # nothing about another provider's package is said
        times = _parse_times(row, number, errors)
        day = _local_day(times["planned_start"]) if times else None
        if day and not period.start_date <= day <= period.end_date:
            errors.append(RowError(number, "planned_start", f"The visit is not in {period} "
                                   f"({period.start_date:%d %B} to {period.end_date:%d %B %Y})"))
        elif day and package and day < package.start_on:
            errors.append(RowError(number, "planned_start", f"{reference} started on {package.start_on:%d %B %Y}"))
        carers = (row.get("carers") or "").strip()
        if not carers.isdigit() or not 1 <= int(carers) <= MOST_CARERS:
            errors.append(RowError(number, "carers", f"Carers must be a whole number from 1 to {MOST_CARERS}"))
        if len(errors) == before:
            valid.append((number, {"visit_id": visit_id, "package": package, "carers": int(carers), **times}))
    return valid, errors


def _rules_by_service() -> dict[int, rules.Rule]:
    return {r.service_type_id: rules.Rule(r.pay_on, r.tolerance_minutes, r.rounding_minutes, r.rounding,
                                          r.minimum_minutes) for r in VisitRule.objects.all()}


def invoice_for(organisation, period: PaymentPeriod) -> Invoice:
    invoice, _ = Invoice.objects.get_or_create(
        organisation=organisation, period=period,
        defaults={"reference": f"INV-{organisation.pk:06d}-{period.financial_year.start_year}-P{period.number:02d}"})
    return invoice


def _hourly_rates(packages: dict[int, CarePackage]) -> dict[int, list[tuple[dt.date, int]]]:
    """Each package's hourly rate from each day: as awarded, then as approved changes set it (1 April's uplift)."""
    rates = {pk: [(p.start_on, p.hourly_rate_pence)] for pk, p in packages.items()}
    for package_id, day, hourly in (PackageChange.objects.filter(
            package_id__in=list(packages), kind=PackageChange.Kind.PRICE, status=PackageChange.Status.APPROVED,
            hourly_rate_pence__isnull=False).order_by("effective_from", "pk")
            .values_list("package_id", "effective_from", "hourly_rate_pence")):
        rates[package_id].append((day, hourly))
    return rates


def _rate_on(rates: list[tuple[dt.date, int]], day: dt.date) -> int:
    rate = rates[0][1]
    for start, hourly in rates:
        if start <= day:
            rate = hourly
    return rate


def hourly_rate_on(package: CarePackage, day: dt.date) -> int:
    return _rate_on(_hourly_rates({package.pk: package})[package.pk], day)


def store_visits(organisation, period: PaymentPeriod, rows: list[dict], actor, *, keep_valid_rows: bool,
                 file_name: str = "", source: str = "file", file_errors: list[RowError] = ()) -> VisitUpload:
    """Check, price and store a batch of visits. Returns the upload with its row-by-row errors."""
    first_row = 2 if source == "file" else 1
    if len(rows) > settings.VISIT_FILE_MAX_ROWS:
        file_errors = [too_many(len(rows))]
    valid, errors = check_rows(rows, organisation, period, first_row) if not file_errors else ([], list(file_errors))
    upload = VisitUpload(organisation=organisation, period=period, source=source,
                         file_name=cleaning.without_controls(file_name)[:200],
                         keep_valid_rows=keep_valid_rows, rows=len(rows), uploaded_by=actor, uploaded_at=clock.now())
    invoice = Invoice.objects.filter(organisation=organisation, period=period).first()
    if invoice and invoice.status != Invoice.Status.DRAFT:
        errors.insert(0, RowError(1, "", f"The {period} invoice {invoice.reference} was already submitted; "
                                         "visits cannot be added to it"))
        valid = []
    refuse = bool(errors) and (not keep_valid_rows or file_errors or not valid)
    # The first problems are kept, and how many there were: enough to mend a file, never a
    # copy of a file's worth of errors.
    upload.errors = [e.as_dict() for e in errors[:settings.ROW_ERRORS_KEPT]]
    upload.error_count = len(errors)
    with transaction.atomic():
        if refuse:
            upload.status = VisitUpload.Status.REFUSED
            upload.save()
            record(actor, "visits.refused", upload, after={"rows": len(rows), "errors": len(errors)})
            return upload
        upload.status, upload.stored = VisitUpload.Status.STORED, len(valid)
        upload.save()
        invoice = invoice_for(organisation, period)
        by_service, default = _rules_by_service(), rules.Rule()
        packages = {v["package"].pk: v["package"] for _, v in valid}
        rule_for = {pk: by_service.get(p.requirement.service_type_id, default) for pk, p in packages.items()}
        rates = _hourly_rates(packages)
        keys = (organisation.pk, invoice.pk, upload.pk)
        stored, total, as_text = [], 0, connection.vendor == "sqlite"
        for _, v in valid:
            package = v["package"]
            priced = rules.price_visit(
                rules.Visit(v["planned_start"], v["planned_end"], v["actual_start"], v["actual_end"], v["carers"]),
                rule_for[package.pk], _rate_on(rates[package.pk], _local_day(v["planned_start"])),
                package.carers_per_visit)
            total += priced.amount_pence
            stored.append((*keys, package.pk, v["visit_id"], _as_stored(v["planned_start"], as_text),
                           _as_stored(v["planned_end"], as_text), _as_stored(v["actual_start"], as_text),
                           _as_stored(v["actual_end"], as_text), v["carers"], priced.paid_minutes,
                           priced.carers_paid, priced.amount_pence, priced.query))
        insert_rows(Visit, VISIT_COLUMNS, stored)  # no model object each: a period brings 100,000s
        queried = sum(1 for row in stored if row[-1])
        with connection.cursor() as cursor:  # a query for each visit that differs from its plan, in one statement
            cursor.execute(f"INSERT INTO {PaymentQuery._meta.db_table} (visit_id, status, answer, resolution) "
                           f"SELECT id, %s, '', '' FROM {Visit._meta.db_table} WHERE upload_id = %s AND query <> ''",
                           [PaymentQuery.Status.OPEN, upload.pk])
        record(actor, "visits.stored", upload, after={
            "invoice": invoice.reference, "rows": len(rows), "stored": len(stored), "errors": len(errors),
            "queries": queried, "priced": format_gbp(total)})
    return upload


@functools.lru_cache(maxsize=65_536)
def _as_stored(moment: dt.datetime | None, as_text: bool):
    """A moment as Django itself stores it: naive UTC text on SQLite, an aware UTC datetime elsewhere."""
    if moment is None:
        return None
    utc = moment.astimezone(dt.timezone.utc)
    return utc.replace(tzinfo=None).isoformat(" ") if as_text else utc


def submit_invoice(invoice: Invoice, actor) -> Invoice:
    """The provider sends the invoice: the council has 28 days from now to pay it."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != Invoice.Status.DRAFT:
            return invoice
        if not invoice.visits.exists():
            raise ValidationError("Upload the period's visits before submitting the invoice")
        invoice.status, invoice.received_at, invoice.submitted_by = Invoice.Status.RECEIVED, clock.now(), actor
        invoice.due_on = rules.payment_due_on(clock.local(invoice.received_at).date())
        invoice.save()
        record(actor, "invoice.submitted", invoice, after={"due_on": invoice.due_on.isoformat()})
    return invoice
