"""What is unusual about publishing a fee schedule, told to the person about to publish it. Pure.

Once published, a schedule prices every new placement from its 1 April and cannot be changed,
and next year's prices are put on the packages from it. So the check page says what will
happen and where the schedule is unusual against the last published one:

- it is published after its year has begun: placements made since 1 April were priced by the
  last schedule;
- a rate the last schedule had is missing: that care has no council fee in the new year;
- a rate is lower than last year's: providers are paid less for the same care;
- a rate rises by more than ``BIG_RISE_PERCENT`` (15%): the annual review's inflation uplift
  is a few per cent, so a larger rise is usually a typing slip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from caremarket.core.money import format_gbp

BIG_RISE_PERCENT = Decimal(15)


@dataclass(frozen=True)
class RateChange:
    label: str  # what the rate is for, in words ("Residential care, fixed fee, a week")
    was_pence: int | None  # None: new this year
    now_pence: int | None  # None: missing this year


@dataclass(frozen=True)
class PublishFacts:
    starts_on: dt.date
    today: dt.date
    rates: list[RateChange] = field(default_factory=list)


def rise_percent(change: RateChange) -> Decimal | None:
    if not change.was_pence or change.now_pence is None:
        return None
    return (Decimal(change.now_pence - change.was_pence) * 100 / change.was_pence).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)


def warnings(facts: PublishFacts) -> list[str]:
    found = []
    if facts.today > facts.starts_on:
        found.append(f"The year began on {facts.starts_on.day} {facts.starts_on:%B %Y}: placements made since then were priced by "
                     "the last schedule.")
    for change in facts.rates:
        rise = rise_percent(change)
        if change.now_pence is None:
            found.append(f"{change.label}: last year's rate ({format_gbp(change.was_pence)}) is missing, so this "
                         "care has no council fee in the new year.")
        elif rise is not None and rise < 0:
            found.append(f"{change.label}: {format_gbp(change.now_pence)}, lower than last year's "
                         f"{format_gbp(change.was_pence)} ({rise}%).")
        elif rise is not None and rise > BIG_RISE_PERCENT:
            found.append(f"{change.label}: {format_gbp(change.now_pence)}, {rise}% more than last year's "
                         f"{format_gbp(change.was_pence)}; more than {BIG_RISE_PERCENT}% is unusual.")
    return found
