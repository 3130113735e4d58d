"""Pricing a home-support visit from electronic call monitoring. Pure.

The council's rules are data (payments.models.VisitRule), one set per service type:

- **Pay on planned or actual time.** A visit whose actual length is within the tolerance
  of its plan is paid as planned (on "actual": its actual length, rounded) with no query.
- **Outside the tolerance** the visit is queried. A shorter visit is paid for the time
  delivered; a longer one is paid as planned until the provider's answer is accepted.
- **Rounding.** Paid minutes are rounded to the rule's unit (nearest, up or down), then
  raised to the minimum visit length: a visit delivered is paid at least that.
- **Missed visits** (no check-in or no check-out) are not paid, and are queried.
- **Two carers.** A double-up visit is paid for each carer the package plans. A carer
  short is paid for those who came, and queried; a carer more than planned is not paid.

The amount is the hourly rate × paid minutes ÷ 60 × carers paid, rounded once to the
penny, halves away from zero (caremarket.core.money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import round_pence


@dataclass(frozen=True)
class Rule:
    pay_on: str = "planned"  # or "actual"
    tolerance_minutes: int = 5
    rounding_minutes: int = 5
    rounding: str = "nearest"  # or "up", "down"
    minimum_minutes: int = 15


@dataclass(frozen=True)
class Visit:
    planned_start: dt.datetime
    planned_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    carers: int


@dataclass(frozen=True)
class PricedVisit:
    paid_minutes: int
    carers_paid: int
    amount_pence: int
    query: str  # blank when the visit matches its plan


def minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def round_minutes(value: int, rule: Rule) -> int:
    unit = max(rule.rounding_minutes, 1)
    whole, part = divmod(value, unit)
    if part and (rule.rounding == "up" or (rule.rounding == "nearest" and part * 2 >= unit)):
        whole += 1
    return whole * unit


def amount(hourly_rate_pence: int, paid_minutes: int, carers: int) -> int:
    return round_pence(Decimal(hourly_rate_pence) * paid_minutes * carers / 60)


def price_visit(visit: Visit, rule: Rule, hourly_rate_pence: int, planned_carers: int = 1) -> PricedVisit:
    planned = minutes(visit.planned_start, visit.planned_end)
    if visit.actual_start is None or visit.actual_end is None:
        return PricedVisit(0, 0, 0, "Missed: no check-in or check-out was recorded, so the visit is not paid")
    actual = minutes(visit.actual_start, visit.actual_end)
    queries = []
    if abs(actual - planned) <= rule.tolerance_minutes:
        paid = planned if rule.pay_on == "planned" else round_minutes(actual, rule)
    elif actual < planned:
        paid = round_minutes(actual, rule)
        queries.append(f"Short: {actual} minutes delivered of {planned} planned; paid for the time delivered")
    else:
        paid = planned
        queries.append(f"Long: {actual} minutes delivered of {planned} planned; the extra is paid only if agreed")
    paid = max(paid, rule.minimum_minutes)
    carers = min(visit.carers, planned_carers)
    if visit.carers < planned_carers:
        queries.append(f"{visit.carers} of {planned_carers} planned carers attended; paid for {visit.carers}")
    elif visit.carers > planned_carers:
        queries.append(f"{visit.carers} carers attended but the plan is for {planned_carers}; "
                       f"paid for {planned_carers}")
    return PricedVisit(paid, carers, amount(hourly_rate_pence, paid, carers), "; ".join(queries))


def payment_due_on(received: dt.date, days: int = 28) -> dt.date:
    """A valid invoice is paid within 28 days of receipt (the council's terms, 004 "Payment and invoicing")."""
    return received + dt.timedelta(days=days)


def is_late(due_on: dt.date, paid_on: dt.date | None, today: dt.date) -> bool:
    return (paid_on or today) > due_on
