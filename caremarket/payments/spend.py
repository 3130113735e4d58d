"""What the council paid in a financial year, by area, service type and provider, from posted runs.

Scheduled care is counted from its payment lines. Home-support invoices are counted from the
visits they paid (as settled), since an invoice spans many packages; so by area and by
service, an invoice is counted as its visits are paid, and by provider exactly as paid."""

from __future__ import annotations

from collections import Counter

from django.db.models import Sum

from .models import Invoice, PaymentLine, PaymentRun, Visit
from .runs import VISIT_PAYABLE


NOT_BY_AREA = "Not by area: contracts paid by results and Time for Me vouchers"


def _sorted(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def for_year(start_year: int) -> dict:
    posted = PaymentLine.objects.filter(run__status=PaymentRun.Status.POSTED,
                                        run__period__financial_year__start_year=start_year)
    by_area, by_service, by_provider = Counter(), Counter(), Counter()
    for name, pence in posted.values_list("organisation__name").annotate(pence=Sum("amount_pence")):
        by_provider[name] += pence
    for area, service, pence in (posted.filter(package__isnull=False)
                                 .values_list("package__requirement__area__name",
                                              "package__requirement__service_type__name")
                                 .annotate(pence=Sum("amount_pence"))):
        by_area[area] += pence
        by_service[service] += pence
    paid_invoices = Invoice.objects.filter(lines__in=posted.filter(invoice__isnull=False)).distinct()
    for area, service, pence in (Visit.objects.filter(invoice__in=paid_invoices)
                                 .values_list("package__requirement__area__name",
                                              "package__requirement__service_type__name")
                                 .annotate(pence=Sum(VISIT_PAYABLE))):
        by_area[area] += pence or 0
        by_service[service] += pence or 0
    # Payments decided outside the run (a consortium's quarter, an alliance's settlement, a Time
    # for Me voucher) are for no one area: each is its own line by service.
    for service, pence in (posted.filter(due__isnull=False).values_list("due__service")
                           .annotate(pence=Sum("amount_pence"))):
        by_area[NOT_BY_AREA] += pence
        by_service[service] += pence
    return {"by_area": _sorted(by_area), "by_service": _sorted(by_service), "by_provider": _sorted(by_provider),
            "total_pence": sum(by_provider.values())}
