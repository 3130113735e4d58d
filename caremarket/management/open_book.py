"""Open-book cost-of-care returns: whether a return is complete, what it costs a unit of care
(an hour of home support, a week of a bed), and how that compares with the council's fee and
with providers of the same type and size.

Pure: figures in, decisions and reasons out. Money in pence; a cost a unit is rounded to whole
pence once, by the project's one rounding rule (``core.money.round_pence``).

Peers are shown only when there are at least ``PEERS_NEEDED`` of them, and then only as the
bands their lower quartile, median and upper quartile fall in (50p wide for an hour, £10 for a
week), never as exact figures. An exact quartile of a handful of providers is one provider's
own figure to the penny; a band holds many possible figures, so none can be worked back. The
quartiles are taken by nearest rank, so each is one peer's figure (never an average of two that
could be undone) and moving any one peer's figure by a penny either way leaves at least one
direction showing the same bands.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from caremarket.core.money import format_gbp, round_pence

PEERS_NEEDED = 5
BAND_PENCE = {"an hour": 50, "a bed a week": 1000}  # how wide a peer band is, by the unit of care
MOST_PENCE = 10**13  # £100 billion: a year's costs beyond this is a mistake in the units
SMALL_HOME_BEDS, LARGE_HOME_BEDS = 20, 50  # care homes: up to 20 beds small, over 50 large

LABELS = {
    "staff_costs_pence": "Care staff pay",
    "on_costs_pence": "On-costs (employer's National Insurance, pension, holiday, sickness, training time)",
    "overheads_pence": "Overheads (management, office, premises, travel, insurance, registration)",
    "surplus_pence": "Surplus (or deficit)",
    "units_delivered": "Care delivered",
    "occupancy_percent": "Occupancy",
    "beds": "Registered beds",
}


@dataclass(frozen=True)
class Figures:
    """A year's return as sent: every field may be missing."""

    staff_costs_pence: int | None
    on_costs_pence: int | None
    overheads_pence: int | None
    surplus_pence: int | None
    units_delivered: Decimal | None  # hours (home support) or bed-weeks filled (care homes)
    occupancy_percent: Decimal | None = None
    beds: int | None = None


def problems(figures: Figures, *, bed_based: bool) -> dict[str, str]:
    """What is missing or impossible, field by field (empty when the return is complete)."""
    found = {}
    required = ["staff_costs_pence", "on_costs_pence", "overheads_pence", "surplus_pence", "units_delivered"]
    if bed_based:
        required += ["occupancy_percent", "beds"]
    for name in required:
        if getattr(figures, name) is None:
            found[name] = f"Enter the {LABELS[name].split(' (')[0].lower()}"
    for name in ("staff_costs_pence", "on_costs_pence", "overheads_pence"):
        value = getattr(figures, name)
        if value is not None and not 0 <= value < MOST_PENCE:
            found[name] = f"{LABELS[name].split(' (')[0]} must be between £0 and £100 billion"
    if figures.surplus_pence is not None and abs(figures.surplus_pence) >= MOST_PENCE:
        found["surplus_pence"] = "Surplus must be less than £100 billion either way"
    if figures.units_delivered is not None and not Decimal(1) <= figures.units_delivered < Decimal(10**9):
        # At least an hour or a bed-week: a smaller figure is a mistake in the units, and every
        # cost a unit would be divided by next to nothing.
        found["units_delivered"] = "Care delivered must be at least 1 (an hour, or a bed-week)"
    if figures.occupancy_percent is not None and not Decimal(0) <= figures.occupancy_percent <= Decimal(100):
        found["occupancy_percent"] = "Occupancy must be between 0% and 100%"
    if not bed_based:
        for name in ("occupancy_percent", "beds"):
            if getattr(figures, name) is not None:
                found[name] = f"{LABELS[name]} is asked only of care homes: leave it out for this service"
    if figures.beds is not None and not 0 < figures.beds < 10_000:
        found["beds"] = "Registered beds must be a whole number more than 0"
    if not found and figures.staff_costs_pence == 0:
        found["staff_costs_pence"] = "Care staff pay cannot be £0 for a year in which care was delivered"
    if not found and total_costs(figures) + figures.surplus_pence < 0:
        found["surplus_pence"] = "A deficit cannot be larger than the year's costs (income would be below £0)"
    return found


def year_problem(year_label: str, year_ends: dt.date, today: dt.date) -> str | None:
    """A return is for a financial year that has ended: its accounts are not complete before."""
    if today <= year_ends:
        return f"The {year_label} financial year ends on {year_ends:%-d %B %Y}: send its return after that"
    return None


def total_costs(figures: Figures) -> int:
    return figures.staff_costs_pence + figures.on_costs_pence + figures.overheads_pence


@dataclass(frozen=True)
class UnitCosts:
    """What one unit of care costs, and what the provider charges for it (costs plus surplus)."""

    staff: int
    on_costs: int
    overheads: int
    surplus: int
    price: int

    COMPONENTS = (("staff", "Care staff pay"), ("on_costs", "On-costs"), ("overheads", "Overheads"),
                  ("surplus", "Surplus"), ("price", "Costs and surplus together"))


def unit_costs(figures: Figures) -> UnitCosts:
    """Each part of a complete return a unit of care delivered, in whole pence."""
    units = figures.units_delivered

    def each(pence: int) -> int:
        return round_pence(Decimal(pence) / units)

    return UnitCosts(each(figures.staff_costs_pence), each(figures.on_costs_pence), each(figures.overheads_pence),
                     each(figures.surplus_pence), each(total_costs(figures) + figures.surplus_pence))


@dataclass(frozen=True)
class Band:
    """From ``low`` up to, not including, ``high`` (pence)."""

    low: int
    high: int


@dataclass(frozen=True)
class Spread:
    lower_quartile: Band
    median: Band
    upper_quartile: Band
    count: int

    @property
    def bands(self) -> tuple[Band, Band, Band]:
        return self.lower_quartile, self.median, self.upper_quartile


def _nearest_rank(ordered: list[int], fraction: Fraction) -> int:
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


def spread(values: list[int], band_pence: int) -> Spread | None:
    """The bands the peers' quartiles fall in, or None when too few to show without identifying them."""
    if len(values) < PEERS_NEEDED:
        return None
    ordered = sorted(values)

    def band(fraction: Fraction) -> Band:
        low = _nearest_rank(ordered, fraction) // band_pence * band_pence
        return Band(low, low + band_pence)

    return Spread(band(Fraction(1, 4)), band(Fraction(1, 2)), band(Fraction(3, 4)), len(values))


def position(value: int, among: Spread | None) -> str:
    if among is None:
        return f"Fewer than {PEERS_NEEDED} similar providers: no comparison"
    if value < among.lower_quartile.low:
        return "Below most similar providers"
    if value >= among.upper_quartile.high:
        return "Above most similar providers"
    return "Like most similar providers"


@dataclass(frozen=True)
class Line:
    label: str
    own: int
    peers: Spread | None
    position: str


@dataclass(frozen=True)
class Comparison:
    lines: list[Line]
    fee_pence: int | None
    fee_said: str


def compare(own: UnitCosts, peers: list[UnitCosts], fee_pence: int | None, unit: str,
            fee_year: str = "") -> Comparison:
    """The provider's costs a unit beside its peers' and the council's fee for the service
    (``fee_year`` names the year of the fee when it is not the return's own)."""
    lines = []
    for name, label in UnitCosts.COMPONENTS:
        among = spread([getattr(p, name) for p in peers], BAND_PENCE[unit])
        lines.append(Line(label, getattr(own, name), among, position(getattr(own, name), among)))
    if fee_pence is None:
        said = "The council has no fixed fee for this service to compare with"
    else:
        gap = own.price - fee_pence
        said = (f"Costs and surplus come to {format_gbp(own.price)} {unit}, "
                + ("the same as" if gap == 0 else f"{format_gbp(abs(gap))} {'more' if gap > 0 else 'less'} than")
                + f" the council's {fee_year + ' ' if fee_year else ''}fee of {format_gbp(fee_pence)}")
    return Comparison(lines, fee_pence, said)


def size_band(*, bed_based: bool, beds: int | None, size_class: str | None) -> str:
    """Which providers count as the same size: home support by the framework's size class (its
    council-funded hours), care homes by their beds."""
    if bed_based:
        if beds is None:
            return "Care homes"
        if beds <= SMALL_HOME_BEDS:
            return f"Care homes of up to {SMALL_HOME_BEDS} beds"
        return (f"Care homes of {SMALL_HOME_BEDS + 1} to {LARGE_HOME_BEDS} beds" if beds <= LARGE_HOME_BEDS
                else f"Care homes of more than {LARGE_HOME_BEDS} beds")
    return f"{size_class.capitalize()} providers" if size_class else "Providers not yet sized"
