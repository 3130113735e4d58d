"""Scheduled payments: worked examples and properties that hold for any package."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from caremarket.payments.scheduled import Package, Price, due_by_day, period_lines

D = dt.date
# Period 8 of 2026-27: 11 November to 8 December 2026 (28 days).
FIRST, LAST = D(2026, 11, 11), D(2026, 12, 8)


def test_a_whole_period_at_one_price_is_four_weeks():
    package = Package("CP-1", D(2026, 4, 1), None, (Price(D(2026, 4, 1), 82500),))
    [line] = period_lines(package, FIRST, LAST)
    assert (line.days, line.amount_pence, line.reason) == (28, 330000, "28 days at £825.00 a week")


def test_a_rate_change_mid_week_splits_the_payment_at_that_day():
    package = Package("CP-1", D(2026, 4, 1), None, (Price(D(2026, 4, 1), 70000), Price(D(2026, 11, 19), 77000)))
    lines = period_lines(package, FIRST, LAST)
    assert [(l.first_day, l.last_day, l.amount_pence) for l in lines] == [
        (D(2026, 11, 11), D(2026, 11, 18), 80000),  # 8 days at £700 a week
        (D(2026, 11, 19), D(2026, 12, 8), 220000),  # 20 days at £770 a week
    ]


def test_a_hospital_stay_is_not_paid_and_death_ends_payment_that_day():
    package = Package("CP-1", D(2026, 4, 1), D(2026, 12, 1), (Price(D(2026, 4, 1), 70000),),
                      suspended=((D(2026, 11, 15), D(2026, 11, 21)),))
    lines = period_lines(package, FIRST, LAST)
    assert [(l.first_day, l.last_day, l.days) for l in lines] == [
        (D(2026, 11, 11), D(2026, 11, 14), 4), (D(2026, 11, 22), D(2026, 12, 1), 10)]
    assert sum(l.amount_pence for l in lines) == 140000


def test_a_death_reported_after_payment_becomes_a_recovery_line():
    alive = Package("CP-1", D(2026, 4, 1), None, (Price(D(2026, 4, 1), 70000),))
    paid = due_by_day(alive, FIRST, LAST)
    died = Package("CP-1", D(2026, 4, 1), D(2026, 12, 1), alive.prices)
    [recovery] = period_lines(died, FIRST, LAST, already_paid=paid)
    assert (recovery.first_day, recovery.days, recovery.amount_pence) == (D(2026, 12, 2), 7, -70000)
    assert recovery.reason == "Recovery: 7 days paid at £700.00 a week that were not due"


prices = st.lists(st.tuples(st.integers(0, 300), st.integers(1, 500_000)), min_size=1, max_size=4)
suspensions = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 20)), max_size=3)


@st.composite
def packages(draw):
    start = D(2026, 4, 1) + dt.timedelta(days=draw(st.integers(0, 200)))
    end = draw(st.none() | st.integers(0, 300).map(lambda n: start + dt.timedelta(days=n)))
    return Package("CP", start, end,
                   tuple(Price(start + dt.timedelta(days=d), p) for d, p in draw(prices)),
                   tuple((start + dt.timedelta(days=d), start + dt.timedelta(days=d + n)) for d, n in draw(suspensions)))


@settings(max_examples=200)
@given(packages(), packages())
def test_re_running_a_period_never_pays_a_day_twice_and_pays_exactly_the_change(before, after):
    paid = due_by_day(before, FIRST, LAST)
    first_run = period_lines(before, FIRST, LAST)
    assert all(l.amount_pence >= 0 for l in first_run)
    assert period_lines(before, FIRST, LAST, already_paid=paid) == []  # nothing changed: nothing to pay
    # After a change, each day is covered at most once by new lines, and paid + adjustments
    # equals paying the changed package from scratch, to within a penny per line of rounding.
    changes = period_lines(after, FIRST, LAST, already_paid=paid)
    covered = [day for l in changes for day in (l.first_day + dt.timedelta(days=i) for i in range(l.days))]
    assert len(covered) == len(set(covered))
    fresh = sum(l.amount_pence for l in period_lines(after, FIRST, LAST))
    total = sum(l.amount_pence for l in first_run) + sum(l.amount_pence for l in changes)
    assert abs(total - fresh) <= len(first_run) + len(changes) + len(period_lines(after, FIRST, LAST))
