"""What the council pays for a care package, from the fee schedule. Pure.

The rules (2018 commissioning strategy, "Pricing"; domain guide §4), in the order they apply:

1. A provider not on the current contract keeps the fee it had, with no uplift.
2. An out-of-city placement is paid the host authority's rate where it is known.
3. A historic residential package for someone under 65 keeps its fee until a social
   work review, but never less than the minimum rate.
4. A fixed fee (home support and supported living an hour, residential and nursing care
   for over-65s a week), plus any enhancement for the service (Quick Discharge, Sensory
   Loss; the enhanced services are paid the home-support fee plus it), plus any quality-linked uplift for the provider's rating.
5. Elsewhere (learning disability, mental health, 18–64 physical disability) the
   provider's open-book cost sets the price, compared with the guide price for the level
   of need.

An hourly rate is rounded once to the penny; the weekly price is that rate × the weekly
hours, rounded once (caremarket.core.money).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from caremarket.core.money import format_gbp, multiply, round_pence

ALL_AGES, WORKING_AGE, OLDER = "all", "18-64", "65+"
HOUR, WEEK = "hour", "week"
HOME_SUPPORT = "home-support"


class Kind:
    FIXED = "fixed"              # the fee for a service
    ENHANCEMENT = "enhancement"  # paid on top of the home-support fee (Quick Discharge, Sensory Loss)
    GUIDE = "guide"              # the guide price for a level of need (open-book services)
    MINIMUM = "minimum"          # the floor for historic residential packages
    FNC = "fnc"                  # NHS-funded nursing care: recorded, paid by the NHS
    DIRECT_PAYMENT = "direct_payment"  # the home-support agency rate for direct payments


class NoPrice(Exception):
    """The schedule has no fee for this package: the reason says what is missing."""


def age_band(date_of_birth: dt.date, on: dt.date) -> str:
    age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return OLDER if age >= 65 else WORKING_AGE


@dataclass(frozen=True)
class Rate:
    service: str  # a service type code
    kind: str
    unit: str
    pence: int
    age_band: str = ALL_AGES
    need_level: str = ""
    effective_from: dt.date | None = None  # None: the schedule's first day

    @property
    def label(self) -> str:
        return f"{format_gbp(self.pence)} {'an hour' if self.unit == HOUR else 'a week'}"


@dataclass(frozen=True)
class Schedule:
    name: str  # e.g. "2026/27"
    starts_on: dt.date
    rates: tuple[Rate, ...]
    quality_uplifts: dict[int, Decimal] = field(default_factory=dict)  # rating → percent added to fixed fees

    def rate(self, service: str, kind: str, on: dt.date, *, band: str = ALL_AGES, need_level: str = "") -> Rate | None:
        """The rate in force on ``on``: the latest effective one, for the age band before all ages."""
        for wanted in (band, ALL_AGES):
            candidates = [r for r in self.rates
                          if r.service == service and r.kind == kind and r.age_band == wanted
                          and r.need_level == need_level and (r.effective_from or self.starts_on) <= on]
            if candidates:
                return max(candidates, key=lambda r: r.effective_from or self.starts_on)
        return None


@dataclass(frozen=True)
class Placement:
    """What a package's price depends on."""

    service: str
    age_band: str
    on: dt.date
    service_name: str = ""  # for the reasons; the code when blank
    weekly_hours: Decimal | None = None
    rating: int | None = None  # the provider's published rating for the service
    need_level: str = ""
    open_book_weekly_pence: int | None = None
    host_authority: str = ""
    host_rate: Rate | None = None  # the host authority's rate, where it is known
    existing_weekly_pence: int | None = None  # what it is paid now (historic or off-contract packages)
    on_current_contract: bool = True
    historic: bool = False


@dataclass(frozen=True)
class PriceDecision:
    weekly_pence: int
    hourly_pence: int | None
    basis: str
    reasons: tuple[str, ...]
    guide_weekly_pence: int | None = None

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def _name(placement: Placement) -> str:
    return placement.service_name or placement.service


def _weekly(rate_pence: int, unit: str, placement: Placement) -> int:
    if unit == WEEK:
        return rate_pence
    if not placement.weekly_hours:
        raise NoPrice("An hourly fee needs the weekly hours of care")
    return multiply(rate_pence, placement.weekly_hours)


def _hours(placement: Placement) -> str:
    return f"{placement.weekly_hours.normalize():f} hours a week"


def fixed_rate(schedule: Schedule, service: str, on: dt.date, band: str) -> Rate | None:
    """The fixed fee a service is paid at; an enhanced home-support service (Quick Discharge,
    Sensory Loss) is paid the home-support fee, plus its enhancement. None: priced open book."""
    fixed = schedule.rate(service, Kind.FIXED, on, band=band)
    if fixed is None and schedule.rate(service, Kind.ENHANCEMENT, on, band=band):
        fixed = schedule.rate(HOME_SUPPORT, Kind.FIXED, on, band=band)
    return fixed


def price(placement: Placement, schedule: Schedule) -> PriceDecision:
    p, on = placement, placement.on
    if not p.on_current_contract:
        if p.existing_weekly_pence is None:
            raise NoPrice("A provider not on the current contract keeps its existing fee, and none is recorded")
        return PriceDecision(p.existing_weekly_pence, None, "existing fee", (
            f"The provider is not on the current contract, so it keeps its existing fee of "
            f"{format_gbp(p.existing_weekly_pence)} a week with no uplift.",))
    if p.host_rate is not None:
        weekly = _weekly(p.host_rate.pence, p.host_rate.unit, p)
        hourly = p.host_rate.pence if p.host_rate.unit == HOUR else None
        return PriceDecision(weekly, hourly, "host authority rate", (
            f"Out-of-city placement: {p.host_authority or 'the host authority'}'s rate of {p.host_rate.label} "
            f"applies{' for ' + _hours(p) if hourly else ''}, with no automatic uplift.",))
    if p.historic:
        minimum = schedule.rate(p.service, Kind.MINIMUM, on, band=p.age_band)
        if p.existing_weekly_pence is None:
            raise NoPrice("A historic package keeps its existing fee, and none is recorded")
        if minimum and minimum.pence > p.existing_weekly_pence:
            return PriceDecision(minimum.pence, None, "minimum rate", (
                f"A historic package keeps its fee until its social work review, but not below the minimum rate: "
                f"{format_gbp(p.existing_weekly_pence)} a week is raised to {minimum.label} ({schedule.name}).",))
        return PriceDecision(p.existing_weekly_pence, None, "existing fee", (
            f"A historic package keeps its fee of {format_gbp(p.existing_weekly_pence)} a week until its social "
            f"work review" + (f" (above the minimum rate of {minimum.label})." if minimum else "."),))
    fixed = fixed_rate(schedule, p.service, on, p.age_band)
    if fixed is not None:
        return _fixed_fee(p, schedule, fixed)
    guide = schedule.rate(p.service, Kind.GUIDE, on, band=p.age_band, need_level=p.need_level)
    if p.open_book_weekly_pence is not None:
        return _open_book(p, schedule, guide)
    if guide is not None:
        raise NoPrice(f"The price is set by the provider's open-book costs (guide price {guide.label}); "
                      "none were given")
    raise NoPrice(f"The {schedule.name} fee schedule has no fee for {_name(p)} ({p.age_band}) "
                  f"on {on:%d %B %Y}")


def _fixed_fee(p: Placement, schedule: Schedule, fixed: Rate) -> PriceDecision:
    ages = "all ages" if fixed.age_band == ALL_AGES else fixed.age_band
    what = _name(p) if fixed.service == p.service else "home support"
    reasons = [f"The {schedule.name} fixed fee for {what} ({ages}) is {fixed.label}."]
    rate = Decimal(fixed.pence)
    enhancement = schedule.rate(p.service, Kind.ENHANCEMENT, p.on, band=p.age_band)
    if enhancement is not None:
        rate += enhancement.pence
        reasons.append(f"The {_name(p)} enhancement adds {enhancement.label}.")
    uplift = schedule.quality_uplifts.get(p.rating) if p.rating is not None else None
    if uplift:
        extra = rate * uplift / 100
        rate += extra
        reasons.append(f"The provider's quality rating earns a {uplift.normalize():f}% uplift.")
    rate_pence = round_pence(rate)
    weekly = _weekly(rate_pence, fixed.unit, p)
    if fixed.unit == HOUR:
        reasons.append(f"{format_gbp(rate_pence)} an hour × {_hours(p)} = {format_gbp(weekly)} a week.")
        return PriceDecision(weekly, rate_pence, "fixed fee", tuple(reasons))
    if rate_pence != fixed.pence:
        reasons.append(f"{format_gbp(weekly)} a week.")
    return PriceDecision(weekly, None, "fixed fee", tuple(reasons))


def _open_book(p: Placement, schedule: Schedule, guide: Rate | None) -> PriceDecision:
    weekly = p.open_book_weekly_pence
    reasons = [f"The provider's open-book costs set the price: {format_gbp(weekly)} a week."]
    guide_weekly = None
    if guide is not None:
        guide_weekly = _weekly(guide.pence, guide.unit, p)
        difference = weekly - guide_weekly
        percent = (Decimal(abs(difference)) * 100 / guide_weekly).quantize(Decimal("0.1")) if guide_weekly else 0
        level = f"{p.need_level} needs" if p.need_level else "this service"
        if difference == 0:
            reasons.append(f"That is the {schedule.name} guide price for {level}.")
        else:
            reasons.append(f"That is {format_gbp(abs(difference))} ({percent}%) {'above' if difference > 0 else 'below'} "
                           f"the {schedule.name} guide price for {level} of {format_gbp(guide_weekly)} a week.")
    return PriceDecision(weekly, None, "open book", tuple(reasons), guide_weekly)


def direct_payment_rate(schedule: Schedule, on: dt.date, service: str = HOME_SUPPORT) -> Rate | None:
    """The published agency rate for citizens taking their personal budget as a direct payment."""
    return schedule.rate(service, Kind.DIRECT_PAYMENT, on)
