"""Payment pages. Providers: their visits, invoices, queries, statement and remittances.
Finance: each period's invoices, queries and payment run (started, watched, posted, its
payment file) and spend. Everyone else who may: a care package's changes and funding."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, for_council, get_visible_or_404, require, visible
from caremarket.core import clock, csv_out
from caremarket.core.cleaning import whole_number
from caremarket.core.downloads import attachment
from caremarket.core.money import to_pounds
from caremarket.fees.models import FeeSchedule
from caremarket.framework.standing import delivers_home_support
from caremarket.govuk import charts
from caremarket.govuk.forms import AcknowledgeForm
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv
from caremarket.organisations.models import Organisation
from caremarket.packages.models import PackageChange
from caremarket.periods.calendar import financial_year_label, financial_year_of
from caremarket.periods.models import PaymentPeriod

from . import ingest, invoice_check, posting, queries, remittance, runs, spend
from .filters import InvoiceFilter, QueryFilter
from .forms import AnswerForm, AnswerSelectedForm, AnswersFileForm, SettleForm, VisitUploadForm
from .models import Invoice, PaymentLine, PaymentQuery, PaymentRun, VisitUpload
from .tasks import apply_new_year_prices, check_visit_file, complete_payment_run


@login_required
def overview(request):
    require(request.user, "view_payments")
    if request.user.is_council:
        return _finance_overview(request)
    start_year = financial_year_of(clock.today())
    invoices = visible(Invoice.objects.select_related("period"), request.user)
    return render(request, "payments/provider.html", {
        "invoices": runs.invoice_standing(invoices[:RECENT_INVOICES]), "invoice_count": invoices.count(),
        "open_queries": visible(PaymentQuery.objects.filter(status=PaymentQuery.Status.OPEN), request.user).count(),
        "statement": remittance.statement(request.user.organisation, start_year),
        "year": financial_year_label(start_year),
        "home_support": delivers_home_support(request.user.organisation_id),
        "may_upload": can(request.user, "submit_visits") and delivers_home_support(request.user.organisation_id),
    })


def _finance_overview(request):
    start_year = financial_year_of(clock.today())
    periods = list(for_council(PaymentPeriod.objects, request.user)
                   .filter(financial_year__start_year=start_year, financial_year__published_at__isnull=False)
                   .select_related("financial_year", "payment_run").order_by("number"))
    today = clock.today()
    late = runs.late_invoices(today)
    invoices = {row["period_id"]: row for row in Invoice.objects.filter(period__in=periods)
                .exclude(status=Invoice.Status.DRAFT).values("period_id")
                .annotate(received=Count("pk"), paid=Count("pk", filter=Q(status=Invoice.Status.PAID)),
                          late=Count("pk", filter=late))}
    open_queries = dict(PaymentQuery.objects.filter(status__in=runs.OPEN_QUERIES, visit__invoice__period__in=periods)
                        .values_list("visit__invoice__period_id").annotate(n=Count("pk")))
    paid = dict(PaymentLine.objects.filter(run__period__in=periods).values_list("run__period_id")
                .annotate(total=Sum("amount_pence")))
    go_live = runs.go_live(request.user.organisation_id)
    rows = [{"period": p, "run": getattr(p, "payment_run", None), "invoices": invoices.get(p.pk, {}),
             "open_queries": open_queries.get(p.pk, 0), "total_pence": paid.get(p.pk),
             "standing": runs.period_standing(p, getattr(p, "payment_run", None), go_live, today)} for p in periods]
    return render(request, "payments/finance.html", {
        "rows": rows, "year": financial_year_label(start_year),
        "waiting_changes": for_council(PackageChange.objects, request.user).filter(
            status=PackageChange.Status.PROPOSED).count(),
    })


RECENT_INVOICES = 6  # on a provider's payments page; the rest are in the invoice list


# --- a provider's visits, invoices and queries --------------------------------------------------

def _open_periods():
    """Periods a provider may send visits for: published, started, and not more than a year back."""
    today = clock.today()
    return (PaymentPeriod.objects.filter(financial_year__published_at__isnull=False, start_date__lte=today,
                                         start_date__gte=today.replace(year=today.year - 1))
            .select_related("financial_year").order_by("-start_date"))


@login_required
def upload_visits(request):
    require(request.user, "submit_visits")
    if not delivers_home_support(request.user.organisation_id):
        raise PermissionDenied("Visits are sent for home support, and your organisation is not on the framework "
                               "for it: care homes and supported living are paid from their care packages")
    form = VisitUploadForm(request.POST or None, request.FILES or None, periods=_open_periods())
    if request.method == "POST" and form.is_valid():
        uploaded, data = form.cleaned_data["file"], form.cleaned_data["file"].read()
        send = ingest.queue_visit_file if ingest.checked_in_the_background(data) else ingest.store_visit_file
        upload = send(request.user.organisation, form.cleaned_data["period"], data, request.user,
                      keep_valid_rows=form.cleaned_data["keep_valid_rows"], file_name=uploaded.name)
        if upload.status == VisitUpload.Status.WAITING:
            upload_id = upload.pk
            transaction.on_commit(lambda: check_visit_file.enqueue(upload_id))
        return redirect("visit-upload", pk=upload.pk)
    uploads = page_of(request, visible(VisitUpload.objects.select_related("period__financial_year").defer("errors"),
                                       request.user), per_page=20)
    return render(request, "payments/upload.html", {"form": form, "uploads": uploads, "columns": ingest.COLUMNS})


@login_required
def visit_upload(request, pk):
    require(request.user, "view_payments")
    upload = get_visible_or_404(VisitUpload.objects.select_related("period__financial_year"), request.user, pk=pk)
    invoice = Invoice.objects.filter(organisation_id=upload.organisation_id, period=upload.period).first()
    queried = upload.visits.exclude(query="").count()
    return render(request, "payments/upload_result.html", {"upload": upload, "invoice": invoice, "queried": queried})


INVOICE_COLUMNS = [
    Column("Invoice", lambda i: i.reference),
    Column("Provider", lambda i: i.organisation.name),
    Column("Period", lambda i: str(i.period)),
    Column("Status", lambda i: i.status_label),
    Column("Received", lambda i: clock.local(i.received_at).date().isoformat() if i.received_at else ""),
    Column("Due by", lambda i: i.due_on.isoformat() if i.due_on else ""),
    Column("Paid on", lambda i: i.paid_on.isoformat() if i.paid_on else ""),
    Column("Payable now (£)", lambda i: to_pounds(i.payable_pence)),
]


@login_required
def invoice_list(request):
    """Every invoice the person may see: finance opens on those received and not yet paid."""
    require(request.user, "view_payments")
    invoices = visible(Invoice.objects.select_related("organisation", "council", "period__financial_year")
                       .order_by("due_on", "reference"), request.user)
    found = InvoiceFilter(request.GET, invoices, request=request)
    if wants_csv(request):
        return csv_download(runs.with_payable(found.qs), INVOICE_COLUMNS, "invoices.csv")
    page = page_of(request, found.qs)
    return render(request, "payments/invoices.html", {
        "filter": found, "page": page, "invoices": runs.invoice_standing(page.object_list)})


@login_required
def invoice_detail(request, pk):
    require(request.user, "view_payments")
    invoice = get_visible_or_404(Invoice.objects.select_related("organisation", "period__financial_year"),
                                 request.user, pk=pk)
    row = runs.invoice_standing([invoice])[0]
    summary = invoice.visits.aggregate(visits=Count("pk"), priced=Sum("amount_pence"),
                                       minutes=Sum("paid_minutes"))
    queried = page_of(request, invoice.visits.exclude(query="").select_related("package", "payment_query")
                      .order_by("planned_start", "pk"))
    return render(request, "payments/invoice.html", {
        **row, "summary": summary, "queried": queried,
        "may_submit": can(request.user, "submit_visits") and invoice.status == Invoice.Status.DRAFT,
        "paid_lines": invoice.lines.filter(run__status=PaymentRun.Status.POSTED).select_related("run__period"),
        "today": clock.today(),
    })


@login_required
def invoice_visits_csv(request, pk):
    """Every visit on an invoice, as priced, for the provider's own reconciliation."""
    require(request.user, "view_payments")
    invoice = get_visible_or_404(Invoice.objects.all(), request.user, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(f"{invoice.reference}-visits.csv")
    writer = csv_out.writer(response)
    writer.writerow([*ingest.COLUMNS, "paid_minutes", "carers_paid", "amount", "query"])  # the amount in pounds
    for v in invoice.visits.select_related("package").order_by("planned_start", "pk").iterator(chunk_size=5000):
        when = [clock.local(t).strftime("%Y-%m-%d %H:%M") if t else ""
                for t in (v.planned_start, v.planned_end, v.actual_start, v.actual_end)]
        writer.writerow([v.visit_id, v.package.reference, *when, v.carers, v.paid_minutes, v.carers_paid,
                         to_pounds(v.amount_pence) if v.amount_pence is not None else "", v.query])
    return response


@login_required
def submit_invoice(request, pk):
    """Check the invoice (what is in it, and what is unusual), then send it to the council."""
    require(request.user, "submit_visits")
    invoice = get_visible_or_404(Invoice.objects.select_related("period__financial_year"), request.user, pk=pk)
    if invoice.status != Invoice.Status.DRAFT:
        return redirect("invoice", pk=invoice.pk)
    warnings = invoice_check.warnings(
        period_ends_on=invoice.period.end_date, today=clock.today(),
        unanswered_queries=PaymentQuery.objects.filter(visit__invoice=invoice, status=PaymentQuery.Status.OPEN).count())
    form = AcknowledgeForm(request.POST if request.method == "POST" else None, warnings=warnings)
    if request.method == "POST" and form.is_valid():
        try:
            invoice = ingest.submit_invoice(invoice, request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Invoice {invoice.reference} was received. It is due to be paid by "
                                      f"{invoice.due_on:%d %B %Y}.")
        return redirect("invoice", pk=invoice.pk)
    summary = invoice.visits.aggregate(visits=Count("pk"), priced=Sum("amount_pence"))
    return render(request, "payments/submit_check.html", {
        "invoice": invoice, "summary": summary, "warnings": warnings, "form": form,
        "back": reverse("invoice", args=[invoice.pk])})


QUERY_COLUMNS = [
    Column("Visit", lambda q: q.visit.visit_id),
    Column("Provider", lambda q: q.visit.organisation.name),
    Column("Package", lambda q: q.visit.package.reference),
    Column("Invoice", lambda q: q.visit.invoice.reference),
    Column("Planned start", lambda q: clock.local(q.visit.planned_start).isoformat(timespec="minutes")),
    Column("Why it was queried", lambda q: q.visit.query),
    Column("Status", lambda q: q.get_status_display()),
]


@login_required
def query_list(request, answer_form=None):
    """Queries to answer (a provider) or to settle (finance) first; any status by the filter. A
    provider may tick many and answer them at once."""
    require(request.user, "view_payments")
    queries = visible(PaymentQuery.objects.select_related(
        "visit__package", "visit__organisation", "visit__invoice").order_by("visit__planned_start", "pk"),
        request.user)
    found = QueryFilter(request.GET, queries, request=request)
    if wants_csv(request):
        return csv_download(found.qs, QUERY_COLUMNS, "payment-queries.csv")
    may_answer = can(request.user, "submit_visits")
    if may_answer and answer_form is None:
        answer_form = AnswerSelectedForm(waiting=_waiting_for_answer(request.user))
    return render(request, "payments/queries.html", {"filter": found, "page": page_of(request, found.qs),
                                                     "may_answer_many": may_answer, "form": answer_form,
                                                     "answerable": set(runs.OPEN_QUERIES)})


def _waiting_for_answer(user):
    return visible(PaymentQuery.objects.filter(status__in=runs.OPEN_QUERIES), user).select_related("visit")


@login_required
@require_POST
def answer_selected_queries(request):
    require(request.user, "submit_visits")
    form = AnswerSelectedForm(request.POST, waiting=_waiting_for_answer(request.user))
    if form.is_valid():
        try:
            done = queries.answer_selected(form.cleaned_data["queries"], request.user,
                                           text=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{len(done):,} answer{'s were' if len(done) != 1 else ' was'} sent to the "
                                      "council's finance team")
            return redirect(f"{reverse('payment-queries')}?{request.GET.urlencode()}")
    return query_list(request, answer_form=form)


@login_required
def query_detail(request, pk):
    require(request.user, "view_payments")
    query = get_visible_or_404(PaymentQuery.objects.select_related(
        "visit__package", "visit__organisation", "visit__invoice", "answered_by", "resolved_by"), request.user, pk=pk)
    may_answer = can(request.user, "submit_visits") and query.status in runs.OPEN_QUERIES
    may_settle = can(request.user, "settle_payment_queries") and query.status in runs.OPEN_QUERIES
    answer_form = AnswerForm(request.POST if may_answer and request.method == "POST" else None, prefix="answer")
    settle_form = SettleForm(request.POST if may_settle and request.method == "POST" else None, prefix="settle")
    if request.method == "POST":
        if not (may_answer or may_settle):
            raise PermissionDenied("This query cannot be changed")
        form = answer_form if may_answer else settle_form
        if form.is_valid():
            try:
                if may_answer:
                    queries.answer(query, request.user, text=form.cleaned_data["answer"],
                                   claimed_minutes=form.cleaned_data["claimed_minutes"])
                    messages.success(request, "Your answer was sent to the council's finance team")
                    if following := _next_open_query(request.user, query):
                        return redirect("payment-query", pk=following.pk)
                    return redirect("payment-queries")
                else:
                    queries.settle(query, request.user, accept=form.cleaned_data["decision"] == "accept",
                                   resolution=form.cleaned_data["resolution"])
                    messages.success(request, "The query is settled; the visit is paid in the next payment run")
                return redirect("payment-query", pk=query.pk)
            except ValidationError as error:
                form.add_service_errors(error)
    return render(request, "payments/query.html", {
        "query": query, "visit": query.visit, "answer_form": answer_form if may_answer else None,
        "settle_form": settle_form if may_settle else None, "next_query": _next_open_query(request.user, query),
    })


def _next_open_query(user, query):
    """The next query waiting for this person (a provider's answer, or finance's decision)."""
    waiting = [PaymentQuery.Status.OPEN] if not user.is_council else list(runs.OPEN_QUERIES)
    return (visible(PaymentQuery.objects.filter(status__in=waiting), user).exclude(pk=query.pk)
            .order_by("visit__planned_start", "pk").first())


@login_required
def answer_queries_file(request):
    """A provider answers many queries at once from a CSV file: all of it, or none, with what is
    wrong row by row."""
    require(request.user, "submit_visits")
    form = AnswersFileForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        answers, errors = queries.answers_from_file(form.cleaned_data["file"].read())
        if not errors:
            try:
                done = queries.answer_many(request.user.organisation, request.user, answers)
            except ValidationError as refused:
                errors = refused.messages
            else:
                messages.success(request, f"{len(done):,} answer{'s were' if len(done) != 1 else ' was'} sent to the "
                                          "council's finance team")
                return redirect("payment-queries")
    return render(request, "payments/answers_file.html", {"form": form, "errors": errors})


# --- remittances ----------------------------------------------------------------------------

def _remittance(request, run_pk, organisation_pk):
    require(request.user, "view_payments")
    found = PaymentRun.objects.select_related("period__financial_year")
    if not request.user.is_council:  # providers see a run once it is posted
        found = found.filter(status=PaymentRun.Status.POSTED)
    run = get_object_or_404(found, pk=run_pk)
    if not visible(PaymentLine.objects.filter(run=run, organisation_id=organisation_pk), request.user).exists():
        raise Http404("Not found")
    return remittance.remittance(run, Organisation.objects.get(pk=organisation_pk))


@login_required
def remittance_page(request, run_pk, organisation_pk):
    advice = _remittance(request, run_pk, organisation_pk)
    return render(request, "payments/remittance.html", {"advice": advice})


@login_required
def remittance_pdf(request, run_pk, organisation_pk):
    advice = _remittance(request, run_pk, organisation_pk)
    council = PaymentRun.objects.select_related("council").get(pk=run_pk).council  # the run's, who pays
    response = HttpResponse(remittance.as_pdf(advice, council), content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"remittance-{advice.label}-{organisation_pk}.pdf")
    return response


# --- finance: a period's run ----------------------------------------------------------------

def _period(user, pk):
    """One of the council's own published periods, else 404."""
    return get_object_or_404(for_council(PaymentPeriod.objects.select_related("financial_year"), user), pk=pk,
                             financial_year__published_at__isnull=False)


@login_required
def period_detail(request, pk):
    require(request.user, "run_payments")
    period = _period(request.user, pk)
    run = PaymentRun.objects.filter(period=period).first()
    invoices = Invoice.objects.filter(period=period).select_related("organisation").order_by("organisation__name")
    by_provider = []
    if run:
        by_provider = list(run.lines.values("organisation_id", "organisation__name")
                           .annotate(lines=Count("pk"), total=Sum("amount_pence")).order_by("organisation__name"))
    context = {"period": period, "run": run, "totals": runs.totals(run) if run else None,
               "by_provider": by_provider, "label": runs.run_label(period),
               "standing": runs.period_standing(period, run, runs.go_live(period.council_id), clock.today())}
    if request.headers.get("HX-Request"):  # the run's progress, polled while it runs
        return render(request, "payments/run_status.html", context)
    return render(request, "payments/period.html", {**context, "invoices": runs.invoice_standing(invoices)})


@login_required
@require_POST
def start_run(request, pk):
    require(request.user, "run_payments")
    period = _period(request.user, pk)
    existing = PaymentRun.objects.filter(period=period).first()
    if runs.period_standing(period, existing, runs.go_live(period.council_id), clock.today()).paid_outside:
        messages.error(request, "This period was paid before the council's payments moved to Caremarket; "
                                "a run would pay it again")
        return redirect("payment-period", pk=period.pk)
    try:
        run = runs.start_run(period, request.user)
    except runs.RunRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("payment-period", pk=period.pk)
    run_id, user_id = run.pk, request.user.pk
    transaction.on_commit(lambda: complete_payment_run.enqueue(run_id, user_id))
    messages.success(request, f"The {runs.run_label(period)} payment run has started. This page shows its progress.")
    return redirect("payment-period", pk=period.pk)


@login_required
def post_run(request, pk):
    """Check before posting (what will happen, and what is unusual), then post."""
    require(request.user, "run_payments")
    run = get_object_or_404(PaymentRun.objects.select_related("period__financial_year"),
                            period=_period(request.user, pk))
    if run.status != PaymentRun.Status.DRAFT:
        messages.error(request, f"Only a drafted run can be posted; this one is {run.get_status_display().lower()}")
        return redirect("payment-period", pk=pk)
    facts = runs.posting_facts(run)
    warnings = posting.warnings(facts)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None, warnings=warnings)
    if request.method == "POST" and form.is_valid():
        try:
            runs.post_run(run, request.user, acknowledged=warnings)
        except runs.RunRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"The {runs.run_label(run.period)} run is posted. Providers can see their "
                                      "remittance advice.")
        return redirect("payment-period", pk=pk)
    return render(request, "payments/post_check.html", {
        "run": run, "period": run.period, "label": runs.run_label(run.period), "totals": runs.totals(run),
        "facts": facts, "change": posting.change_percent(facts.total_pence, facts.last_total_pence),
        "warnings": warnings, "form": form, "period_url": reverse("payment-period", args=[pk])})


@login_required
def payment_file(request, pk):
    require(request.user, "run_payments")
    run = get_object_or_404(PaymentRun, period=_period(request.user, pk), status__in=[PaymentRun.Status.DRAFT,
                                                                        PaymentRun.Status.POSTED])
    response = HttpResponse(runs.payment_file_text(run), content_type="text/csv; charset=utf-8")
    state = "" if run.status == PaymentRun.Status.POSTED else "-DRAFT"
    response["Content-Disposition"] = attachment(f"payments-{runs.run_label(run.period)}{state}.csv")
    return response


@login_required
def spend_page(request):
    require(request.user, "view_spend")
    this_year = financial_year_of(clock.today())
    start_year = whole_number(request.GET.get("year"), most_digits=4) or this_year
    found = spend.for_year(start_year)
    if wants_csv(request):
        rows = [(grouping, name, pence) for grouping, key in SPEND_GROUPS for name, pence in found[key]]
        return csv_download(rows, SPEND_COLUMNS, f"spend-{financial_year_label(start_year)}.csv")
    by_service = [{"service": name, "paid": to_pounds(pence)} for name, pence in found["by_service"]]
    return render(request, "payments/spend.html", {
        "start_year": start_year, **found,
        "years": [(year, financial_year_label(year)) for year in range(this_year, this_year - 3, -1)],
        "specs": {"by-service": charts.horizontal_bars(
            by_service, category="service", value="paid", value_title="Paid (£)",
            description=f"What the council paid in {financial_year_label(start_year)}, by service")}})


SPEND_GROUPS = (("Area", "by_area"), ("Service", "by_service"), ("Provider", "by_provider"))
SPEND_COLUMNS = [Column("By", lambda row: row[0]), Column("Name", lambda row: row[1]),
                 Column("Paid (£)", lambda row: to_pounds(row[2]))]


# --- next year's prices on the packages (from the fee schedule's page) -------------------------

@login_required
@require_POST
def apply_to_packages(request, start_year):
    """Put a published schedule's prices on the packages from its 1 April, in the background."""
    require(request.user, "manage_fees")
    found = get_object_or_404(FeeSchedule, council=request.user.organisation_id, start_year=start_year,
                              published_at__isnull=False)
    user_id = request.user.pk
    transaction.on_commit(lambda: apply_new_year_prices.enqueue(start_year, user_id))
    messages.success(request, f"The {found.name} prices are being applied to care packages from "
                              f"{found.starts_on:%d %B %Y}. Each change shows on its package, with its reason.")
    return redirect("fee-schedule", start_year=start_year)
