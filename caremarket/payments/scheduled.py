"""Scheduled payments for bed-based care and supported living: what a period owes for one
package, worked out day by day from the council's own records (no invoice). Pure.

A package has weekly prices from dates (a rate change mid-week splits the week at that
day), may be suspended for some days (a hospital stay), and may end (death, a move). A day
is due at its weekly price ÷ 7; each line is one run of consecutive days at one price,
rounded once, to the nearest penny, halves away from zero (caremarket.core.money).

Re-running a period against what was already paid never pays a day twice: days already paid
at the right price give nothing; a day paid that was not due (a death reported late) gives
a recovery line; a day paid at another price gives the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import format_gbp, round_pence

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Price:
    effective_from: dt.date
    weekly_pence: int


@dataclass(frozen=True)
class Package:
    reference: str
    starts_on: dt.date
    ends_on: dt.date | None  # the last day care was given (death, move, end)
    prices: tuple[Price, ...]
    suspended: tuple[tuple[dt.date, dt.date], ...] = ()  # inclusive runs of days not paid


@dataclass(frozen=True)
class Line:
    package: str
    first_day: dt.date
    last_day: dt.date
    days: int
    weekly_pence: int
    amount_pence: int  # negative: a recovery
    reason: str
    kind: str = "scheduled"  # or "recovery", "adjustment"


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def weekly_price_on(package: Package, day: dt.date) -> int | None:
    """The weekly price due for ``day``; None when nothing is due (before start, after end, suspended)."""
    if day < package.starts_on or (package.ends_on and day > package.ends_on):
        return None
    if any(first <= day <= last for first, last in package.suspended):
        return None
    current = None
    for price in sorted(package.prices, key=lambda p: p.effective_from):
        if price.effective_from <= day:
            current = price.weekly_pence
    return current


def due_by_day(package: Package, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    return {day: price for day in _days(first, last) if (price := weekly_price_on(package, day)) is not None}


def _runs(by_day: dict[dt.date, int]):
    """Consecutive days at one weekly price, as (first, last, weekly price)."""
    run = None
    for day in sorted(by_day):
        price = by_day[day]
        if run and day == run[1] + ONE_DAY and price == run[2]:
            run = (run[0], day, price)
        else:
            if run:
                yield run
            run = (day, day, price)
    if run:
        yield run


def _amount(days: int, weekly_pence: int) -> int:
    return round_pence(Decimal(weekly_pence) * days / 7)


def period_lines(package: Package, first: dt.date, last: dt.date,
                 already_paid: dict[dt.date, int] | None = None) -> list[Line]:
    """What to pay (or recover) for ``package`` for the days ``first``..``last``.

    ``already_paid``: for each day already paid, the weekly price it was paid at.
    """
    already_paid = already_paid or {}
    due = due_by_day(package, first, last)
    lines = []
    unpaid = {d: p for d, p in due.items() if d not in already_paid}
    for start, end, price in _runs(unpaid):
        days = (end - start).days + 1
        lines.append(Line(package.reference, start, end, days, price, _amount(days, price),
                          f"{days} days at {format_gbp(price)} a week"))
    recover = {d: p for d, p in already_paid.items() if first <= d <= last and d not in due}
    for start, end, price in _runs(recover):
        days = (end - start).days + 1
        lines.append(Line(package.reference, start, end, days, price, -_amount(days, price),
                          f"Recovery: {days} days paid at {format_gbp(price)} a week that were not due", "recovery"))
    repriced = {d: (already_paid[d], p) for d, p in due.items() if d in already_paid and already_paid[d] != p}
    for start, end, _ in _runs({d: pair for d, pair in repriced.items()}):
        days = (end - start).days + 1
        was, now = repriced[start]
        lines.append(Line(package.reference, start, end, days, now, _amount(days, now) - _amount(days, was),
                          f"Adjustment: {days} days paid at {format_gbp(was)} a week, due at {format_gbp(now)}",
                          "adjustment"))
    return sorted(lines, key=lambda line: (line.first_day, line.amount_pence))
