"""Entry criteria with the strategy's own cases."""

import datetime as dt

import pytest

from caremarket.framework.entry import (
    Applicant, Criterion, Document, RatingEvidence, Result, assess, assess_rating,
)
from caremarket.quality.ratings import Source

D = dt.date
TODAY = D(2026, 11, 23)
ALL = frozenset({"home", "bed_based", "supported_living"})

CRITERIA = (
    Criterion("rating", "Quality rating", "rating", ALL),
    Criterion("insurance-el", "Employer's liability insurance certificate", "document", ALL, "insurance-el"),
    Criterion("food-hygiene", "Food hygiene rating", "document", frozenset({"bed_based"}), "food-hygiene"),
    Criterion("call-monitoring", "Electronic call monitoring system", "document", frozenset({"home"}),
              "call-monitoring"),
    Criterion("bankruptcy", "Bankruptcy or convictions of owners", "declaration", ALL),
)


def cqc(outcome, on=D(2025, 6, 1)):
    return RatingEvidence(Source.CQC, outcome, on)


def council(outcome, on=D(2026, 1, 1)):
    return RatingEvidence(Source.COUNCIL, outcome, on)


def nhs(outcome, on=D(2026, 3, 1), nursing_home=True):
    return RatingEvidence(Source.NHS, outcome, on, settings=frozenset({"bed_based"}), nursing_home=nursing_home,
                          location="Larches Nursing Home")


@pytest.mark.parametrize("ratings, result", [
    ([cqc("Requires improvement")], Result.PASS),
    ([cqc("Good")], Result.PASS),
    ([cqc("Outstanding")], Result.PASS),
    ([council("Bronze")], Result.PASS),
    ([council("Gold")], Result.PASS),
    ([cqc("Inadequate")], Result.FAIL),
    ([council("Inadequate")], Result.FAIL),
    ([], Result.NEEDS_DECISION),
    ([cqc("No published rating")], Result.NEEDS_DECISION),
])
def test_at_least_one_acceptable_rating(ratings, result):
    assert assess_rating(ratings)[0] == result


def test_the_most_recent_rating_counts():
    result, reason = assess_rating([council("Inadequate", D(2024, 1, 1)), council("Silver", D(2026, 1, 1))])
    assert result == Result.PASS and "Silver of 01 January 2026, the most recent" in reason
    assert assess_rating([council("Silver", D(2024, 1, 1)), council("Inadequate", D(2026, 1, 1))])[0] == \
        Result.FAIL


def test_a_cqc_inadequate_can_never_enter_even_with_a_newer_council_rating():
    result, reason = assess_rating([cqc("Inadequate", D(2025, 1, 1)), council("Gold", D(2026, 1, 1))])
    assert result == Result.FAIL and "cannot join" in reason


def test_the_nhs_jqaf_counts_for_nursing_homes_only():
    assert assess_rating([nhs("Amber")])[0] == Result.PASS
    assert assess_rating([nhs("Amber", nursing_home=False)])[0] == Result.NEEDS_DECISION
    assert assess_rating([nhs("Red")])[0] == Result.FAIL


def test_entry_is_judged_for_the_service_applied_for_on_the_locations_that_deliver_it():
    """An NHS JQAF Green for the organisation's nursing home does not let its home-support
    branch in; each service's rating is read from its own locations."""
    branch_unrated = RatingEvidence(Source.CQC, "No published rating", D(2026, 2, 1),
                                    settings=frozenset({"home", "supported_living"}), location="Larches Home Care")
    ratings = [nhs("Green"), branch_unrated]
    assert assess_rating(ratings, "bed_based")[0] == Result.PASS
    assert assess_rating(ratings, "home")[0] == Result.NEEDS_DECISION
    overall, assessments = assess(CRITERIA, applicant(settings=("home", "bed_based"), ratings=ratings,
                                                      documents=[Document("insurance-el", None, True),
                                                                 Document("call-monitoring", None, True),
                                                                 Document("food-hygiene", None, True)],
                                                      nursing=True), TODAY)
    by_name = {a.name: a for a in assessments}
    assert by_name["Quality rating (care homes)"].result == Result.PASS
    assert "Larches Nursing Home" in by_name["Quality rating (care homes)"].reason
    assert by_name["Quality rating (home support)"].result == Result.NEEDS_DECISION
    assert overall == Result.NEEDS_DECISION


def applicant(settings=("home",), documents=(), ratings=(cqc("Good"),), declarations=None, nursing=False):
    return Applicant(frozenset(settings), nursing, tuple(ratings), tuple(documents),
                     declarations if declarations is not None else {"bankruptcy": "none"})


def test_a_home_support_provider_with_everything_in_order_passes():
    docs = [Document("insurance-el", D(2027, 3, 31), True), Document("call-monitoring", None, True)]
    overall, assessments = assess(CRITERIA, applicant(documents=docs), TODAY)
    assert overall == Result.PASS
    assert [a.code for a in assessments] == ["rating", "insurance-el", "call-monitoring", "bankruptcy"]
    assert "valid to 31 March 2027" in assessments[1].reason


def test_criteria_apply_by_service_a_care_home_needs_food_hygiene_not_call_monitoring():
    overall, assessments = assess(CRITERIA, applicant(settings=("bed_based",),
                                                      documents=[Document("insurance-el", None, True)]), TODAY)
    assert overall == Result.FAIL
    by_code = {a.code: a for a in assessments}
    assert "call-monitoring" not in by_code
    assert by_code["food-hygiene"].reason == "No food hygiene rating has been provided"


def test_an_expired_document_fails_with_its_date_and_an_unchecked_one_needs_a_decision():
    expired = assess(CRITERIA, applicant(documents=[Document("insurance-el", D(2026, 10, 31), True),
                                                    Document("call-monitoring", None, True)]), TODAY)
    assert expired[0] == Result.FAIL
    assert "expired on 31 October 2026" in expired[1][1].reason
    unchecked = assess(CRITERIA, applicant(documents=[Document("insurance-el", D(2027, 10, 31), False),
                                                      Document("call-monitoring", None, True)]), TODAY)
    assert unchecked[0] == Result.NEEDS_DECISION


def test_a_declared_bankruptcy_goes_to_a_commissioner_and_a_missing_declaration_fails():
    docs = [Document("insurance-el", None, True), Document("call-monitoring", None, True)]
    declared = assess(CRITERIA, applicant(documents=docs, declarations={"bankruptcy": "Director bankrupt 2019"}),
                      TODAY)
    assert declared[0] == Result.NEEDS_DECISION and "Director bankrupt 2019" in declared[1][-1].reason
    assert assess(CRITERIA, applicant(documents=docs, declarations={}), TODAY)[0] == Result.FAIL
