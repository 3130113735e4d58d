"""Worked examples for each kind of fee, and the rules' properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.fees import pricing
from caremarket.fees.pricing import HOUR, WEEK, Kind, Placement, Rate, Schedule

APRIL = dt.date(2026, 4, 1)
SCHEDULE = Schedule("2026/27", APRIL, (
    Rate("home-support", Kind.FIXED, HOUR, 2250),
    Rate("home-support", Kind.FIXED, HOUR, 2310, effective_from=dt.date(2026, 10, 1)),  # a mid-year change
    Rate("quick-discharge", Kind.ENHANCEMENT, HOUR, 200),
    Rate("sensory-loss", Kind.ENHANCEMENT, HOUR, 150),
    Rate("supported-living", Kind.FIXED, HOUR, 2000),
    Rate("residential-care", Kind.FIXED, WEEK, 82500, pricing.OLDER),
    Rate("nursing-care", Kind.FIXED, WEEK, 94000, pricing.OLDER),
    Rate("nursing-care", Kind.FNC, WEEK, 25406),
    Rate("residential-care", Kind.GUIDE, WEEK, 120000, pricing.WORKING_AGE, need_level="high"),
    Rate("residential-care", Kind.MINIMUM, WEEK, 65000, pricing.WORKING_AGE),
    Rate("home-support", Kind.DIRECT_PAYMENT, HOUR, 2100),
), quality_uplifts={4: Decimal("2")})


def placement(service="home-support", band=pricing.OLDER, on=APRIL, **kwargs):
    return Placement(service, band, on, **kwargs)


def test_home_support_is_the_hourly_fee_times_the_hours():
    decision = pricing.price(placement(weekly_hours=Decimal("10.5")), SCHEDULE)
    assert (decision.hourly_pence, decision.weekly_pence, decision.basis) == (2250, 23625, "fixed fee")
    assert "£22.50 an hour × 10.5 hours a week = £236.25 a week" in decision.reason


def test_a_fee_changed_mid_year_applies_from_its_day():
    assert pricing.price(placement(weekly_hours=Decimal(10), on=dt.date(2026, 9, 30)), SCHEDULE).hourly_pence == 2250
    assert pricing.price(placement(weekly_hours=Decimal(10), on=dt.date(2026, 10, 1)), SCHEDULE).hourly_pence == 2310


def test_quick_discharge_and_sensory_loss_are_home_support_plus_their_enhancement():
    quick = pricing.price(placement("quick-discharge", weekly_hours=Decimal("7.5"), service_name="Quick Discharge"),
                          SCHEDULE)
    assert (quick.hourly_pence, quick.weekly_pence) == (2450, 18375)
    assert "Quick Discharge enhancement adds £2.00 an hour" in quick.reason
    assert pricing.price(placement("sensory-loss", weekly_hours=Decimal(4)), SCHEDULE).hourly_pence == 2400


def test_a_gold_provider_gets_the_published_uplift_rounded_once_to_the_penny():
    decision = pricing.price(placement(weekly_hours=Decimal(3), rating=4), SCHEDULE)
    assert decision.hourly_pence == 2295  # £22.50 + 2%
    assert decision.weekly_pence == 6885
    assert "2% uplift" in decision.reason
    assert pricing.price(placement(weekly_hours=Decimal(3), rating=3), SCHEDULE).hourly_pence == 2250


def test_care_homes_for_over_65s_are_a_weekly_fee_and_nursing_care_is_recorded_apart():
    assert pricing.price(placement("residential-care"), SCHEDULE).weekly_pence == 82500
    assert pricing.price(placement("nursing-care"), SCHEDULE).weekly_pence == 94000
    assert SCHEDULE.rate("nursing-care", Kind.FNC, APRIL).pence == 25406


def test_supported_living_is_an_hourly_fee_for_all_ages():
    decision = pricing.price(placement("supported-living", pricing.WORKING_AGE, weekly_hours=Decimal(40)), SCHEDULE)
    assert decision.weekly_pence == 80000


def test_open_book_sets_the_price_and_is_compared_with_the_guide():
    decision = pricing.price(placement("residential-care", pricing.WORKING_AGE, need_level="high",
                                       open_book_weekly_pence=125000), SCHEDULE)
    assert (decision.weekly_pence, decision.basis, decision.guide_weekly_pence) == (125000, "open book", 120000)
    assert "£50.00 (4.2%) above the 2026/27 guide price for high needs of £1,200.00 a week" in decision.reason


def test_open_book_services_need_the_providers_costs():
    with pytest.raises(pricing.NoPrice, match="open-book costs"):
        pricing.price(placement("residential-care", pricing.WORKING_AGE, need_level="high"), SCHEDULE)


def test_a_historic_package_keeps_its_fee_but_not_below_the_minimum():
    low = pricing.price(placement("residential-care", pricing.WORKING_AGE, historic=True,
                                  existing_weekly_pence=60000), SCHEDULE)
    assert (low.weekly_pence, low.basis) == (65000, "minimum rate")
    high = pricing.price(placement("residential-care", pricing.WORKING_AGE, historic=True,
                                   existing_weekly_pence=70000), SCHEDULE)
    assert (high.weekly_pence, high.basis) == (70000, "existing fee")


def test_out_of_city_placements_match_the_host_authority_rate_where_known():
    host = Rate("residential-care", Kind.FIXED, WEEK, 79000)
    decision = pricing.price(placement("residential-care", host_authority="Solihull", host_rate=host), SCHEDULE)
    assert (decision.weekly_pence, decision.basis) == (79000, "host authority rate")
    assert "Solihull" in decision.reason
    assert pricing.price(placement("residential-care", host_authority="Powys"), SCHEDULE).weekly_pence == 82500


def test_a_provider_off_the_contract_keeps_its_old_fee():
    decision = pricing.price(placement(weekly_hours=Decimal(10), on_current_contract=False,
                                       existing_weekly_pence=19000), SCHEDULE)
    assert (decision.weekly_pence, decision.basis) == (19000, "existing fee")


def test_no_fee_says_what_is_missing():
    with pytest.raises(pricing.NoPrice, match="no fee for nursing-care"):
        pricing.price(placement("nursing-care", pricing.WORKING_AGE), SCHEDULE)
    with pytest.raises(pricing.NoPrice, match="weekly hours"):
        pricing.price(placement(), SCHEDULE)


def test_the_direct_payment_agency_rate_is_published_in_the_schedule():
    assert pricing.direct_payment_rate(SCHEDULE, APRIL).pence == 2100


def test_age_band_turns_at_the_65th_birthday():
    born = dt.date(1961, 6, 15)
    assert pricing.age_band(born, dt.date(2026, 6, 14)) == pricing.WORKING_AGE
    assert pricing.age_band(born, dt.date(2026, 6, 15)) == pricing.OLDER


@given(hours=st.decimals(min_value=Decimal("0.25"), max_value=Decimal(100), places=2),
       rating=st.sampled_from([None, 1, 2, 3, 4]))
def test_the_weekly_price_is_the_rounded_rate_times_the_hours_in_whole_pence(hours, rating):
    decision = pricing.price(placement(weekly_hours=hours, rating=rating), SCHEDULE)
    assert isinstance(decision.weekly_pence, int)
    exact = Decimal(decision.hourly_pence) * hours
    assert abs(decision.weekly_pence - exact) <= Decimal("0.5")
    assert decision.hourly_pence >= 2250  # an uplift never lowers a fee
