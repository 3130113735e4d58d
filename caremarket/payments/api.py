"""The payments API (/api/payments/): a provider's (or the council's call-monitoring feed's)
visits, invoices with their 28-day clock, payment queries, and remittance advice. Mounted by
caremarket.api, whose error handlers give every error the one body."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, require, visible
from caremarket.core.api_schemas import ERRORS, Errors, InputSchema
from caremarket.organisations.models import Organisation
from caremarket.periods.models import PaymentPeriod

from . import ingest, queries, remittance
from .models import Invoice, PaymentQuery, PaymentRun
from .runs import invoice_standing, run_label

router = Router(tags=["payments"])
ERRORS = {**ERRORS, 409: Errors}


class VisitIn(InputSchema):
    visit_id: str = Field(max_length=60, description="Your own identifier for the visit")
    package: str = Field(description="The care package reference, e.g. CP-000123")
    planned_start: str = Field(description="UK local time, e.g. 2026-10-14 08:30")
    planned_end: str
    actual_start: str = Field("", description="Check-in; blank for a visit that did not happen")
    actual_end: str = ""
    carers: int


class VisitBatchIn(InputSchema):
    period_id: int
    keep_valid_rows: bool = Field(True, description="Keep the valid visits when some are wrong; else refuse all")
    organisation_id: int | None = Field(None, description="The council's call-monitoring feed only: the provider")
    visits: list[VisitIn] = Field(max_length=settings.VISIT_FILE_MAX_ROWS,
                                  description=f"At most {settings.VISIT_FILE_MAX_ROWS:,} visits in one batch")


class RowErrorOut(Schema):
    row: int = Field(description="The visit's place in the batch, from 1")
    column: str
    message: str


class UploadOut(Schema):
    id: int
    status: str
    rows: int
    stored: int
    invoice: str | None
    errors: list[RowErrorOut] = Field(description="The first problems (a few hundred at most)")
    error_count: int = Field(description="How many problems there were in all")


class InvoiceOut(Schema):
    id: int
    reference: str
    organisation_id: int
    period_id: int
    period: str
    status: str
    received_at: dt.datetime | None
    due_on: dt.date | None
    paid_on: dt.date | None
    late: bool
    payable_pence: int


class QueryOut(Schema):
    id: int
    visit_id: str
    package: str
    invoice: str
    reason: str
    status: str
    answer: str
    claimed_minutes: int | None
    resolution: str


class AnswerIn(InputSchema):
    MULTILINE = frozenset({"answer"})

    answer: str = Field(min_length=1, max_length=5000, description="What happened on the visit")
    claimed_minutes: int | None = Field(None, ge=1, le=24 * 60, description="Minutes you ask to be paid for")


class LineOut(Schema):
    id: int
    kind: str
    package: str | None
    invoice: str | None
    payment: str | None = Field(description="A payment by results' reference (a consortium's quarter, a voucher "
                                            "spent, an alliance settled)")
    first_day: dt.date
    last_day: dt.date
    days: int
    weekly_pence: int
    amount_pence: int
    reason: str


class RemittanceOut(Schema):
    run_id: int
    run: str
    payment_date: dt.date
    organisation_id: int
    total_pence: int
    lines: list[LineOut]


def _invoices_out(invoices) -> list[dict]:
    return [{"id": i.pk, "reference": i.reference, "organisation_id": i.organisation_id, "period_id": i.period_id,
             "period": run_label(i.period), "status": i.status, "received_at": i.received_at, "due_on": i.due_on,
             "paid_on": i.paid_on, "late": row["late"], "payable_pence": row["payable_pence"]}
            for row in invoice_standing(invoices) for i in [row["invoice"]]]


@router.post("/visits", response={200: UploadOut, **ERRORS}, auth=granted("submit_visits", "send_council_visit_feed"))
def post_visits(request, payload: VisitBatchIn):
    """Send a period's visits. Each is checked, matched to its package, priced and added to the
    period's invoice; problems come back visit by visit. Sending the same visit twice is refused."""
    if payload.organisation_id is not None:
        require(request.user, "send_council_visit_feed")
        organisation = get_object_or_404(Organisation, pk=payload.organisation_id, kind="provider")
    else:
        require(request.user, "submit_visits")
        organisation = request.user.organisation
    period = PaymentPeriod.objects.filter(pk=payload.period_id, financial_year__published_at__isnull=False).first()
    if period is None:
        raise ValidationError({"period_id": "There is no published payment period with this id"})
    rows = [{**visit.dict(), "carers": str(visit.carers)} for visit in payload.visits]
    upload = ingest.store_visits(organisation, period, rows, request.user, keep_valid_rows=payload.keep_valid_rows,
                                 source="council_feed" if payload.organisation_id else "api")
    invoice = Invoice.objects.filter(organisation=organisation, period=period).first()
    return {"id": upload.pk, "status": upload.status, "rows": upload.rows, "stored": upload.stored,
            "invoice": invoice.reference if invoice else None, "errors": upload.errors,
            "error_count": upload.error_count}


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS}, auth=granted("view_payments"))
def list_invoices(request, status: Invoice.Status | None = None):
    """Invoices, newest period first: a provider's own, or every provider's for the council."""
    invoices = visible(Invoice.objects.select_related("period__financial_year"), request.user)
    if status:
        invoices = invoices.filter(status=status)
    return _invoices_out(invoices[:500])


@router.get("/invoices/{id:invoice_id}", response={200: InvoiceOut, **ERRORS}, auth=granted("view_payments"))
def get_invoice(request, invoice_id: int):
    return _invoices_out([get_visible_or_404(Invoice.objects.select_related("period__financial_year"),
                                             request.user, pk=invoice_id)])[0]


@router.post("/invoices/{id:invoice_id}/submit", response={200: InvoiceOut, **ERRORS}, auth=granted("submit_visits"))
def submit_invoice(request, invoice_id: int):
    """Submit the invoice: the council pays it within 28 days. Submitting again changes nothing."""
    invoice = get_visible_or_404(Invoice, request.user, pk=invoice_id)
    ingest.submit_invoice(invoice, request.user)
    return get_invoice(request, invoice_id)


def _query_out(q: PaymentQuery) -> dict:
    return {"id": q.pk, "visit_id": q.visit.visit_id, "package": q.visit.package.reference,
            "invoice": q.visit.invoice.reference, "reason": q.visit.query, "status": q.status, "answer": q.answer,
            "claimed_minutes": q.claimed_minutes, "resolution": q.resolution}


def _queries(request):
    return visible(PaymentQuery.objects.select_related("visit__package", "visit__invoice"), request.user)


@router.get("/queries", response={200: list[QueryOut], **ERRORS}, auth=granted("view_payments"))
def list_queries(request, status: PaymentQuery.Status | None = None):
    found = _queries(request)
    if status:
        found = found.filter(status=status)
    return [_query_out(q) for q in found[:1000]]


@router.post("/queries/{id:query_id}/answer", response={200: QueryOut, **ERRORS}, auth=granted("submit_visits"))
def answer_query(request, query_id: int, payload: AnswerIn):
    """Say what happened on a queried visit, optionally claiming the minutes to be paid."""
    query = get_visible_or_404(_queries(request), request.user, pk=query_id)
    try:
        queries.answer(query, request.user, text=payload.answer, claimed_minutes=payload.claimed_minutes)
    except ValidationError as problem:
        if not hasattr(problem, "error_dict"):
            raise HttpError(409, problem.messages[0]) from None
        raise
    return _query_out(_queries(request).get(pk=query_id))


@router.get("/remittances", response={200: list[RemittanceOut], **ERRORS}, auth=granted("view_payments"))
def list_remittances(request, organisation_id: int | None = None, start_year: int | None = None):
    """Remittance advice for posted runs: your own, or (council) a provider's by organisation_id."""
    organisation = get_visible_or_404(Organisation, request.user, pk=organisation_id or request.user.organisation_id)
    runs = PaymentRun.objects.filter(status=PaymentRun.Status.POSTED, lines__organisation=organisation).distinct()
    if start_year:
        runs = runs.filter(period__financial_year__start_year=start_year)
    return [_remittance_out(remittance.remittance(run, organisation))
            for run in runs.select_related("period__financial_year").order_by("-period__start_date")[:26]]


def _remittance_out(advice: remittance.Remittance) -> dict:
    return {"run_id": advice.run.pk, "run": advice.label, "payment_date": advice.run.period.payment_date,
            "organisation_id": advice.organisation.pk, "total_pence": advice.total_pence,
            "lines": [{"id": line.pk, "kind": line.kind,
                       "package": line.package.reference if line.package else None,
                       "invoice": line.invoice.reference if line.invoice else None,
                       "payment": line.due.reference if line.due else None, "first_day": line.first_day,
                       "last_day": line.last_day, "days": line.days, "weekly_pence": line.weekly_pence,
                       "amount_pence": line.amount_pence, "reason": line.reason} for line in advice.lines]}
