"""The eligibility rule, step by step, with the reasons a provider and a broker are given."""

import datetime as dt

import pytest

from caremarket.framework.eligibility import LapsedEvidence, Standing, Step, check
from caremarket.quality.ratings import Rating

INSURANCE = LapsedEvidence("Public liability insurance certificate", dt.date(2026, 11, 1))


def test_a_provider_in_good_standing_may_take_part_at_every_step():
    standing = Standing("Acorn Care", rated=True, rating=Rating.SILVER)
    assert all(check(standing, step).eligible for step in Step)


def test_lapsed_evidence_is_told_to_the_provider_as_what_to_do():
    standing = Standing("Acorn Care", lapsed_evidence=(INSURANCE,))
    assert check(standing, Step.OFFER).reason == (
        "Your public liability insurance certificate expired on 01 November 2026: renew it to offer")
    assert check(standing, Step.AWARD).reason == (
        "Acorn Care's public liability insurance certificate expired on 01 November 2026")
    assert not any(check(standing, step).eligible for step in Step)


@pytest.mark.parametrize("step", list(Step))
def test_suspended_or_inadequate_providers_take_no_part(step):
    suspended = Standing("Acorn Care", suspension="Rated Inadequate (Acorn office)")
    assert not check(suspended, step).eligible
    inadequate = Standing("Acorn Care", rated=True, rating=Rating.INADEQUATE)
    assert not check(inadequate, step).eligible
    assert "rated Inadequate, so it is suspended from bidding" in check(inadequate, step).reason


def test_an_unrated_service_may_offer_and_be_ranked_but_waits_for_an_inspection_before_award():
    unrated = Standing("Newleaf Care", rated=True, rating=None)
    assert check(unrated, Step.OFFER).eligible and check(unrated, Step.CLOSE).eligible
    at_award = check(unrated, Step.AWARD)
    assert not at_award.eligible and at_award.awaiting_inspection
    assert "must inspect it before the contract is awarded" in at_award.reason


def test_a_block_contract_is_a_contract_of_its_own_but_suspension_still_stops_it():
    not_on_section = Standing("Block Care", approved=False)
    assert check(not_on_section, Step.BLOCK_CONTRACT).eligible
    assert not check(not_on_section, Step.INVITATION).eligible
    assert not check(Standing("Block Care", suspension="by a commissioner"), Step.BLOCK_CONTRACT).eligible
    assert check(Standing("Block Care", rated=True, rating=None), Step.BLOCK_CONTRACT).eligible


def test_every_failure_is_given_not_only_the_first():
    standing = Standing("Acorn Care", approved=False, lapsed_evidence=(INSURANCE,))
    assert len(check(standing, Step.INVITATION).reasons) == 2
