from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from caremarket.accounts.permissions import for_council, require
from caremarket.core import csv_out
from caremarket.core.downloads import attachment
from caremarket.payments.models import PaymentRun
from caremarket.payments.runs import run_label

from . import files


def _posted_run(request, pk) -> PaymentRun:
    require(request.user, "run_payments")
    run = get_object_or_404(for_council(PaymentRun.objects, request.user).select_related("period__financial_year"),
                            period_id=pk)
    if run.status != PaymentRun.Status.POSTED:
        raise Http404("The ledger's files are made when the run is posted")
    return run


@login_required
def reconciliation(request, pk):
    """The run against its files: each total, and what could not be coded."""
    run = _posted_run(request, pk)
    return render(request, "ledger/reconciliation.html", {
        "run": run, "label": run_label(run.period), "found": files.reconcile(run)})


def _download(rows, name: str) -> StreamingHttpResponse:
    class Echo:
        def write(self, value):
            return value
    writer = csv_out.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv")
    response["Content-Disposition"] = attachment(name)
    return response


@login_required
def creditor_payments(request, pk):
    run = _posted_run(request, pk)
    return _download(files.creditor_rows(run, files.reconcile(run)),
                     f"creditor-payments-{run_label(run.period)}.csv")


@login_required
def journal(request, pk):
    run = _posted_run(request, pk)
    return _download(files.journal_rows(run, files.reconcile(run)), f"journal-{run_label(run.period)}.csv")
