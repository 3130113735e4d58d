import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.management import review_rules


def test_the_quarters_of_the_financial_year_begin_in_april_july_october_and_january():
    assert review_rules.quarter_of(dt.date(2026, 4, 1)) == (2026, 1, dt.date(2026, 4, 1))
    assert review_rules.quarter_of(dt.date(2026, 9, 30)) == (2026, 2, dt.date(2026, 7, 1))
    assert review_rules.quarter_of(dt.date(2026, 12, 31)) == (2026, 3, dt.date(2026, 10, 1))
    assert review_rules.quarter_of(dt.date(2027, 3, 31)) == (2026, 4, dt.date(2027, 1, 1))


def test_providers_at_or_above_the_share_are_due_a_review_45_days_into_the_quarter():
    spend = {"large": 60_000, "edge": 10_000, "small": 9_999, "tiny": 20_001}
    found = review_rules.due(spend, Decimal("0.1"), dt.date(2026, 11, 30), 45)
    assert set(found) == {"large", "edge", "tiny"}
    assert found["edge"] == (Decimal("0.1"), dt.date(2026, 11, 15))
    assert review_rules.due({}, Decimal("0.01"), dt.date(2026, 11, 30), 45) == {}


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 10 ** 7), max_size=30))
def test_the_shares_add_up_to_the_whole(spend):
    shares = review_rules.shares(spend)
    if sum(spend.values()):
        assert abs(sum(shares.values()) - 1) < Decimal("1e-20")
    else:
        assert shares == {}
