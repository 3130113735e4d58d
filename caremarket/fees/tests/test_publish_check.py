"""What the check page before publishing fees calls unusual (fees.publish_check)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.fees import publish_check
from caremarket.fees.publish_check import PublishFacts, RateChange

APRIL = dt.date(2027, 4, 1)


def test_a_schedule_like_last_years_but_a_few_per_cent_higher_has_no_warnings():
    facts = PublishFacts(APRIL, dt.date(2027, 2, 1), [RateChange("Residential care, fixed fee, a week", 80000, 83000)])
    assert publish_check.warnings(facts) == []


def test_late_missing_lower_and_big_rises_are_each_said():
    facts = PublishFacts(APRIL, dt.date(2027, 4, 20), [
        RateChange("Home support, fixed fee, an hour", 2250, None),
        RateChange("Residential care, fixed fee, a week", 80000, 79000),
        RateChange("Nursing care, fixed fee, a week", 90000, 120000),
        RateChange("Supported living, guide price, an hour", None, 2100)])
    said = publish_check.warnings(facts)
    assert said[0].startswith("The year began on 1 April 2027")
    assert "Home support, fixed fee, an hour: last year's rate (£22.50) is missing" in said[1]
    assert "lower than last year's £800.00 (-1.3%)" in said[2]
    assert "33.3% more than last year's £900.00" in said[3]
    assert len(said) == 4  # a new rate is not unusual


@given(was=st.integers(1, 10**7), now=st.integers(0, 10**7))
def test_a_rate_is_flagged_exactly_when_it_falls_or_rises_by_more_than_the_threshold(was, now):
    flagged = bool(publish_check.warnings(PublishFacts(APRIL, APRIL, [RateChange("A rate", was, now)])))
    rise = publish_check.rise_percent(RateChange("A rate", was, now))
    assert flagged == (rise < 0 or rise > publish_check.BIG_RISE_PERCENT)
