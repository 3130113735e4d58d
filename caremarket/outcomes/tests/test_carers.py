"""The carers register's rules: young carers, likely duplicates, and who may have a voucher."""

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from caremarket.outcomes.carers import (
    CarerFacts,
    VoucherTerms,
    age_on,
    is_young_carer,
    likely_duplicates,
    voucher_decision,
    why_the_same,
)

BORN = dt.date(2010, 3, 1)


def carer(key, given="Joanne", family="O'Neill", born=BORN, postcode="B12 9QH"):
    return CarerFacts(key, given, family, born, postcode)


def test_a_carer_is_young_until_the_day_they_turn_18():
    assert age_on(BORN, dt.date(2028, 2, 29)) == 17 and is_young_carer(BORN, dt.date(2028, 2, 29))
    assert not is_young_carer(BORN, dt.date(2028, 3, 1))
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17  # a leap-day birthday comes on 1 March


def test_likely_duplicates_and_why():
    new = carer("new")
    register = [carer("same-name", given="JOANNE", family="oneill", postcode="B5 5AA"),
                carer("short-name", given="Jo", postcode="b129qh"),
                carer("short-name-elsewhere", given="Jo", postcode="B5 5AA"),
                carer("other-birthday", born=dt.date(2010, 3, 2)),
                carer("swapped", given="O'Neill", family="Joanne", postcode="WS1 1AA"),
                carer("accented", given="Joánne", family="O Neill", postcode="B5 5AA")]
    found = dict(likely_duplicates(new, register))
    assert set(found) == {"same-name", "short-name", "swapped", "accented"}
    assert found["same-name"] == "The same name and date of birth"
    assert found["short-name"].startswith("The same date of birth, postcode and family name")
    assert likely_duplicates(new, [new]) == []  # a record is not its own duplicate


def test_a_voucher_is_granted_while_the_budget_lasts_then_the_carer_waits():
    terms = VoucherTerms()
    assert voucher_decision(terms, D(10), False, 100_000, 40).outcome == "not eligible"  # more than 10 hours
    assert voucher_decision(terms, D("10.5"), True, 100_000, 40).outcome == "not eligible"  # one a year
    assert voucher_decision(terms, D("10.5"), False, 15_000, 40).outcome == "granted"
    waiting = voucher_decision(terms, D(40), False, 14_999, 40)
    assert waiting.outcome == "waiting" and "£149.99 left" in waiting.reason


def test_a_voucher_is_for_the_age_its_terms_state():
    young = voucher_decision(VoucherTerms(), D(30), False, 100_000, 17)
    assert young.outcome == "not eligible" and young.reason == ("A voucher is for carers aged 18 or over; this carer "
                                                                "is 17: young carers have their own offer")
    assert voucher_decision(VoucherTerms(), D(30), False, 100_000, 18).outcome == "granted"
    assert voucher_decision(VoucherTerms(from_age=16), D(30), False, 100_000, 16).outcome == "granted"


NAMES = st.sampled_from(["Joanne", "Mary-Anne", "Siân", "O'Neill", "de la Cruz", "Smith"])


@given(given_name=NAMES, family=NAMES, postcode=st.sampled_from(["B12 9QH", "WS1 1AA"]),
       noise=st.sampled_from([str.upper, str.lower, lambda s: s.replace(" ", ""), lambda s: f" {s} "]))
def test_the_same_person_written_differently_is_always_found(given_name, family, postcode, noise):
    written = CarerFacts("b", noise(given_name), noise(family), BORN, noise(postcode))
    assert why_the_same(CarerFacts("a", given_name, family, BORN, postcode), written) != ""
