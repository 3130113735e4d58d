"""Paying a consortium by results, worked through: the quarterly block held for its return and
cut for lateness, the performance share at, below and above target, and the members' block,
activity and one-payment-per-new-carer."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.outcomes.consortium import (
    Band,
    ContractTerms,
    MemberTerms,
    TermsError,
    first_registrations,
    instalments,
    member_statement,
    months_late,
    performance_payment,
    quarter_payment,
    session_pence,
)

# A £1,000,000.03 contract: £900,000.03 in quarterly blocks, £100,000 on performance.
TERMS = ContractTerms(annual_value_pence=100_000_003)
JULY_31 = dt.date(2026, 7, 31)


def test_the_block_share_is_paid_in_four_quarters_that_add_up_exactly():
    assert (TERMS.block_pence, TERMS.performance_pence) == (90_000_003, 10_000_000)
    assert instalments(TERMS) == [22_500_000, 22_500_001, 22_500_001, 22_500_001]


def test_a_quarter_is_held_until_its_return_arrives_and_cut_for_each_month_late():
    assert quarter_payment(TERMS, 1, JULY_31, None).amount_pence == 0
    assert quarter_payment(TERMS, 1, JULY_31, JULY_31).amount_pence == 22_500_000
    one_day = quarter_payment(TERMS, 1, JULY_31, dt.date(2026, 8, 1))  # a part month counts as a month
    assert one_day.amount_pence == 21_375_000 and "1 month late" in one_day.reason
    assert quarter_payment(TERMS, 1, JULY_31, dt.date(2026, 9, 30)).amount_pence == 20_250_000  # 2 months
    assert quarter_payment(TERMS, 2, JULY_31, dt.date(2028, 7, 31)).amount_pence == 0  # 24 months: all of it


@pytest.mark.parametrize("due, received, months", [
    (JULY_31, JULY_31, 0), (JULY_31, dt.date(2026, 7, 1), 0), (JULY_31, dt.date(2026, 8, 31), 1),
    (JULY_31, dt.date(2026, 9, 1), 2), (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 1),
    (dt.date(2026, 12, 15), dt.date(2027, 1, 16), 2),
])
def test_months_late(due, received, months):
    assert months_late(due, received) == months


def test_the_performance_share_at_below_and_above_target():
    assert performance_payment(TERMS, 2_000, 2_000, "carers registered and assessed").amount_pence == 10_000_000
    above = performance_payment(TERMS, 2_600, 2_000, "carers registered and assessed")
    assert above.amount_pence == 10_000_000  # all of it, no more
    below = performance_payment(TERMS, 1_500, 2_000, "carers registered and assessed")
    assert below.amount_pence == 7_500_000 and "75%" in below.reason
    assert performance_payment(TERMS, 900, 2_000, "carers registered and assessed").amount_pence == 0  # below 50%


def test_the_reason_states_the_share_actually_paid_never_rounded_up_to_all_of_it():
    nearly = performance_payment(TERMS, 2_999, 3_000, "carers registered and assessed")
    assert "99.96% of the performance share" in nearly.reason and "100%" not in nearly.reason
    assert nearly.amount_pence == 9_996_667  # £100,000 × 2,999 / 3,000, to the nearest penny
    assert "100% of the performance share" in performance_payment(TERMS, 3_000, 3_000, "carers").reason
    assert "(49.99%)" in performance_payment(TERMS, 4_999, 10_000, "carers").reason


MEMBER = MemberTerms(block_pence=500_000, bands=(Band(1, 2_000), Band(10, 3_500), Band(20, 5_000)))


def test_a_carers_group_is_paid_by_its_attendance_band():
    assert [session_pence(MEMBER, n) for n in (0, 1, 9, 10, 19, 20, 45)] == [0, 2_000, 2_000, 3_500, 3_500,
                                                                             5_000, 5_000]


def test_a_new_carer_registered_by_two_members_is_paid_once_to_the_first():
    at = dt.datetime(2026, 5, 1, 9, 0)
    registrations = [("C1", "Birch Trust", at + dt.timedelta(hours=1)), ("C1", "Acorn Carers", at),
                     ("C2", "Acorn Carers", at), ("C3", "Birch Trust", at)]
    assert first_registrations(registrations) == {"C1": "Acorn Carers", "C2": "Acorn Carers", "C3": "Birch Trust"}
    acorn = member_statement(MEMBER, "Acorn Carers", [12, 4], registrations)
    assert [p.amount_pence for p in acorn] == [500_000, 5_500, 6_000]
    assert acorn[2].reason == "2 new carers registered, £30.00 each"
    birch = member_statement(MemberTerms(), "Birch Trust", [], registrations)
    assert [p.amount_pence for p in birch] == [3_000]


def test_terms_that_cannot_be_paid_on_say_why():
    with pytest.raises(TermsError, match="block share must be from 0 to 1"):
        instalments(ContractTerms(1_000, block_share=D("1.2")))
    with pytest.raises(TermsError, match="bands"):
        session_pence(MemberTerms(bands=(Band(10, 1), Band(5, 2))), 7)
    with pytest.raises(TermsError, match="target"):
        performance_payment(TERMS, 10, 0, "carers")


@given(value=st.integers(0, 10**11), block=st.integers(0, 100), achieved=st.integers(0, 10**6),
       target=st.integers(1, 10**6))
def test_the_year_never_pays_more_than_the_contract_is_worth(value, block, achieved, target):
    terms = ContractTerms(value, block_share=D(block) / 100)
    blocks = instalments(terms)
    assert sum(blocks) == terms.block_pence and max(blocks) - min(blocks) <= 1
    on_time = sum(quarter_payment(terms, q, JULY_31, JULY_31).amount_pence for q in (1, 2, 3, 4))
    assert on_time + performance_payment(terms, achieved, target, "carers").amount_pence <= value


@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3", "C4"]), st.sampled_from(["A", "B", "C"]),
                          st.integers(0, 5).map(lambda h: dt.datetime(2026, 5, 1, 9 + h))), max_size=20))
def test_each_carer_is_paid_for_once_whoever_registers_them(registrations):
    paid = sum(p.amount_pence for member in ("A", "B", "C")
               for p in member_statement(MemberTerms(), member, [], registrations))
    assert paid == 3_000 * len({carer for carer, _, _ in registrations})
