"""What is unusual about an award, told to the broker about to make it. Pure.

An award creates the care package, tells every provider that offered, and takes the
requirement out of the queue; it is not undone (a wrong award is ended and placed again). So
the check page before it says what will happen and, where the award is unusual, why:

- only one provider offered: nothing was compared;
- the care was due to start on a day already past: the provider starts late, or has started
  without a package;
- the winner's weekly price is above the council's fixed fee for this care (where there is
  one): the fee schedule says what the council pays, so a higher price needs a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caremarket.core.money import format_gbp


@dataclass(frozen=True)
class AwardFacts:
    offers: int  # offers eligible to win
    start_on: dt.date
    today: dt.date
    weekly_price_pence: int
    fixed_fee_pence: int | None = None


def warnings(facts: AwardFacts) -> list[str]:
    found = []
    if facts.offers == 1:
        found.append("Only one provider made an offer that can win: nothing was compared.")
    if facts.start_on < facts.today:
        found.append(f"The care was due to start on {facts.start_on.day} {facts.start_on:%B %Y}, which has passed.")
    if facts.fixed_fee_pence is not None and facts.weekly_price_pence > facts.fixed_fee_pence:
        found.append(f"The winning price, {format_gbp(facts.weekly_price_pence)} a week, is above the council's "
                     f"fixed fee for this care ({format_gbp(facts.fixed_fee_pence)} a week).")
    return found
