"""The annual price review: next year's fee schedule from this year's, by a stated method. Pure.

The 2018 commissioning strategy ("Price review methodology") names the inputs: CPI and
CPIH, the National Living Wage change, pension and National Insurance changes, regional
prices, providers' open-book returns, the sustainability of the market and affordability.
Caremarket turns them into an uplift per service type by one documented formula:

    pressure = staff share × (NLW change + pension and NI change)
             + (1 − staff share) × the chosen inflation index (CPIH unless the council picks CPI)

where the staff share is the part of a provider's costs that is care staff pay, taken from
the open-book returns for that service. The uplift is the pressure, never below 0 (fees do
not fall in a review) and never above the affordability cap the council sets for the year;
it is rounded to two decimal places of a percent, halves up. A commissioner may set a
service's uplift by hand with a recorded reason (say, after the regional comparison).

Each rate of the year is then raised by its service's uplift and rounded once to the penny;
the new schedule starts on 1 April. NHS-funded nursing care is set by the NHS, not here.
Providers not on the current contract, out-of-city placements and historic packages keep
their fee: ``next_year_price`` applies that to a package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from caremarket.core.money import format_gbp, round_pence

from . import pricing

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Inputs:
    cpi_percent: Decimal
    cpih_percent: Decimal
    nlw_change_percent: Decimal
    pension_ni_percent: Decimal  # the change in employers' pension and NI costs, as a percent of pay
    affordability_cap_percent: Decimal
    staff_share: dict[str, Decimal]  # service code → share of costs that is care staff pay (0–1)
    index: str = "cpih"  # or "cpi"
    regional_percent: Decimal | None = None  # neighbouring councils' average fee change, for comparison
    open_book_percent: dict[str, Decimal] = field(default_factory=dict)  # providers' reported cost change


@dataclass(frozen=True)
class Override:
    percent: Decimal
    reason: str


@dataclass(frozen=True)
class ServiceUplift:
    service: str
    percent: Decimal
    reasons: tuple[str, ...]


def _percent(value: Decimal) -> str:
    return f"{value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)}%"


def service_uplift(service: str, inputs: Inputs, override: Override | None = None) -> ServiceUplift:
    index_name = "CPI" if inputs.index == "cpi" else "CPIH"
    index = inputs.cpi_percent if inputs.index == "cpi" else inputs.cpih_percent
    share = inputs.staff_share.get(service)
    if share is None:
        raise ValueError(f"No staff share is given for {service}: take it from the open-book returns")
    if not 0 <= share <= 1:
        raise ValueError(f"The staff share for {service} must be between 0 and 1")
    pay = inputs.nlw_change_percent + inputs.pension_ni_percent
    pressure = share * pay + (1 - share) * index
    reasons = [f"Staff costs are {share * 100:.0f}% of costs; pay pressure is {_percent(pay)} "
               f"(National Living Wage {_percent(inputs.nlw_change_percent)} + pension and NI "
               f"{_percent(inputs.pension_ni_percent)}); other costs follow {index_name} at {_percent(index)}. "
               f"Pressure: {share} × {_percent(pay)} + {1 - share} × {_percent(index)} = {_percent(pressure)}."]
    uplift = max(Decimal(0), pressure)
    if uplift > inputs.affordability_cap_percent:
        uplift = inputs.affordability_cap_percent
        reasons.append(f"Capped at the affordability limit of {_percent(uplift)}.")
    if service in inputs.open_book_percent:
        reasons.append(f"For comparison, providers' open-book returns show costs changing by "
                       f"{_percent(inputs.open_book_percent[service])}.")
    if inputs.regional_percent is not None:
        reasons.append(f"Neighbouring councils' fees changed by {_percent(inputs.regional_percent)} on average.")
    if override is not None:
        uplift = override.percent
        reasons.append(f"Set by the commissioner at {_percent(uplift)}: {override.reason}")
    return ServiceUplift(service, uplift.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), tuple(reasons))


def raise_by(pence: int, percent: Decimal) -> int:
    return round_pence(Decimal(pence) * (100 + percent) / 100)


@dataclass(frozen=True)
class Review:
    schedule: pricing.Schedule
    uplifts: dict[str, ServiceUplift]


def next_schedule(current: pricing.Schedule, inputs: Inputs, *, name: str, starts_on: dt.date,
                  overrides: dict[str, Override] | None = None) -> Review:
    """Next year's schedule: the rates in force at the end of this year, each raised by its service's uplift."""
    overrides = overrides or {}
    last_day = starts_on - dt.timedelta(days=1)
    in_force = {}
    for rate in current.rates:
        if rate.kind == pricing.Kind.FNC:
            continue
        key = (rate.service, rate.kind, rate.age_band, rate.need_level)
        latest = current.rate(rate.service, rate.kind, last_day, band=rate.age_band, need_level=rate.need_level)
        if latest is not None and latest.age_band == rate.age_band:
            in_force[key] = latest
    services = sorted({rate.service for rate in in_force.values()})
    uplifts = {s: service_uplift(s, inputs, overrides.get(s)) for s in services}
    rates = tuple(pricing.Rate(r.service, r.kind, r.unit, raise_by(r.pence, uplifts[r.service].percent),
                               r.age_band, r.need_level, None) for r in in_force.values())
    return Review(pricing.Schedule(name, starts_on, rates, dict(current.quality_uplifts)), uplifts)


UNCHANGED_BASES = {"existing fee", "host authority rate", "minimum rate"}


def next_year_price(basis: str, weekly_pence: int, placement: pricing.Placement, review: Review) -> pricing.PriceDecision:
    """A package's price from 1 April: fixed fees from the new schedule, open-book prices raised by the
    service's uplift; providers off the contract, out-of-city and historic packages keep their fee."""
    if basis in UNCHANGED_BASES or not placement.on_current_contract:
        return pricing.PriceDecision(weekly_pence, None, basis, (
            f"No uplift: a package paid at its {basis} keeps {format_gbp(weekly_pence)} a week.",))
    if basis == "open book":
        uplift = review.uplifts.get(placement.service)
        percent = uplift.percent if uplift else Decimal(0)
        weekly = raise_by(weekly_pence, percent)
        return pricing.PriceDecision(weekly, None, "open book", (
            f"The open-book price of {format_gbp(weekly_pence)} a week is raised by the {review.schedule.name} "
            f"uplift of {_percent(percent)} to {format_gbp(weekly)} a week.",))
    return pricing.price(placement, review.schedule)
