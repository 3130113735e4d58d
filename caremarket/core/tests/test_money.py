from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.core import money

pence = st.integers(min_value=-10**12, max_value=10**12)


@given(pence)
def test_pounds_and_pence_round_trip(amount):
    assert money.to_pence(money.to_pounds(amount)) == amount


@given(pence, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(any))
def test_allocation_always_adds_up_and_is_fair_to_the_penny(total, weights):
    parts = money.allocate(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights):
        exact = Decimal(total) * weight / weight_sum
        assert abs(Decimal(part) - exact) < 1


@given(st.integers(min_value=0, max_value=10**7), st.decimals(min_value=0, max_value=1000, places=4))
def test_a_rate_times_a_quantity_is_rounded_once_half_up(rate, quantity):
    result = money.multiply(rate, quantity)
    exact = Decimal(rate) * quantity
    assert abs(Decimal(result) - exact) <= Decimal("0.5")
    if exact - int(exact) == Decimal("0.5"):
        assert result == int(exact) + 1


def test_halves_round_away_from_zero():
    assert money.multiply(1, "2.5") == 3
    assert money.round_pence(Decimal("-2.5")) == -3


@pytest.mark.parametrize("text, pence", [("1,234.56", 123456), ("£12.5", 1250), (" 0.01 ", 1), ("-3", -300)])
def test_amounts_people_type_are_read_exactly(text, pence):
    assert money.to_pence(text) == pence


@pytest.mark.parametrize("bad, message", [
    ("12.345", "fractions of a penny"), ("twelve", "is not an amount"), (1.5, "never floats"), (True, "true or false"),
    ("NaN", "finite"),
])
def test_what_is_not_money_is_refused_with_the_reason(bad, message):
    with pytest.raises(money.MoneyError, match=message):
        money.to_pence(bad)


def test_format():
    assert money.format_gbp(123456) == "£1,234.56"
    assert money.format_gbp(-1200) == "-£12.00"


def test_totals_refuse_anything_but_whole_pence():
    assert money.total([1, 2, 3]) == 6
    with pytest.raises(money.MoneyError):
        money.total([1, Decimal("2.5")])
