"""The API's payment calendar, open to all: each published financial year's payment periods.
"""

import datetime as dt

from ninja import Router, Schema

from caremarket.core.api_schemas import ERRORS

from .models import PaymentPeriod

router = Router(tags=["reference data"], auth=None)


class PeriodOut(Schema):
    financial_year: str
    number: int
    start_date: dt.date
    end_date: dt.date
    payment_date: dt.date


@router.get("/payment-periods", response={200: list[PeriodOut], **ERRORS})
def list_payment_periods(request, financial_year: int | None = None):
    """Published payment periods (open data)."""
    periods = PaymentPeriod.objects.filter(financial_year__published_at__isnull=False).select_related(
        "financial_year")
    if financial_year is not None:
        periods = periods.filter(financial_year__start_year=financial_year)
    return [
        {"financial_year": str(p.financial_year), "number": p.number, "start_date": p.start_date,
         "end_date": p.end_date, "payment_date": p.payment_date}
        for p in periods
    ]
