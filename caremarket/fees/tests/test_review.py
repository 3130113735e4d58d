"""The annual price review: the stated method, worked through."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.fees import pricing, review
from caremarket.fees.pricing import HOUR, WEEK, Kind, Placement, Rate, Schedule

THIS_YEAR = Schedule("2026/27", dt.date(2026, 4, 1), (
    Rate("home-support", Kind.FIXED, HOUR, 2250),
    Rate("home-support", Kind.FIXED, HOUR, 2300, effective_from=dt.date(2026, 10, 1)),
    Rate("residential-care", Kind.FIXED, WEEK, 82500, pricing.OLDER),
    Rate("residential-care", Kind.GUIDE, WEEK, 120000, pricing.WORKING_AGE, need_level="high"),
    Rate("nursing-care", Kind.FNC, WEEK, 25406),
), quality_uplifts={4: Decimal(2)})
INPUTS = review.Inputs(
    cpi_percent=Decimal("2.8"), cpih_percent=Decimal("3.0"), nlw_change_percent=Decimal("6.7"),
    pension_ni_percent=Decimal("1.2"), affordability_cap_percent=Decimal("6"),
    staff_share={"home-support": Decimal("0.75"), "residential-care": Decimal("0.6")},
    regional_percent=Decimal("4.5"), open_book_percent={"home-support": Decimal("5.8")})
APRIL_2027 = dt.date(2027, 4, 1)


def test_the_uplift_is_the_weighted_pressure_capped_by_affordability():
    home = review.service_uplift("home-support", INPUTS)
    # 0.75 × (6.7 + 1.2) + 0.25 × 3.0 = 6.675, over the 6% cap
    assert home.percent == Decimal("6.00")
    assert "= 6.68%" in home.reasons[0] and "Capped at the affordability limit of 6.00%" in home.reasons[1]
    assert any("open-book returns show costs changing by 5.80%" in r for r in home.reasons)
    care_home = review.service_uplift("residential-care", INPUTS)
    assert care_home.percent == Decimal("5.94")  # 0.6 × 7.9 + 0.4 × 3.0


def test_the_council_may_choose_cpi_and_a_commissioner_may_override_with_a_reason():
    cpi = review.Inputs(**{**INPUTS.__dict__, "index": "cpi", "affordability_cap_percent": Decimal(10)})
    assert review.service_uplift("home-support", cpi).percent == Decimal("6.63")  # 5.925 + 0.25 × 2.8
    overridden = review.service_uplift("home-support", INPUTS, review.Override(Decimal("5.5"), "regional parity"))
    assert overridden.percent == Decimal("5.50")
    assert "regional parity" in overridden.reasons[-1]


def test_fees_never_fall_in_a_review():
    deflation = review.Inputs(**{**INPUTS.__dict__, "nlw_change_percent": Decimal(0),
                                 "pension_ni_percent": Decimal(0), "cpih_percent": Decimal("-2")})
    assert review.service_uplift("home-support", deflation).percent == 0


def test_a_staff_share_is_needed_for_each_service():
    with pytest.raises(ValueError, match="No staff share"):
        review.service_uplift("supported-living", INPUTS)


def test_next_years_schedule_raises_the_rates_in_force_on_31_march_from_1_april():
    result = review.next_schedule(THIS_YEAR, INPUTS, name="2027/28", starts_on=APRIL_2027)
    new = result.schedule
    assert new.rate("home-support", Kind.FIXED, APRIL_2027).pence == 2438  # £23.00 + 6% = £24.38
    assert new.rate("residential-care", Kind.FIXED, APRIL_2027, band=pricing.OLDER).pence == 87401  # 825 × 1.0594
    assert new.rate("residential-care", Kind.GUIDE, APRIL_2027, band=pricing.WORKING_AGE,
                    need_level="high").pence == 127128
    assert new.rate("nursing-care", Kind.FNC, APRIL_2027) is None  # the NHS sets FNC
    assert new.quality_uplifts == {4: Decimal(2)}


def test_packages_on_the_contract_are_uplifted_and_others_keep_their_fee():
    result = review.next_schedule(THIS_YEAR, INPUTS, name="2027/28", starts_on=APRIL_2027)
    home = Placement("home-support", pricing.OLDER, APRIL_2027, weekly_hours=Decimal(10))
    assert review.next_year_price("fixed fee", 23000, home, result).weekly_pence == 24380
    open_book = Placement("residential-care", pricing.WORKING_AGE, APRIL_2027)
    assert review.next_year_price("open book", 125000, open_book, result).weekly_pence == 132425
    for basis in ("existing fee", "host authority rate", "minimum rate"):
        kept = review.next_year_price(basis, 70000, open_book, result)
        assert kept.weekly_pence == 70000 and "No uplift" in kept.reason
    off_contract = Placement("home-support", pricing.OLDER, APRIL_2027, weekly_hours=Decimal(10),
                             on_current_contract=False)
    assert review.next_year_price("fixed fee", 22500, off_contract, result).weekly_pence == 22500


@given(pence=st.integers(min_value=1, max_value=10_000_000),
       percent=st.decimals(min_value=Decimal(0), max_value=Decimal(20), places=2))
def test_raising_a_fee_never_lowers_it_and_is_within_half_a_penny(pence, percent):
    raised = review.raise_by(pence, percent)
    assert raised >= pence
    assert abs(Decimal(raised) - Decimal(pence) * (100 + percent) / 100) <= Decimal("0.5")
