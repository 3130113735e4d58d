"""Taking in a provider's call-monitoring visits (a CSV file or an API batch), matching each
to its package, pricing it (payments.visits) and adding it to the period's invoice.

Every row is checked and every problem reported by row and column. The provider chooses what
happens when some rows are wrong: keep the valid rows, or refuse the whole file. Either way
the visits are stored in one transaction, so nothing is half-stored.

The work is done inside the database (payments.visit_sql): the rows are copied as they are
into a temporary table (COPY on PostgreSQL), checked and priced there in a few statements,
and only the rows the database flags come back to Python, which says what is wrong with each
(row_problems, the rule's definition). A period's file of 100,000s of visits takes seconds.

The CSV layout (UTF-8, a header row, one row per visit; times in UK local time as
``YYYY-MM-DD HH:MM``; actual times blank for a visit that did not happen):

    visit_id,package,planned_start,planned_end,actual_start,actual_end,carers
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from caremarket.audit.trail import record
from caremarket.core import cleaning, clock
from caremarket.core.bulk import insert_into
from caremarket.core.money import format_gbp
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.periods.models import PaymentPeriod

from . import visit_sql
from . import visits as rules
from .models import Invoice, PaymentQuery, Visit, VisitRule, VisitUpload, WaitingVisitFile

COLUMNS = visit_sql.STAGING_COLUMNS
MOST_CARERS = visit_sql.MOST_CARERS
LONGEST_VISIT = dt.timedelta(minutes=visit_sql.DAY_MINUTES)
MOMENT = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
VISIT_ID_LENGTH = visit_sql.VISIT_ID_LENGTH
HEADER = ",".join(COLUMNS)


@dataclass(frozen=True)
class RowError:
    row: int  # the file's row number (the header is row 1)
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def too_many(rows: int) -> RowError:
    most = settings.VISIT_FILE_MAX_ROWS
    return RowError(1, "", f"There are {rows:,} visits: at most {most:,} are taken at once, so send them in "
                           "smaller files (a week at a time, say)")


# --- The rule for a row: what it must be, said in words -------------------------------------

@dataclass(frozen=True)
class RowContext:
    """What a row is checked against: the provider's packages by reference, and the period."""
    packages: dict[str, CarePackage]
    period: PaymentPeriod


def cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip(" ")


def package_problem(package: CarePackage | None, reference: str) -> str:
    if package is None:
        return f"'{reference}' is not one of your care packages"
    if package.requirement.service_type.setting != "home":
        return f"{reference} is not home support: it is paid without invoices"
    if not package.hourly_rate_pence:
        return f"{reference} has no hourly rate; ask the council to set it"
    return ""


def read_moment(value: str) -> dt.datetime | None:
    """A UK wall-clock time written YYYY-MM-DD HH:MM (or with a T), naive; None if it is not one."""
    value = value.replace("T", " ")
    if not MOMENT.fullmatch(value):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def row_problems(number: int, row: dict, context: RowContext, *, seen: bool = False,
                 first: int | None = None) -> list[RowError]:
    """Everything wrong with one row, column by column: ``seen`` if its visit was recorded
    before, ``first`` the row its visit id first appears on. The database's check
    (payments.visit_sql) flags exactly the rows this finds something wrong with."""
    errors = []
    for column in COLUMNS:
        why = cleaning.problem(row.get(column) or "")
        if why:
            errors.append(RowError(number, column, f"The {column.replace('_', ' ')} {why}"))
    if errors:  # nothing else of such a row is repeated in a message
        return errors
    visit_id, first = cell(row, "visit_id"), first or number
    if not visit_id:
        errors.append(RowError(number, "visit_id", "Enter the visit's identifier"))
    elif len(visit_id) > VISIT_ID_LENGTH:
        errors.append(RowError(number, "visit_id", f"The visit id must be {VISIT_ID_LENGTH} characters or fewer"))
    elif seen:
        errors.append(RowError(number, "visit_id", f"Visit {visit_id} was already recorded in an earlier upload"))
    elif first != number:
        errors.append(RowError(number, "visit_id", f"Visit {visit_id} is also on row {first}"))
    reference = cell(row, "package")
    package = context.packages.get(reference)
    problem = package_problem(package, reference)
    if problem:
        errors.append(RowError(number, "package", problem))
        package = None  # nothing about another provider's package is said
    times = {}
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        value = cell(row, column)
        times[column] = read_moment(value) if value else None
        if not value and column.startswith("planned"):
            errors.append(RowError(number, column, "Enter the planned time"))
        elif value and times[column] is None:
            errors.append(RowError(number, column, f"'{value}' is not a date and time like 2026-10-14 08:30"))
    start, end = times["planned_start"], times["planned_end"]
    checked_in, checked_out = times["actual_start"], times["actual_end"]
    if start and end and end <= start:
        errors.append(RowError(number, "planned_end", "The planned end must be after the planned start"))
    elif start and end and end - start > LONGEST_VISIT:
        errors.append(RowError(number, "planned_end", "The planned end must be within 24 hours of the planned start"))
    for column, moment in (("actual_start", checked_in), ("actual_end", checked_out)):
        if start and moment and abs(moment - start) > LONGEST_VISIT:
            errors.append(RowError(number, column, "The check-in and check-out must be within 24 hours of the "
                                                   "planned start"))
    # A check-in with no check-out (or the reverse) is a missed visit: stored, and queried.
    if checked_in and checked_out and checked_out <= checked_in:
        errors.append(RowError(number, "actual_end", "The check-out must be after the check-in"))
    period = context.period
    if start and not period.start_date <= start.date() <= period.end_date:
        errors.append(RowError(number, "planned_start", f"The visit is not in {period} "
                               f"({period.start_date:%d %B} to {period.end_date:%d %B %Y})"))
    elif start and package and start.date() < package.start_on:
        errors.append(RowError(number, "planned_start", f"{reference} started on {package.start_on:%d %B %Y}"))
    if cell(row, "carers") not in {str(n) for n in range(1, MOST_CARERS + 1)}:
        errors.append(RowError(number, "carers", f"Carers must be a whole number from 1 to {MOST_CARERS}"))
    return errors


# --- Rates and rules -----------------------------------------------------------------------

def _hourly_rates(packages: dict[int, CarePackage]) -> dict[int, list[tuple[dt.date, int, int]]]:
    """Each package's hourly rate from each day (with the change that set it): as awarded, then as
    approved price changes set it (1 April's uplift), in the order they take effect."""
    rates = {pk: [(p.start_on, 0, p.hourly_rate_pence)] for pk, p in packages.items()}
    for package_id, day, pk, hourly in (PackageChange.objects.filter(
            package_id__in=list(packages), kind=PackageChange.Kind.PRICE, status=PackageChange.Status.APPROVED,
            hourly_rate_pence__isnull=False).order_by("effective_from", "pk")
            .values_list("package_id", "effective_from", "pk", "hourly_rate_pence")):
        rates[package_id].append((day, pk, hourly))
    return rates


def hourly_rate_on(package: CarePackage, day: dt.date) -> int:
    rates = _hourly_rates({package.pk: package})[package.pk]
    rate = rates[0][2]
    for start, _, hourly in rates:
        if start <= day:
            rate = hourly
    return rate


def rule_for(service_type_id: int, rules_by_service: dict[int, VisitRule]) -> rules.Rule:
    r = rules_by_service.get(service_type_id)
    return rules.Rule(r.pay_on, r.tolerance_minutes, r.rounding_minutes, r.rounding, r.minimum_minutes) if r \
        else rules.Rule()


# --- Into the database ---------------------------------------------------------------------

def _execute_all(cursor, statements):
    for statement in statements:
        cursor.execute(statement, [])


def _prepare(cursor, packages: dict[str, CarePackage]) -> None:
    """The temporary tables, and the provider's packages, rules and rates beside them."""
    dialect = visit_sql.Dialect(connection.vendor)
    _execute_all(cursor, dialect.staging_table() + dialect.side_tables())
    payable = {p.pk: p for p in packages.values() if not package_problem(p, p.reference)}
    by_service = {r.service_type_id: r for r in VisitRule.objects.all()}
    facts = []
    for p in payable.values():
        rule = rule_for(p.requirement.service_type_id, by_service)
        facts.append((p.reference, p.pk, visit_sql.wall_minutes(p.start_on), p.hourly_rate_pence, p.carers_per_visit,
                      rule.pay_on, rule.tolerance_minutes, rule.rounding_minutes, rule.rounding, rule.minimum_minutes))
    insert_into("visit_packages", ("reference", "package_id", "start_minutes", "hourly", "planned_carers",
                                   "pay_on", "tolerance", "unit", "rounding", "minimum"), facts)
    changes = [(pk, visit_sql.wall_minutes(day), seq, hourly)
               for pk, rates in _hourly_rates(payable).items() for day, seq, hourly in rates[1:]]
    insert_into("visit_rates", ("package_id", "from_minutes", "seq", "hourly"), changes)


def _without_nul(value):
    # PostgreSQL cannot hold a null character; another control character keeps the row flagged.
    return value.replace("\x00", "\x01") if isinstance(value, str) and "\x00" in value else value


def _stage_rows(rows: list[list]) -> int:
    """Rows of cells in COLUMNS order into the staging table."""
    if connection.vendor == "postgresql":
        insert_into("visit_rows", ("n", *COLUMNS),
                    ((n, *map(_without_nul, cells)) for n, cells in enumerate(rows, start=1)))
    else:  # with the rule for control characters applied here (see visit_sql.Dialect.staging_table)
        insert_into("visit_rows", ("n", *COLUMNS, "control"),
                    ((n, *cells, cleaning.problem("".join(c for c in cells if isinstance(c, str))) is not None)
                     for n, cells in enumerate(rows, start=1)))
    return len(rows)


def _stage_file(cursor, data: bytes) -> tuple[int, None]:
    """Copy a file with the standard header straight into the staging table (PostgreSQL's COPY
    reads the CSV itself). Returns the rows staged, and None for the rows: they are in the database."""
    with transaction.atomic():  # a savepoint: a file COPY cannot read is read by Python instead
        with cursor.cursor.copy(f"COPY visit_rows ({HEADER}) FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        return cursor.cursor.rowcount, None


def read_file(data: bytes) -> tuple[list[list], list[RowError]]:
    """The rows of a visit file as cells in COLUMNS order (None where a row is short), or why
    the whole file cannot be read (not text, the wrong columns, more rows than
    settings.VISIT_FILE_MAX_ROWS)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "", "The file is not UTF-8 text: save it as CSV (UTF-8)")]
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            return [], [RowError(1, c, f"The column '{c}' is missing; the header must be {HEADER}")
                        for c in missing]
        where = [len(header) - 1 - header[::-1].index(c) for c in COLUMNS]  # the last of a repeated name
        rows = []
        for row in reader:
            if not row:
                continue  # a blank line is not a row
            if len(rows) == settings.VISIT_FILE_MAX_ROWS:
                return [], [too_many(text.rstrip("\n").count("\n"))]  # its lines after the header, unread
            rows.append([row[i] if i < len(row) else None for i in where])
    except csv.Error as error:  # a cell longer than the csv module reads (131,072 characters), a stray NUL
        why = (f"a cell is longer than {csv.field_size_limit():,} characters" if "field larger" in str(error)
               else "it is not CSV that can be read")
        return [], [RowError(reader.line_num, "", f"Line {reader.line_num} cannot be read: {why}. Nothing in the "
                                                  "file was stored")]
    return rows, []


def _copy_as_it_is(data: bytes) -> bytes | None:
    """The file's bytes if PostgreSQL's COPY can take them as they are: UTF-8 with the standard
    header and no end-of-data marker (which COPY would stop at without a word)."""
    if connection.vendor != "postgresql" or b"\\." in data:
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data.split(b"\n", 1)[0].rstrip(b"\r") != HEADER.encode():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return data


def store_visit_file(organisation, period: PaymentPeriod, data: bytes, actor, *, keep_valid_rows: bool,
                     file_name: str = "") -> VisitUpload:
    """A provider's call-monitoring file checked, priced and stored (or refused): the upload."""
    return _store_file(_new_upload(organisation, period, actor, keep_valid_rows, file_name, "file"), data)


def checked_in_the_background(data: bytes) -> bool:
    """A file of more rows than settings.VISIT_FILE_ROWS_CHECKED_AT_ONCE waits for a background
    worker; a smaller one is checked while the person waits."""
    return data.count(b"\n") > settings.VISIT_FILE_ROWS_CHECKED_AT_ONCE


def queue_visit_file(organisation, period: PaymentPeriod, data: bytes, actor, *, keep_valid_rows: bool,
                     file_name: str = "") -> VisitUpload:
    """A file kept, waiting to be checked by the background worker (payments.tasks.check_visit_file),
    which the caller asks for once this transaction commits."""
    upload = _new_upload(organisation, period, actor, keep_valid_rows, file_name, "file")
    upload.status = VisitUpload.Status.WAITING
    with transaction.atomic():
        upload.save()
        WaitingVisitFile.objects.create(upload=upload, data=data)
        record(actor, "visits.sent", upload, after={"file": upload.file_name, "bytes": len(data)})
    return upload


def check_waiting_file(upload_id: int) -> VisitUpload:
    """Check, price and store a waiting file. Safe to run again: an upload already checked is
    left as it is."""
    try:
        with transaction.atomic():
            # Only the upload's row: locking its period too would make every worker wait for the others.
            upload = VisitUpload.objects.select_for_update(of=("self",)).select_related(
                "organisation", "period__financial_year", "uploaded_by").get(pk=upload_id)
            if upload.status != VisitUpload.Status.WAITING:
                return upload
            waiting = WaitingVisitFile.objects.get(upload=upload)
            upload = _store_file(upload, bytes(waiting.data))
            waiting.delete()
        return upload
    except Exception:  # nothing of it was stored: the page says so rather than wait for ever
        VisitUpload.objects.filter(pk=upload_id, status=VisitUpload.Status.WAITING).update(
            status=VisitUpload.Status.FAILED)
        WaitingVisitFile.objects.filter(upload_id=upload_id).delete()
        raise


def _new_upload(organisation, period, actor, keep_valid_rows, file_name, source) -> VisitUpload:
    return VisitUpload(organisation=organisation, period=period, source=source,
                       file_name=cleaning.without_controls(file_name)[:200], keep_valid_rows=keep_valid_rows,
                       uploaded_by=actor, uploaded_at=clock.now())


def _store_file(upload: VisitUpload, data: bytes) -> VisitUpload:
    raw = _copy_as_it_is(data)
    if raw is not None:
        return _store(upload, raw=raw)
    rows, file_errors = read_file(data)
    return _store(upload, rows=rows, file_errors=file_errors)


def store_visits(organisation, period: PaymentPeriod, rows: list[dict], actor, *, keep_valid_rows: bool,
                 file_name: str = "", source: str = "file", file_errors: list[RowError] = ()) -> VisitUpload:
    """Check, price and store a batch of visits (each a dict of COLUMNS). Returns the upload with
    its row-by-row errors."""
    if len(rows) > settings.VISIT_FILE_MAX_ROWS:
        file_errors, rows = [too_many(len(rows))], []
    return _store(_new_upload(organisation, period, actor, keep_valid_rows, file_name, source),
                  rows=[[row.get(c) for c in COLUMNS] for row in rows], file_errors=list(file_errors))


def _store(upload: VisitUpload, *, raw: bytes | None = None, rows: list[list] | None = None,
           file_errors: list[RowError] = ()) -> VisitUpload:
    organisation, period, actor = upload.organisation, upload.period, upload.uploaded_by
    first_row = 2 if upload.source == "file" else 1
    errors, staged = list(file_errors), 0  # file_errors: the whole file cannot be taken
    with transaction.atomic(), connection.cursor() as cursor:
        # One upload at a time for a provider: two at once could each record the same visit.
        list(Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).values_list("pk"))
        invoice = Invoice.objects.filter(organisation=organisation, period=period).first()
        if invoice and invoice.status != Invoice.Status.DRAFT:
            file_errors = errors = [RowError(1, "", f"The {period} invoice {invoice.reference} was already "
                                                    "submitted; visits cannot be added to it"), *file_errors]
        elif not errors:
            packages = {p.reference: p for p in CarePackage.objects.filter(organisation=organisation,
                                                                        council=period.council_id)
                        .select_related("requirement__service_type")}
            _prepare(cursor, packages)
            if raw is not None:
                try:
                    staged, rows = _stage_file(cursor, raw)
                except Exception:  # PostgreSQL's CSV reader refused it; Python's says row by row what is wrong
                    rows, file_errors = read_file(raw)
                    staged = 0 if file_errors else _stage_rows(rows)
            else:
                staged = _stage_rows(rows)
            if staged > settings.VISIT_FILE_MAX_ROWS:
                file_errors = [too_many(staged)]
            errors = file_errors or _flagged(cursor, organisation, period, packages, rows, first_row)
        upload.rows = staged or len(rows or [])
        valid = 0 if file_errors else staged - len({e.row for e in errors})
        refuse = bool(errors) and (not upload.keep_valid_rows or not valid)
        # The first problems are kept, and how many there were: enough to mend a file, never a
        # copy of a file's worth of errors.
        upload.errors = [e.as_dict() for e in errors[:settings.ROW_ERRORS_KEPT]]
        upload.error_count = len(errors)
        if refuse:
            upload.status = VisitUpload.Status.REFUSED
            upload.save()
            _execute_all(cursor, visit_sql.Dialect(connection.vendor).drop_tables())
            record(actor, "visits.refused", upload, after={"rows": upload.rows, "errors": len(errors)})
            return upload
        upload.status, upload.stored = VisitUpload.Status.STORED, valid
        upload.save()
        invoice = invoice_for(organisation, period)
        years = range(period.start_date.year - 1, period.end_date.year + 2)
        cursor.execute(visit_sql.insert_visits(connection.vendor, years),
                       [invoice.council_id, organisation.pk, invoice.pk, upload.pk])
        _execute_all(cursor, visit_sql.Dialect(connection.vendor).drop_tables())
        # A query for each visit that differs from its plan, in one statement.
        cursor.execute(f"INSERT INTO {PaymentQuery._meta.db_table} (council_id, visit_id, status, answer, resolution) "
                       f"SELECT council_id, id, %s, '', '' FROM {Visit._meta.db_table} "
                       "WHERE upload_id = %s AND query <> ''", [PaymentQuery.Status.OPEN, upload.pk])
        queried = cursor.rowcount
        cursor.execute(f"SELECT coalesce(sum(amount_pence), 0) FROM {Visit._meta.db_table} WHERE upload_id = %s",
                       [upload.pk])
        total = cursor.fetchone()[0]
        record(actor, "visits.stored", upload, after={
            "invoice": invoice.reference, "rows": upload.rows, "stored": valid, "errors": len(errors),
            "queries": queried, "priced": format_gbp(total)})
    return upload


def _period_minutes(period: PaymentPeriod) -> tuple[int, int]:
    return visit_sql.wall_minutes(period.start_date), visit_sql.wall_minutes(period.end_date + dt.timedelta(days=1))


def _flagged(cursor, organisation, period, packages, rows, first_row) -> list[RowError]:
    """What is wrong with each row the database flagged, in words, row by row."""
    cursor.execute(visit_sql.check_rows(connection.vendor), [*_period_minutes(period), organisation.pk])
    cursor.execute(visit_sql.flagged_rows(), [])
    context, errors = RowContext(packages, period), []
    for n, *cells, first_n, seen in cursor.fetchall():
        row = dict(zip(COLUMNS, rows[n - 1] if rows is not None else cells))
        number = n + first_row - 1
        errors.extend(row_problems(number, row, context, seen=bool(seen), first=first_n + first_row - 1)
                      or [RowError(number, "", "This row could not be read; check every column")])
    return errors


def invoice_for(organisation, period: PaymentPeriod) -> Invoice:
    invoice, _ = Invoice.objects.get_or_create(
        organisation=organisation, period=period,
        defaults={"reference": f"INV-{organisation.pk:06d}-{period.financial_year.start_year}-P{period.number:02d}"})
    return invoice


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
