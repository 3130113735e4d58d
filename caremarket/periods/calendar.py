"""The UK financial year and the council's four-week payment periods, as pure rules.

- The financial year runs 1 April – 31 March; it is named by the year it starts in
  (2026 is 2026/27).
- A year has 13 payment periods of four weeks, Monday to Sunday. Period 1 starts on the
  Monday nearest 1 April, so periods never drift from the financial year; when the
  following year's period 1 is five weeks away, period 13 is five weeks long (a
  "53-week year").
- Each period is paid on the Thursday after it ends, or the working day before that
  when that Thursday is a bank holiday in England.

The council publishes the proposed table before 1 April (periods.models); once
published, the table — not this module — is what payments follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

PERIODS_PER_YEAR = 13
PERIOD_DAYS = 28
PAYMENT_DAYS_AFTER_END = 4  # the Sunday a period ends → the Thursday after


def financial_year_of(day: dt.date) -> int:
    """The financial year a date falls in, named by its starting year."""
    return day.year if day >= dt.date(day.year, 4, 1) else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def first_period_start(start_year: int) -> dt.date:
    """The Monday nearest 1 April of ``start_year``."""
    april_first = dt.date(start_year, 4, 1)
    offset = april_first.weekday()  # Monday 0 … Sunday 6
    return april_first - dt.timedelta(days=offset) if offset <= 3 else april_first + dt.timedelta(days=7 - offset)


def england_bank_holidays(years) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def working_day_on_or_before(day: dt.date, bank_holidays) -> dt.date:
    while day.weekday() >= 5 or day in bank_holidays:
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Period:
    number: int
    start: dt.date
    end: dt.date
    payment_date: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def propose_periods(start_year: int) -> list[Period]:
    """The 13 payment periods of a financial year."""
    start = first_period_start(start_year)
    next_year_start = first_period_start(start_year + 1)
    bank_holidays = england_bank_holidays(range(start_year, start_year + 3))
    periods = []
    for number in range(1, PERIODS_PER_YEAR + 1):
        end = (
            next_year_start - dt.timedelta(days=1)
            if number == PERIODS_PER_YEAR
            else start + dt.timedelta(days=PERIOD_DAYS - 1)
        )
        payment = working_day_on_or_before(end + dt.timedelta(days=PAYMENT_DAYS_AFTER_END), bank_holidays)
        periods.append(Period(number, start, end, payment))
        start = end + dt.timedelta(days=1)
    return periods


def check_periods(periods: list[Period]) -> list[str]:
    """What is wrong with a table of periods (an empty list when it can be published)."""
    problems = []
    if len(periods) != PERIODS_PER_YEAR:
        problems.append(f"a year has {PERIODS_PER_YEAR} payment periods, not {len(periods)}")
    for before, after in zip(periods, periods[1:]):
        if after.start != before.end + dt.timedelta(days=1):
            problems.append(f"period {after.number} does not start the day after period {before.number} ends")
    for period in periods:
        if period.end < period.start:
            problems.append(f"period {period.number} ends before it starts")
        if period.payment_date <= period.end:
            problems.append(f"period {period.number} is paid before it ends")
    return problems
