"""The UK financial year and the council's four-week payment periods, as pure rules.

- The financial year runs 1 April – 31 March; it is named by the year it starts in
  (2026 is 2026/27).
- A year has 13 payment periods. Period 1 starts on 1 April; periods 1 to 12 are four
  weeks (28 days); period 13 runs to 31 March (29 days, or 30 in a leap year). So no period
  ever straddles two financial years, and a year's spend is the sum of its periods.
- Each period is paid on the fifth working day after it ends (weekends and England's
  bank holidays are not working days).

The council publishes the proposed table before 1 April (periods.models); once
published, the table — not this module — is what payments follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

PERIODS_PER_YEAR = 13
PERIOD_DAYS = 28
PAYMENT_WORKING_DAYS_AFTER_END = 5


def financial_year_of(day: dt.date) -> int:
    """The financial year a date falls in, named by its starting year."""
    return day.year if day >= dt.date(day.year, 4, 1) else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def england_bank_holidays(years) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def is_working_day(day: dt.date, bank_holidays) -> bool:
    return day.weekday() < 5 and day not in bank_holidays


def working_days_after(day: dt.date, count: int, bank_holidays) -> dt.date:
    """The ``count``-th working day after ``day``."""
    while count:
        day += dt.timedelta(days=1)
        count -= is_working_day(day, bank_holidays)
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
    start, year_end = financial_year_bounds(start_year)
    bank_holidays = england_bank_holidays(range(start_year, start_year + 2))
    periods = []
    for number in range(1, PERIODS_PER_YEAR + 1):
        end = year_end if number == PERIODS_PER_YEAR else start + dt.timedelta(days=PERIOD_DAYS - 1)
        payment = working_days_after(end, PAYMENT_WORKING_DAYS_AFTER_END, bank_holidays)
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
