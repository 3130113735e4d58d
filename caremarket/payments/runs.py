"""The four-weekly payment run.

A run for a period works out, for every bed-based and supported-living package, what the
period's days owe (payments.scheduled), and adds what each received invoice is owed. It is
a draft until finance posts it: running it again recomputes the draft, and nothing a posted
run paid is ever paid again. Changes found after a run was posted (a death reported late,
a backdated price) are reconciled against what was paid and become arrears, recovery or
adjustment lines in the next run.

The lines are worked out in memory first (progress is stored as it goes), then written in
one transaction: a failure midway stores nothing, and the run says it failed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce

from caremarket.audit.trail import record
from caremarket.events import outbox as events
from caremarket.core import clock, tenancy
from caremarket.core.money import format_gbp
from caremarket.packages import funding
from caremarket.packages.models import CarePackage, PackageChange, PackageFunding
from caremarket.periods.models import PaymentPeriod

from . import payment_file, posting, scheduled, terms, visits
from .models import Invoice, PaymentDue, PaymentLine, PaymentQuery, PaymentRun, Visit

SCHEDULED_SETTINGS = ("bed_based", "supported_living")
PROGRESS_EVERY = 2000
STALE_AFTER = dt.timedelta(hours=1)


class RunRefused(Exception):
    """The run cannot start: posted already, or running now."""


@dataclass(frozen=True)
class Totals:
    lines: int
    providers: int
    amount_pence: int


def run_label(period: PaymentPeriod) -> str:
    return f"{period.financial_year}-P{period.number:02d}"


@dataclass(frozen=True)
class PeriodStanding:
    says: str
    overdue: bool = False
    paid_outside: bool = False


def go_live(council: int) -> dt.date | None:
    """The start of the council's first period whose run was posted here: periods before it were
    paid by whatever the council used before."""
    return (PaymentRun.objects.filter(council=council, status=PaymentRun.Status.POSTED).order_by("period__start_date")
            .values_list("period__start_date", flat=True).first())


def period_standing(period: PaymentPeriod, run, go_live: dt.date | None, today: dt.date) -> PeriodStanding:
    """Where a period's payment stands, in words. A period before the first run posted here
    (``go_live``) was paid outside Caremarket, by the council's system of the time."""
    if run is not None and run.status == run.Status.POSTED:
        return PeriodStanding(f"Paid on {period.payment_date:%-d %B %Y}")
    if period.payment_date < today and (go_live is None or period.start_date < go_live):
        return PeriodStanding("Paid outside Caremarket", paid_outside=True)
    if period.payment_date < today:
        return PeriodStanding(f"Not paid: its payment date, {period.payment_date:%-d %B %Y}, has passed", overdue=True)
    return PeriodStanding(f"Due to be paid on {period.payment_date:%-d %B %Y}")


def start_run(period: PaymentPeriod, actor) -> PaymentRun:
    """Mark the period's run as running (refused when posted or already running)."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().filter(period=period).first()
        now = clock.now()
        if run is None:
            return PaymentRun.objects.create(period=period, started_by=actor, started_at=now)
        if run.status == PaymentRun.Status.POSTED:
            raise RunRefused(f"The {run_label(period)} run was posted on {clock.local(run.posted_at):%d %B %Y}; "
                             "later changes are paid in the next period's run")
        if _posted(period).filter(period__start_date__gt=period.start_date).exists():
            raise RunRefused("A later period's run is posted; changes for this period are paid in the next run")
        if run.status == PaymentRun.Status.RUNNING and now - run.started_at < STALE_AFTER:
            raise RunRefused(f"The {run_label(period)} run is already running")
        run.status, run.started_by, run.started_at = PaymentRun.Status.RUNNING, actor, now
        run.progress_done = run.progress_total = 0
        run.failure, run.finished_at = "", None
        run.save()
        return run


def _progress(run: PaymentRun, done: int, total: int, report=None):
    PaymentRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)
    if report:
        report(done, total)


def _posted(period: PaymentPeriod):
    """The posted runs of the period's council: each council pays its own packages."""
    return PaymentRun.objects.filter(council=period.council_id, status=PaymentRun.Status.POSTED)


def _posted_before(period: PaymentPeriod):
    return _posted(period).filter(period__start_date__lt=period.start_date)


def paid_by_day(lines) -> dict[int, dict[dt.date, int]]:
    """For each package, the weekly price each day was last paid at, from posted lines in order."""
    paid: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for line in lines:
        days = paid[line.package_id]
        day = line.first_day
        while day <= line.last_day:
            if line.kind == PaymentLine.Kind.RECOVERY:
                days.pop(day, None)
            else:
                days[day] = line.weekly_pence
            day += scheduled.ONE_DAY
    return paid


def _to_reconcile(period: PaymentPeriod, last_posted_at, go_live: dt.date) -> set[int]:
    """Packages whose earlier days may now be owed or over-paid: changed, awarded late or ended."""
    if last_posted_at is None:
        return set()
    council = period.council_id
    changed = PackageChange.objects.filter(council=council, status=PackageChange.Status.APPROVED,
                                           decided_at__gt=last_posted_at, effective_from__lt=period.start_date) \
        .values_list("package_id", flat=True)
    late = CarePackage.objects.filter(council=council, awarded_at__gt=last_posted_at, start_on__lt=period.start_date) \
        .values_list("pk", flat=True)
    ended = CarePackage.objects.filter(council=council, end_on__gte=go_live, end_on__lt=period.start_date) \
        .values_list("pk", flat=True)
    return set(changed) | set(late) | set(ended)


def _scheduled_lines(run: PaymentRun, period: PaymentPeriod, report=None) -> list[PaymentLine]:
    earlier = _posted_before(period)
    first_run = earlier.order_by("period__start_date").select_related("period").first()
    go_live = first_run.period.start_date if first_run else period.start_date
    last_posted_at = earlier.order_by("-posted_at").values_list("posted_at", flat=True).first()
    reconcile = _to_reconcile(period, last_posted_at, go_live)
    packages = list(CarePackage.objects.filter(
        council=period.council_id, requirement__service_type__setting__in=SCHEDULED_SETTINGS,
        start_on__lte=period.end_date)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=period.start_date) | Q(pk__in=reconcile))
        .only("pk", "reference", "organisation_id", "start_on", "end_on", "weekly_price_pence", "top_up_pence")
        .order_by("pk"))
    ids = [p.pk for p in packages]
    approved = defaultdict(list)
    for change in PackageChange.objects.filter(status=PackageChange.Status.APPROVED, package_id__in=ids) \
            .order_by("effective_from", "pk").iterator(chunk_size=5000):
        approved[change.package_id].append(change)
    funding_rows = {row.package_id: row for row in PackageFunding.objects.filter(package_id__in=ids)}
    paid = paid_by_day(PaymentLine.objects.filter(run__in=earlier, package_id__in=reconcile)
                       .order_by("run__period__start_date", "pk").iterator(chunk_size=5000))
    lines, total = [], len(packages)
    for done, package in enumerate(packages, 1):
        rule_view = terms.as_scheduled(package, approved[package.pk])
        found = scheduled.period_lines(rule_view, period.start_date, period.end_date)
        if package.pk in reconcile:  # earlier days, against what was paid for them
            found = [replace(line, kind=PaymentLine.Kind.ARREARS) if line.kind == "scheduled" else line
                     for line in scheduled.period_lines(rule_view, max(go_live, package.start_on),
                                                        period.start_date - scheduled.ONE_DAY,
                                                        paid.get(package.pk))] + found
        for line in found:
            shares = funding.split(line.amount_pence,
                                   terms.as_funding(package, line.weekly_pence, funding_rows.get(package.pk)))
            lines.append(PaymentLine(
                run=run, council_id=run.council_id, organisation_id=package.organisation_id, package_id=package.pk,
                kind=line.kind,
                first_day=line.first_day, last_day=line.last_day, days=line.days, weekly_pence=line.weekly_pence,
                amount_pence=line.amount_pence, council_pence=shares["council"], nhs_pence=shares["nhs"],
                client_pence=shares["client"], top_up_pence=shares["top_up"], reason=line.reason[:300]))
        if done % PROGRESS_EVERY == 0 or done == total:
            _progress(run, done, total, report)
    return lines


# What a visit is paid now: as priced, unless still in query; an accepted claim at its amount.
VISIT_PAYABLE = Case(
    When(payment_query__status=PaymentQuery.Status.ACCEPTED, then=F("payment_query__claimed_amount_pence")),
    When(Q(payment_query__isnull=True) | Q(payment_query__status=PaymentQuery.Status.CLOSED), then=F("amount_pence")),
    default=0)


def payable_by_invoice(invoices) -> dict[int, int]:
    return dict(Visit.objects.filter(invoice__in=invoices).values_list("invoice_id")
                .annotate(total=Sum(VISIT_PAYABLE)))


def with_payable(invoices: QuerySet) -> QuerySet:
    """The invoices, each with ``payable_pence`` worked out in the same query (for a download)."""
    payable = (Visit.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
               .annotate(total=Sum(VISIT_PAYABLE)).values("total"))
    return invoices.annotate(payable_pence=Coalesce(Subquery(payable), 0))


def late_invoices(today) -> Q:
    """visits.is_late, in SQL: unpaid past its due date, or paid after it."""
    return Q(due_on__lt=today, paid_on__isnull=True) | Q(paid_on__gt=F("due_on"))


OPEN_QUERIES = (PaymentQuery.Status.OPEN, PaymentQuery.Status.ANSWERED)


def invoice_standing(invoices) -> list[dict]:
    """Each invoice with what it pays now, its open queries and whether it is late, for both sides."""
    invoices = list(invoices)
    payable = payable_by_invoice(invoices)
    open_queries = dict(PaymentQuery.objects.filter(visit__invoice__in=invoices, status__in=OPEN_QUERIES)
                        .values_list("visit__invoice_id").annotate(n=Count("pk")))
    today = clock.today()
    return [{"invoice": i, "payable_pence": payable.get(i.pk, 0), "open_queries": open_queries.get(i.pk, 0),
             "late": bool(i.due_on) and visits.is_late(i.due_on, i.paid_on, today)} for i in invoices]


def payable_pence(invoice_id: int) -> int:
    return payable_by_invoice([invoice_id]).get(invoice_id, 0)


def _invoice_lines(run: PaymentRun) -> list[PaymentLine]:
    paid = dict(PaymentLine.objects.filter(council=run.council_id, run__status=PaymentRun.Status.POSTED,
                                           invoice__isnull=False)
                .exclude(run=run).values_list("invoice_id").annotate(total=Sum("amount_pence")))
    invoices = list(Invoice.objects.filter(council=run.council_id).exclude(status=Invoice.Status.DRAFT)
                    .select_related("period"))
    payable = payable_by_invoice(invoices)
    lines = []
    for invoice in invoices:
        owed = payable.get(invoice.pk, 0) - paid.get(invoice.pk, 0)
        if owed == 0:
            continue
        lines.append(PaymentLine(
            run=run, council_id=run.council_id, organisation_id=invoice.organisation_id, invoice=invoice,
            kind=PaymentLine.Kind.INVOICE,
            first_day=invoice.period.start_date, last_day=invoice.period.end_date,
            days=(invoice.period.end_date - invoice.period.start_date).days + 1, amount_pence=owed,
            council_pence=owed, reason=f"Invoice {invoice.reference}: visits delivered and agreed"
            + (" (after earlier payments)" if invoice.pk in paid else "")))
    return lines


def _due_lines(run: PaymentRun, period: PaymentPeriod) -> list[PaymentLine]:
    """Payments decided elsewhere, due by the period's end and not paid by a posted run."""
    paid = PaymentLine.objects.filter(council=run.council_id, run__status=PaymentRun.Status.POSTED,
                                      due__isnull=False).exclude(run=run)
    return [PaymentLine(run=run, council_id=run.council_id, organisation_id=due.organisation_id, due=due,
                        kind=PaymentLine.Kind.RESULTS, first_day=due.due_on, last_day=due.due_on, days=1,
                        amount_pence=due.amount_pence, council_pence=due.amount_pence, reason=due.reason)
            for due in PaymentDue.objects.filter(council=run.council_id, due_on__lte=period.end_date)
            .exclude(pk__in=paid.values("due_id")).order_by("pk")]


def run_period(period: PaymentPeriod, actor, *, report=None) -> PaymentRun:
    """Draft (or redraft) the period's run. ``report(done, total)`` hears progress."""
    return complete_run(start_run(period, actor), actor, report=report)


def complete_run(run: PaymentRun, actor, *, report=None) -> PaymentRun:
    """Work out a started run's lines and store them as its draft, all or nothing."""
    period = run.period
    try:
        with tenancy.acting_for(run.council_id):  # the database's lock as well as the code's
            lines = _scheduled_lines(run, period, report) + _invoice_lines(run) + _due_lines(run, period)
        with transaction.atomic():
            run.lines.all().delete()
            PaymentLine.objects.bulk_create(lines, batch_size=5000)
            run.status, run.finished_at = PaymentRun.Status.DRAFT, clock.now()
            run.save(update_fields=["status", "finished_at"])
            record(actor, "payment_run.drafted", run, after=_describe(totals(run)))
    except Exception as failure:
        PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.FAILED, failure=str(failure)[:2000])
        raise
    return run


def totals(run: PaymentRun) -> Totals:
    found = run.lines.aggregate(amount=Sum("amount_pence"))
    return Totals(run.lines.count(), run.lines.values("organisation_id").distinct().count(), found["amount"] or 0)


def _describe(t: Totals) -> dict:
    return {"lines": t.lines, "providers": t.providers, "total": format_gbp(t.amount_pence)}


def posting_facts(run: PaymentRun) -> posting.RunFacts:
    """What the check page before posting weighs (payments.posting)."""
    period = run.period
    last = (_posted_before(period)
            .select_related("period__financial_year").order_by("-period__start_date").first())
    return posting.RunFacts(
        period_ends_on=period.end_date, today=clock.today(),
        unsettled_queries=PaymentQuery.objects.filter(
            visit__invoice__period=period, status__in=[PaymentQuery.Status.OPEN, PaymentQuery.Status.ANSWERED]).count(),
        changes_waiting=PackageChange.objects.filter(council=period.council_id, status=PackageChange.Status.PROPOSED,
                                                     effective_from__lte=period.end_date).count(),
        total_pence=totals(run).amount_pence,
        last_total_pence=totals(last).amount_pence if last else None, last_label=run_label(last.period) if last else "")


def post_run(run: PaymentRun, actor, *, acknowledged: list[str] = ()) -> PaymentRun:
    """Post a drafted run: its lines are final and its invoices are paid on the payment date.
    ``acknowledged``: the warnings the person posting it was shown and accepted (recorded)."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().select_related("period").get(pk=run.pk)
        if run.status == PaymentRun.Status.POSTED:
            return run
        if run.status != PaymentRun.Status.DRAFT:
            raise RunRefused(f"Only a drafted run can be posted; this one is {run.get_status_display().lower()}")
        later = PaymentRun.objects.filter(status=PaymentRun.Status.POSTED, period__start_date__gt=run.period.start_date)
        if later.exists():
            raise RunRefused("A later period's run is already posted; run this period's changes in the next run")
        run.status, run.posted_by, run.posted_at = PaymentRun.Status.POSTED, actor, clock.now()
        run.save(update_fields=["status", "posted_by", "posted_at"])
        invoice_ids = run.lines.filter(invoice__isnull=False).values_list("invoice_id", flat=True)
        approved = Invoice.objects.filter(pk__in=invoice_ids, paid_on__isnull=True)
        for reference, organisation, amount in (approved.order_by("reference").annotate(
                amount=Sum("lines__amount_pence", filter=Q(lines__run=run)))
                .values_list("reference", "organisation_id", "amount")):
            events.write("invoice.approved", f"invoice {reference}", {
                "invoice": reference, "provider_id": organisation, "amount_pence": amount,
                "run": run_label(run.period), "payment_date": run.period.payment_date.isoformat()},
                council=run.council_id)
        approved.update(status=Invoice.Status.PAID, paid_on=run.period.payment_date)
        record(actor, "payment_run.posted", run,
               after={**_describe(totals(run)), **({"warnings acknowledged": list(acknowledged)} if acknowledged else {})})
        events.write("payment_run.posted", f"payment run {run_label(run.period)}", {
            "run": run_label(run.period), "payment_date": run.period.payment_date.isoformat(),
            "total_pence": totals(run).amount_pence,
            "lines": [{"provider_id": organisation, "amount_pence": amount, "package": package, "invoice": invoice}
                      for organisation, amount, package, invoice in run.lines.order_by("pk").values_list(
                          "organisation_id", "amount_pence", "package__reference", "invoice__reference")]},
            council=run.council_id)
    return run


def file_rows(run: PaymentRun):
    for line in (run.lines.select_related("organisation", "package__requirement__service_type", "invoice", "due")
                 .order_by("organisation__name", "pk").iterator(chunk_size=5000)):
        yield payment_file.Row(
            line.pk, line.organisation_id, line.organisation.name, line.kind,
            line.package.reference if line.package else "", line_reference(line) if not line.package else "",
            _service(line),
            line.first_day, line.last_day, line.amount_pence, line.council_pence, line.nhs_pence,
            line.client_pence, line.top_up_pence)


def line_reference(line: PaymentLine) -> str:
    """What a line pays: its care package, invoice or payment by results."""
    return (line.package or line.invoice or line.due).reference


def _service(line: PaymentLine) -> str:
    if line.package:
        return line.package.requirement.service_type.name
    return line.due.service if line.due else "Home support"


def payment_file_text(run: PaymentRun) -> str:
    return payment_file.write(run_label(run.period), run.period.payment_date, file_rows(run))
