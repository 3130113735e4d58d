"""Checking a provider's offer and working out its weekly price. Pure.

Where the council pays a fixed fee (caremarket.fees) the provider does not name a price. Elsewhere the provider shows an
open-book breakdown (care staff hours and their hourly rate, on-costs, overheads and
surplus, each a week), and its total is the price.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import format_gbp, multiply

# A weekly price above this is taken for a typing mistake, not an offer (the dearest
# specialist placements cost a few thousand pounds a week).
MOST_A_WEEK_PENCE = 20_000_00
MOST_AN_HOUR_PENCE = 200_00


class OfferRefused(Exception):
    """An offer the tender can no longer take (after the deadline, or not invited)."""


class NotInvited(OfferRefused):
    """The provider was not asked to offer on this tender (to it, the tender is not there)."""


@dataclass(frozen=True)
class CostBreakdown:
    care_hours: Decimal
    hourly_rate_pence: int
    on_costs_pence: int
    overheads_pence: int
    surplus_pence: int

    @property
    def total_pence(self) -> int:
        return (multiply(self.hourly_rate_pence, self.care_hours) + self.on_costs_pence + self.overheads_pence
                + self.surplus_pence)

    def as_dict(self) -> dict:
        return {"care_hours": str(self.care_hours), "hourly_rate_pence": self.hourly_rate_pence,
                "on_costs_pence": self.on_costs_pence, "overheads_pence": self.overheads_pence,
                "surplus_pence": self.surplus_pence}


def check(*, confirms_needs: bool, outcomes_response: str, start_on: dt.date | None, earliest_start: dt.date,
          breakdown: CostBreakdown | None, fixed_weekly_pence: int | None, accommodation_price_pence: int = 0,
          accommodation_offered: str = "", accommodation_asked_for: bool = False) -> dict[str, str]:
    """What is wrong with an offer, by field (empty when nothing is).

    ``fixed_weekly_pence`` is the council's fixed fee for the care, or None where the provider
    prices it open book. Under a fixed fee a care home may also state a weekly price for the
    more expensive accommodation the citizen asked for (a larger room, a view): that price is
    what a third-party top-up can pay (tendering.choice), never the council.
    """
    errors = {}
    if not confirms_needs:
        errors["confirms_needs"] = "Confirm that you can meet the needs in the support plan"
    if not outcomes_response.strip():
        errors["outcomes_response"] = "Say how you will support the citizen's outcomes"
    if start_on is None:
        errors["start_on"] = "Enter the date you can start"
    elif start_on < earliest_start:
        errors["start_on"] = f"The start date cannot be before {earliest_start:%d %B %Y}, when the care is needed from"
    if fixed_weekly_pence is None:
        if breakdown is None:
            errors["cost_breakdown"] = "Give the open-book cost breakdown"
        else:
            errors.update(_check_breakdown(breakdown))
    elif breakdown is not None:
        errors["cost_breakdown"] = (f"This care is paid at the council's fixed fee of {format_gbp(fixed_weekly_pence)} "
                                    "a week: send no cost breakdown")
    if accommodation_price_pence:
        errors.update(_check_accommodation(accommodation_price_pence, accommodation_offered,
                                           fixed=fixed_weekly_pence is not None, asked_for=accommodation_asked_for))
    return errors


def _check_accommodation(price_pence: int, offered: str, *, fixed: bool, asked_for: bool) -> dict[str, str]:
    if not fixed:
        return {"accommodation_price_pence": "Include the accommodation in your open-book price"}
    if not asked_for:
        return {"accommodation_price_pence": "The citizen has not asked for more expensive accommodation: offer at "
                                             "the council's fixed fee"}
    if price_pence < 0:
        return {"accommodation_price_pence": "The accommodation price cannot be negative"}
    if price_pence > MOST_A_WEEK_PENCE:
        return {"accommodation_price_pence": f"The accommodation price cannot be more than "
                                             f"{format_gbp(MOST_A_WEEK_PENCE)} a week"}
    if not offered.strip():
        return {"accommodation_offered": "Say what accommodation this price is for"}
    return {}


def _check_breakdown(b: CostBreakdown) -> dict[str, str]:
    errors = {}
    if b.care_hours <= 0:
        errors["care_hours"] = "Care staff hours a week must be more than 0"
    elif b.care_hours > 24 * 7 * 4:
        errors["care_hours"] = "Care staff hours a week cannot be more than 672 (four staff round the clock)"
    if b.hourly_rate_pence <= 0:
        errors["hourly_rate_pence"] = "The hourly rate must be more than £0"
    elif b.hourly_rate_pence > MOST_AN_HOUR_PENCE:
        errors["hourly_rate_pence"] = f"The hourly rate cannot be more than {format_gbp(MOST_AN_HOUR_PENCE)}"
    for name, label in (("on_costs_pence", "On-costs"), ("overheads_pence", "Overheads"),
                        ("surplus_pence", "Surplus")):
        if getattr(b, name) < 0:
            errors[name] = f"{label} cannot be negative"
    if not errors and b.total_pence > MOST_A_WEEK_PENCE:
        errors["cost_breakdown"] = (f"A weekly price of {format_gbp(b.total_pence)} is more than "
                                    f"{format_gbp(MOST_A_WEEK_PENCE)}: check the figures")
    return errors
