"""Which providers have a quarterly contract review, and when it is due. Pure.

A provider has one each quarter of the financial year when its share of the council's weekly
spend on care packages in place is at least the policy's share (data; 1% to begin with): the
providers a council most depends on, whose failure would surprise it most. The review is due
a set number of days into the quarter (45), so that it looks back on the quarter before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

QUARTER_STARTS = ((4, 1), (7, 1), (10, 1), (1, 1))


def quarter_of(day: dt.date) -> tuple[int, int, dt.date]:
    """(financial year's first calendar year, quarter 1–4, the quarter's first day)."""
    start_year = day.year if day.month >= 4 else day.year - 1
    number = (day.month - 4) % 12 // 3 + 1
    month, _ = QUARTER_STARTS[number - 1]
    return start_year, number, dt.date(start_year + (1 if number == 4 else 0), month, 1)


def shares(weekly_pence: dict) -> dict:
    """Each provider's share of the total (exact fractions as Decimal; nobody: empty)."""
    total = sum(weekly_pence.values())
    return {key: Decimal(pence) / total for key, pence in weekly_pence.items()} if total else {}


def due(weekly_pence: dict, threshold: Decimal, day: dt.date, days_into_quarter: int) -> dict:
    """The providers due a review in the quarter of ``day``: {provider: (share, due date)}."""
    _, _, first = quarter_of(day)
    due_on = first + dt.timedelta(days=days_into_quarter)
    return {key: (share, due_on) for key, share in shares(weekly_pence).items() if share >= threshold}
