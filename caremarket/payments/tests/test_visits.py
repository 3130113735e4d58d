"""Pricing call-monitoring visits under the council's rules, worked through."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.payments import visits
from caremarket.payments.visits import Rule, Visit

AT_8 = dt.datetime(2026, 10, 14, 8, 0)


def visit(planned=30, actual=30, carers=1, missed=False, late_by=0):
    start = AT_8 + dt.timedelta(minutes=late_by)
    return Visit(AT_8, AT_8 + dt.timedelta(minutes=planned), None if missed else start,
                 None if missed else start + dt.timedelta(minutes=actual), carers)


def test_a_visit_within_the_tolerance_is_paid_as_planned():
    priced = visits.price_visit(visit(planned=30, actual=27, late_by=10), Rule(), 2250)
    assert (priced.paid_minutes, priced.amount_pence, priced.query) == (30, 1125, "")


def test_a_short_visit_is_paid_for_the_time_delivered_rounded_and_queried():
    priced = visits.price_visit(visit(planned=60, actual=41), Rule(rounding_minutes=15), 2250)
    assert (priced.paid_minutes, priced.amount_pence) == (45, 1688)  # £22.50 × 0.75 = £16.875 → £16.88
    assert priced.query.startswith("Short: 41 minutes delivered of 60 planned")


def test_a_long_visit_is_paid_as_planned_until_agreed():
    priced = visits.price_visit(visit(planned=30, actual=50), Rule(), 2250)
    assert priced.paid_minutes == 30 and priced.query.startswith("Long:")


def test_paying_on_actual_time_rounds_it_by_the_rule():
    rule = Rule(pay_on="actual", rounding_minutes=5, rounding="up")
    assert visits.price_visit(visit(planned=30, actual=32), rule, 2250).paid_minutes == 35
    assert visits.price_visit(visit(planned=30, actual=32), Rule(pay_on="actual", rounding="down"),
                              2250).paid_minutes == 30


def test_a_missed_visit_is_not_paid_and_is_queried():
    priced = visits.price_visit(visit(missed=True), Rule(), 2250)
    assert (priced.paid_minutes, priced.amount_pence) == (0, 0) and priced.query.startswith("Missed")


def test_a_visit_is_paid_at_least_the_minimum_length():
    priced = visits.price_visit(visit(planned=15, actual=8), Rule(minimum_minutes=15), 2250)
    assert priced.paid_minutes == 15 and "Short" in priced.query


def test_double_up_visits_pay_each_planned_carer_and_query_a_carer_short():
    both = visits.price_visit(visit(carers=2), Rule(), 2250, planned_carers=2)
    assert (both.carers_paid, both.amount_pence, both.query) == (2, 2250, "")
    short = visits.price_visit(visit(carers=1), Rule(), 2250, planned_carers=2)
    assert (short.carers_paid, short.amount_pence) == (1, 1125) and "1 of 2 planned carers" in short.query
    extra = visits.price_visit(visit(carers=2), Rule(), 2250, planned_carers=1)
    assert extra.carers_paid == 1 and "plan is for 1" in extra.query


def test_the_28_day_clock():
    due = visits.payment_due_on(dt.date(2026, 11, 12))
    assert due == dt.date(2026, 12, 10)
    assert not visits.is_late(due, dt.date(2026, 12, 10), dt.date(2027, 1, 1))
    assert visits.is_late(due, None, dt.date(2026, 12, 11))


@given(planned=st.integers(5, 240), actual=st.integers(1, 300), carers=st.integers(1, 3),
       rate=st.integers(1000, 4000), unit=st.sampled_from([1, 5, 15]),
       rounding=st.sampled_from(["nearest", "up", "down"]), pay_on=st.sampled_from(["planned", "actual"]))
def test_a_visit_is_never_paid_for_more_than_planned_carers_and_time_allow(planned, actual, carers, rate, unit,
                                                                           rounding, pay_on):
    rule = Rule(pay_on=pay_on, rounding_minutes=unit, rounding=rounding, tolerance_minutes=5, minimum_minutes=15)
    priced = visits.price_visit(visit(planned=planned, actual=actual, carers=carers), rule, rate, planned_carers=2)
    ceiling = max(planned + 5 + unit, 15)
    assert priced.paid_minutes <= ceiling and priced.carers_paid <= 2
    assert priced.amount_pence == visits.amount(rate, priced.paid_minutes, priced.carers_paid)
    assert bool(priced.query) == (abs(actual - planned) > 5 or carers != 2)
