"""The API's payment calendar, open to all: each published financial year's payment periods.
"""

import datetime as dt

from ninja import Field, Router, Schema

from caremarket.core.api_schemas import ERRORS

from .models import PaymentPeriod

router = Router(tags=["reference data"], auth=None)


class PeriodOut(Schema):
    council: str = Field(description="The council whose payment calendar it is")
    financial_year: str
    number: int
    start_date: dt.date
    end_date: dt.date
    payment_date: dt.date


@router.get("/payment-periods", response={200: list[PeriodOut], **ERRORS})
def list_payment_periods(request, financial_year: int | None = None, council: int | None = None):
    """Published payment periods of every council on this service (open data); ``council``: one
    council's (its organisation id)."""
    periods = PaymentPeriod.objects.filter(financial_year__published_at__isnull=False).select_related(
        "financial_year", "council").order_by("council__name", "start_date")
    if financial_year is not None:
        periods = periods.filter(financial_year__start_year=financial_year)
    if council is not None:
        periods = periods.filter(council=council)
    return [
        {"council": p.council.name, "financial_year": str(p.financial_year), "number": p.number,
         "start_date": p.start_date,
         "end_date": p.end_date, "payment_date": p.payment_date}
        for p in periods
    ]
