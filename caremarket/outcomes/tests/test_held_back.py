"""One person, two members: a likely duplicate is held back from everything that counts or pays
per carer until a person merges or dismisses the pair; a merge after a statement has ended
takes back what was given twice, on the next statement."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.outcomes import contracts, register, vouchers
from caremarket.outcomes.models import Carer, Voucher, VoucherBudget

from .conftest import at, new_carer

NEW_CARER = 30_00


def new_carer_pence(consortium, member, number: int) -> int:
    """What a member's statement for a quarter pays for new carers (adjustments included)."""
    statement = contracts.member_statement(consortium["agreements"][consortium[member]],
                                           contracts.quarter(consortium["year"], number))
    return sum(p.amount_pence for p in statement if "new carer" in p.reason or "Taken back" in p.reason)


@pytest.fixture
def twice(consortium):
    """Joanne Smith, registered by north in April, and again (as Jo, same postcode) by south in May."""
    first = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 4, 10),
                      assessed_on=dt.date(2026, 4, 11))
    again = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="b1 1aa",
                      registered_on=dt.date(2026, 5, 2), assessed_on=dt.date(2026, 5, 3))
    return first, again


def test_the_later_registration_is_held_back_from_counts_payment_and_a_voucher(consortium, twice):
    first, again = twice
    again.refresh_from_db()
    assert again.held_back_for == first and again.payable_on is None
    assert AuditEvent.objects.filter(action="carer.held_back", object_id=str(again.pk)).exists()
    with clock.frozen(at(dt.date(2026, 7, 1))):
        assert contracts.quarter_figures(consortium["year"], 1)["1"] == 1  # one person, counted once
    assert new_carer_pence(consortium, "north", 1) == NEW_CARER
    assert new_carer_pence(consortium, "south", 1) == 0
    assert contracts.achieved(consortium["year"]) == 1  # and once in the performance share
    VoucherBudget.objects.create(contract=consortium["contract"], starts_on=dt.date(2026, 4, 1),
                                 ends_on=dt.date(2027, 3, 31), budget_pence=60_000)
    with clock.frozen(at(dt.date(2026, 5, 10))), pytest.raises(ValidationError, match=first.reference):
        vouchers.ask(consortium["south_user"], again, consortium["contract"])
    assert not Voucher.objects.exists()


def test_the_release_pages_list_what_is_held_back(consortium, twice, signed_in):
    _, again = twice
    with clock.frozen(at(dt.date(2026, 7, 1))):
        contracts.send_return(consortium["integrator"], consortium["year"], 1)
        page = signed_in(consortium["finance"]).get(
            reverse("consortium-release", args=[consortium["contract"].pk, 2026, 1]))
    text = page.content.decode()
    assert "1 registration is held back as likely duplicates" in text and again.reference in text
    assert "Joanne" not in text and "Smith" not in text  # the council sees register numbers only


def test_a_dismissed_pair_both_count_and_the_later_is_paid_on_the_statement_of_its_release(consortium, twice,
                                                                                         signed_in):
    first, again = twice
    page_url = reverse("carer-dismiss-duplicate") + f"?first={first.pk}&second={again.pk}"
    integrator = signed_in(consortium["integrator"])
    with clock.frozen(at(dt.date(2026, 8, 3))):
        refused = integrator.post(page_url, {"first": first.pk, "second": again.pk, "why": "  "})
        assert refused.status_code == 200 and "Say why these are two different carers" in refused.content.decode()
        assert Carer.objects.get(pk=again.pk).held_back_for == first
        done = integrator.post(page_url, {"first": first.pk, "second": again.pk,
                                          "why": "Twins: Jo is Joanne's sister Josephine"})
        assert done.status_code == 302
    again.refresh_from_db()
    assert again.held_back_for is None and again.payable_on == dt.date(2026, 8, 3)
    assert register.likely_duplicates(Carer.objects.all()) == []
    assert "Twins" in AuditEvent.objects.get(action="carer.duplicate_dismissed").after["why"]
    assert new_carer_pence(consortium, "south", 1) == 0  # quarter 1's statement is not rewritten
    assert new_carer_pence(consortium, "south", 2) == NEW_CARER
    with clock.frozen(at(dt.date(2026, 10, 1))):
        assert contracts.quarter_figures(consortium["year"], 2)["1"] == 2
    with pytest.raises(ValidationError, match="judged two carers already"):
        register.dismiss(consortium["integrator"], first, again, "Again")


def test_a_merge_after_both_were_paid_takes_one_back_next_statement_and_cancels_the_second_voucher(consortium):
    """Not found by the rule (another postcode), both paid for in quarter 1 and each given a voucher;
    the integrator merges them in quarter 2."""
    first = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 4, 10))
    again = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="B2 2BB",
                      registered_on=dt.date(2026, 5, 2))
    assert again.held_back_for is None
    budget = VoucherBudget.objects.create(contract=consortium["contract"], starts_on=dt.date(2026, 4, 1),
                                          ends_on=dt.date(2027, 3, 31), budget_pence=60_000)
    with clock.frozen(at(dt.date(2026, 5, 10))):
        kept_voucher = vouchers.ask(consortium["north_user"], first, consortium["contract"])
        second_voucher = vouchers.ask(consortium["south_user"], again, consortium["contract"])
    assert new_carer_pence(consortium, "south", 1) == NEW_CARER
    assert vouchers.budget_left(budget) == 30_000

    with clock.frozen(at(dt.date(2026, 8, 3))):
        register.merge(consortium["integrator"], first, again)
    assert new_carer_pence(consortium, "south", 1) == NEW_CARER  # quarter 1's statement stands as paid
    assert new_carer_pence(consortium, "south", 2) == -NEW_CARER  # and quarter 2's takes it back
    taken = [p for p in contracts.member_statement(consortium["agreements"][consortium["south"]],
                                                   contracts.quarter(consortium["year"], 2)) if p.amount_pence < 0]
    assert again.reference in taken[0].reason and first.reference in taken[0].reason
    assert new_carer_pence(consortium, "north", 1) == NEW_CARER and new_carer_pence(consortium, "north", 2) == 0
    kept_voucher.refresh_from_db()
    second_voucher.refresh_from_db()
    assert (kept_voucher.status, second_voucher.status) == ("granted", "cancelled")
    assert vouchers.budget_left(budget) == 45_000


def test_a_merge_within_the_quarter_pays_once_with_nothing_to_take_back(consortium):
    first = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 4, 10))
    again = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="B2 2BB",
                      registered_on=dt.date(2026, 5, 2))
    with clock.frozen(at(dt.date(2026, 6, 20))):
        register.merge(consortium["integrator"], first, again)
    assert (new_carer_pence(consortium, "north", 1), new_carer_pence(consortium, "south", 1)) == (NEW_CARER, 0)
    assert new_carer_pence(consortium, "south", 2) == 0


def test_a_change_that_makes_a_registration_a_likely_duplicate_holds_it_back(consortium):
    first = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 10, 10))
    again = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="B2 2BB",
                      registered_on=dt.date(2026, 11, 2))
    assert again.payable_on == dt.date(2026, 11, 2)
    before = again.audit_facts()
    again.postcode = "B1 1AA"
    with clock.frozen(at(dt.date(2026, 11, 20))):
        register.update(consortium["south_user"], again, before)
    again.refresh_from_db()
    assert again.held_back_for == first and again.payable_on is None  # its quarter has not ended: not paid
