"""What the check page before an award calls unusual (tendering.award_check)."""

import datetime as dt

from caremarket.tendering import award_check
from caremarket.tendering.award_check import AwardFacts

TODAY = dt.date(2026, 11, 30)


def test_an_ordinary_award_has_no_warnings():
    assert award_check.warnings(AwardFacts(3, TODAY, TODAY, 23625, fixed_fee_pence=23625)) == []


def test_one_offer_a_start_already_past_and_a_price_above_the_fee_are_each_said():
    said = award_check.warnings(AwardFacts(1, dt.date(2026, 11, 20), TODAY, 25000, fixed_fee_pence=23625))
    assert said == [
        "Only one provider made an offer that can win: nothing was compared.",
        "The care was due to start on 20 November 2026, which has passed.",
        "The winning price, £250.00 a week, is above the council's fixed fee for this care (£236.25 a week).",
    ]
