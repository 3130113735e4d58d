"""The demo's budget for each payment period of this year: four weeks of the packages in place
when the demo is built, with a little headroom, in round thousands of pounds (the market
dashboard sets what was paid beside it)."""

from __future__ import annotations

from django.db.models import Sum

from caremarket.market.models import SpendBudget
from caremarket.packages.models import CarePackage
from caremarket.periods.calendar import financial_year_of
from caremarket.periods.models import PaymentPeriod

HEADROOM_PERCENT = 3
ROUND_TO_PENCE = 100_000  # £1,000


def build(market):
    weekly = CarePackage.objects.filter(council=market.council, status=CarePackage.Status.ACTIVE).aggregate(
        pence=Sum("weekly_price_pence"))["pence"] or 0
    budget = -(-weekly * 4 * (100 + HEADROOM_PERCENT) // 100 // ROUND_TO_PENCE) * ROUND_TO_PENCE
    periods = PaymentPeriod.objects.filter(council=market.council,
                                           financial_year__start_year=financial_year_of(market.today))
    SpendBudget.objects.bulk_create([SpendBudget(council=market.council, period=period, amount_pence=budget)
                                     for period in periods])
