import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.periods.calendar import (
    PAYMENT_WORKING_DAYS_AFTER_END, check_periods, england_bank_holidays, financial_year_of, is_working_day,
    propose_periods, working_days_after,
)

years = st.integers(min_value=2000, max_value=2090)


def test_the_financial_year_runs_from_1_april():
    assert financial_year_of(dt.date(2027, 3, 31)) == 2026
    assert financial_year_of(dt.date(2027, 4, 1)) == 2027


@given(years)
def test_a_year_has_thirteen_periods_of_four_weeks_filling_1_april_to_31_march(year):
    periods = propose_periods(year)
    assert [p.number for p in periods] == list(range(1, 14))
    assert check_periods(periods) == []
    assert periods[0].start == dt.date(year, 4, 1) and periods[-1].end == dt.date(year + 1, 3, 31)
    assert all(p.days == 28 for p in periods[:12])
    leap = (dt.date(year + 1, 3, 1) - dt.date(year + 1, 2, 1)).days == 29
    assert periods[12].days == (30 if leap else 29)
    assert sum(p.days for p in periods) == (366 if leap else 365)


@given(years)
def test_periods_follow_on_from_one_year_to_the_next(year):
    assert propose_periods(year + 1)[0].start == propose_periods(year)[-1].end + dt.timedelta(days=1)


@given(years)
def test_each_period_is_paid_on_the_fifth_working_day_after_it_ends(year):
    holidays = england_bank_holidays(range(year, year + 3))
    for period in propose_periods(year):
        assert is_working_day(period.payment_date, holidays)
        working = [period.end + dt.timedelta(days=n) for n in range(1, (period.payment_date - period.end).days + 1)]
        assert sum(is_working_day(day, holidays) for day in working) == PAYMENT_WORKING_DAYS_AFTER_END


def test_bank_holidays_and_weekends_push_the_payment_day_back():
    holidays = england_bank_holidays([2025, 2026])
    # Ends Tuesday 23 December 2025: Christmas Day, Boxing Day and the weekend are skipped.
    assert working_days_after(dt.date(2025, 12, 23), 5, holidays) == dt.date(2026, 1, 2)
    # 2026/27 period 1 ends Tuesday 28 April; paid Wednesday 6 May (Monday 4 May is a bank holiday).
    assert propose_periods(2026)[0].payment_date == dt.date(2026, 5, 6)


def test_a_broken_table_is_explained():
    periods = propose_periods(2026)
    broken = periods[:5] + periods[6:]
    problems = check_periods(broken)
    assert "a year has 13 payment periods, not 12" in problems
    assert "period 7 does not start the day after period 5 ends" in problems
