"""The retention rule on its own: periods, the day a period has passed, a citizen's last service."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.privacy.retention_rules import cut_off, has_passed, last_service, period_problems, period_words

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
years = st.integers(min_value=0, max_value=100)
months = st.integers(min_value=0, max_value=11)


@pytest.mark.parametrize("today, period, expected", [
    (dt.date(2034, 6, 15), (8, 0), dt.date(2026, 6, 15)),
    (dt.date(2029, 2, 28), (1, 0), dt.date(2028, 2, 28)),
    (dt.date(2028, 2, 29), (1, 0), dt.date(2027, 2, 28)),  # no 29 February: the month's last day
    (dt.date(2027, 3, 31), (0, 1), dt.date(2027, 2, 28)),
    (dt.date(2027, 1, 15), (0, 3), dt.date(2026, 10, 15)),  # across the turn of the year
])
def test_a_period_counts_back_by_calendar_years_and_months(today, period, expected):
    assert cut_off(today, *period) == expected


@pytest.mark.parametrize("years, months, problem", [
    (-1, 0, "Years must be a whole number, 0 or more"),
    (101, 0, "Years must be 100 or fewer"),
    (1, 12, "Months must be a whole number from 0 to 11"),
    (1, -1, "Months must be a whole number from 0 to 11"),
    (0, 0, "A period must be at least a month: a record is never deleted the day it is made"),
    ("8", 0, "Years must be a whole number, 0 or more"),
])
def test_a_period_that_is_not_one_is_refused_with_what_is_wrong(years, months, problem):
    assert problem in period_problems(years, months)
    with pytest.raises(ValueError, match=problem.split(":")[0]):
        cut_off(dt.date(2030, 1, 1), years, months)


@given(days, days, years, months)
def test_a_record_has_passed_exactly_when_its_event_is_on_or_before_the_cut_off(event, today, y, m):
    if y == m == 0:
        return
    assert has_passed(event, today, y, m) == (event <= cut_off(today, y, m))


@given(days, years, months)
def test_the_cut_off_is_never_after_today_and_a_longer_period_never_removes_more(today, y, m):
    if y == m == 0:
        return
    assert cut_off(today, y, m) < today
    if y < 100:
        assert cut_off(today, y + 1, m) < cut_off(today, y, m)


@given(days, st.integers(min_value=1, max_value=100))
def test_whole_years_keep_the_day_of_the_month_where_it_exists(today, y):
    back = cut_off(today, y)
    assert back.year == today.year - y and back.month == today.month
    assert back.day == today.day or (today.month, today.day) == (2, 29)


def test_a_citizen_is_counted_from_their_last_service_and_never_while_care_is_open():
    assert last_service([dt.date(2027, 5, 1), dt.date(2029, 1, 31)], [dt.date(2026, 4, 1)]) == dt.date(2029, 1, 31)
    assert last_service([], [dt.date(2026, 4, 1), dt.date(2030, 2, 2)]) == dt.date(2030, 2, 2)
    assert last_service([dt.date(2027, 5, 1), None], [dt.date(2026, 4, 1)]) is None
    assert last_service([], []) is None
    assert not has_passed(None, dt.date(2090, 1, 1), 1)


def test_a_period_is_said_in_words():
    assert period_words(8, 0) == "8 years"
    assert period_words(1, 1) == "1 year and 1 month"
    assert period_words(0, 3) == "3 months"
