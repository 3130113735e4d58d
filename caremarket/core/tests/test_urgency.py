import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.core.urgency import OVERDUE, SOON, TO_DO, by_due_date, by_waiting

TODAY = dt.date(2026, 12, 7)


def test_a_due_date_is_overdue_once_passed_and_soon_within_its_warning():
    assert by_due_date(dt.date(2026, 12, 6), TODAY, warn_days=7) == OVERDUE
    assert by_due_date(TODAY, TODAY, warn_days=7) == SOON
    assert by_due_date(dt.date(2026, 12, 14), TODAY, warn_days=7) == SOON
    assert by_due_date(dt.date(2026, 12, 15), TODAY, warn_days=7) == TO_DO


def test_waiting_work_is_overdue_past_its_expected_time_and_soon_in_its_last_quarter():
    assert by_waiting(TODAY, TODAY, expected_days=28) == TO_DO  # just arrived: not "soon" for existing
    assert by_waiting(TODAY - dt.timedelta(days=21), TODAY, expected_days=28) == SOON
    assert by_waiting(TODAY - dt.timedelta(days=29), TODAY, expected_days=28) == OVERDUE


@given(st.integers(0, 400), st.integers(0, 400), st.integers(1, 60))
def test_the_longer_it_waits_the_more_urgent_it_is(earlier, later, expected):
    first, second = sorted((earlier, later))
    assert by_waiting(TODAY - dt.timedelta(days=second), TODAY, expected_days=expected) <= \
        by_waiting(TODAY - dt.timedelta(days=first), TODAY, expected_days=expected)
