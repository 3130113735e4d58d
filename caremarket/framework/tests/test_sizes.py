from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.framework.sizes import LOT_LIMITS, Size, check_lot_count, size_for


@pytest.mark.parametrize("hours, size", [
    (0, Size.SMALL), (999, Size.SMALL), (Decimal("999.99"), Size.SMALL), (1000, Size.MEDIUM),
    (2000, Size.MEDIUM), (Decimal("2000.01"), Size.LARGE), (3500, Size.LARGE),
])
def test_size_by_council_funded_weekly_hours(hours, size):
    assert size_for(hours)[0] == size


def test_a_provider_new_to_the_council_counts_as_small_whatever_its_hours():
    size, reason = size_for(5000, new_to_council=True)
    assert size == Size.SMALL and "new to the council" in reason


def test_lot_limits_from_table_1a():
    assert {s: (l.may_apply_for, l.may_be_awarded) for s, l in LOT_LIMITS.items()} == {
        Size.LARGE: (5, 3), Size.MEDIUM: (4, 3), Size.SMALL: (3, 1)}
    assert check_lot_count(Size.SMALL, 2, awarded=True) == "A small provider may be awarded at most 1 lot, not 2"
    assert check_lot_count(Size.MEDIUM, 4, awarded=False) is None


@given(st.decimals(min_value=0, max_value=100_000, places=2), st.decimals(min_value=0, max_value=100_000, places=2))
def test_more_hours_never_makes_a_provider_smaller(a, b):
    order = [Size.SMALL, Size.MEDIUM, Size.LARGE]
    low, high = sorted((a, b))
    assert order.index(size_for(low)[0]) <= order.index(size_for(high)[0])
