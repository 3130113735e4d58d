"""What is unusual about a payment run, told to the person about to post it. Pure.

Posting is final: the lines are paid on the period's payment date and the run never changes
again (later corrections are lines in the next run). So the check page before posting says
what will happen and, where the run is unusual, why; each warning must be acknowledged
before the run is posted, and the warnings are recorded with the posting. A run is unusual:

- when it is posted before its period ends: days not yet reached are paid as planned, and
  anything that changes them is put right in the next run;
- when queries on its invoices are not settled: those visits wait for the next run;
- when package changes from the period wait for approval: the run pays the old terms;
- when its total is far from the last posted run's: more than ``FAR_PERCENT`` (25%) higher
  or lower. A period's run is mostly the same packages as the last one, so a change that
  large usually means something was left out or counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from caremarket.core.money import format_gbp

FAR_PERCENT = Decimal(25)


@dataclass(frozen=True)
class RunFacts:
    period_ends_on: dt.date
    today: dt.date
    unsettled_queries: int
    changes_waiting: int
    total_pence: int
    last_total_pence: int | None = None  # the last posted run's, if there is one
    last_label: str = ""


def change_percent(total_pence: int, last_total_pence: int | None) -> Decimal | None:
    """How far this run's total is from the last one's, as a percentage of the last (to 0.1)."""
    if not last_total_pence:
        return None
    change = Decimal(total_pence - last_total_pence) * 100 / Decimal(last_total_pence)
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def warnings(facts: RunFacts) -> list[str]:
    found = []
    if facts.today <= facts.period_ends_on:
        days = (facts.period_ends_on - facts.today).days + 1
        found.append(f"The period has not ended: {days} day{'s' if days != 1 else ''} of care, to "
                     f"{facts.period_ends_on.day} {facts.period_ends_on:%B %Y}, will be paid as planned before they are given.")
    if facts.unsettled_queries:
        found.append(f"{facts.unsettled_queries} payment quer{'ies are' if facts.unsettled_queries != 1 else 'y is'} "
                     "not settled: those visits are not in this run and wait for the next one.")
    if facts.changes_waiting:
        found.append(f"{facts.changes_waiting} package change{'s are' if facts.changes_waiting != 1 else ' is'} "
                     "waiting for approval: this run pays those packages as they were.")
    percent = change_percent(facts.total_pence, facts.last_total_pence)
    if percent is not None and abs(percent) > FAR_PERCENT:
        way = "more" if percent > 0 else "less"
        found.append(f"The total, {format_gbp(facts.total_pence)}, is {abs(percent)}% {way} than the last run "
                     f"({facts.last_label}: {format_gbp(facts.last_total_pence)}); more than {FAR_PERCENT}% either "
                     "way is unusual.")
    return found
