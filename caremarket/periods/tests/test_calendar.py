import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.periods.calendar import (
    check_periods, england_bank_holidays, financial_year_of, first_period_start, propose_periods,
    working_day_on_or_before,
)

years = st.integers(min_value=2000, max_value=2090)


def test_the_financial_year_runs_from_1_april():
    assert financial_year_of(dt.date(2027, 3, 31)) == 2026
    assert financial_year_of(dt.date(2027, 4, 1)) == 2027


@given(years)
def test_a_year_has_thirteen_four_week_periods_monday_to_sunday(year):
    periods = propose_periods(year)
    assert [p.number for p in periods] == list(range(1, 14))
    assert check_periods(periods) == []
    assert all(p.start.weekday() == 0 and p.end.weekday() == 6 for p in periods)
    assert all(p.days == 28 for p in periods[:12])
    assert periods[12].days in (28, 35)


@given(years)
def test_periods_follow_on_from_one_year_to_the_next_and_stay_near_1_april(year):
    this, following = propose_periods(year), propose_periods(year + 1)
    assert following[0].start == this[-1].end + dt.timedelta(days=1)
    assert abs((first_period_start(year) - dt.date(year, 4, 1)).days) <= 3


@given(years)
def test_payment_dates_are_working_days_after_the_period_ends(year):
    holidays = england_bank_holidays(range(year, year + 3))
    for period in propose_periods(year):
        assert period.payment_date > period.end
        assert period.payment_date.weekday() < 5
        assert period.payment_date not in holidays


def test_a_payment_day_on_a_bank_holiday_or_weekend_moves_to_the_working_day_before():
    holidays = england_bank_holidays([2025])
    assert working_day_on_or_before(dt.date(2025, 12, 25), holidays) == dt.date(2025, 12, 24)
    assert working_day_on_or_before(dt.date(2025, 12, 28), holidays) == dt.date(2025, 12, 24)


def test_a_broken_table_is_explained():
    periods = propose_periods(2026)
    broken = periods[:5] + periods[6:]
    problems = check_periods(broken)
    assert "a year has 13 payment periods, not 12" in problems
    assert "period 7 does not start the day after period 5 ends" in problems
