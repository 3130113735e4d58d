"""Evaluation policies with worked examples, ties, Bronze and suspension."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.quality.ratings import Rating
from caremarket.tendering.evaluation import (
    CriteriaError,
    Criterion,
    Offer,
    check_criteria,
    prospectus_2012,
    strategy_2018,
)

G, S, B, I = Rating.GOLD, Rating.SILVER, Rating.BRONZE, Rating.INADEQUATE


def offer(ref, rating, price, **extra):
    return Offer(ref, f"Provider {ref}", price, rating, **extra)


def test_2012_sixty_quality_forty_price_worked_example():
    result = prospectus_2012([offer("A", G, 30000), offer("B", S, 25000), offer("C", S, 20000)])
    scores = {r.offer.reference: r.scores["total"] for r in result.ranked}
    # A: 60 + 40 × 200/300 = 86.67; B: 45 + 32 = 77; C: 45 + 40 = 85.
    assert scores == {"A": Decimal("86.67"), "B": Decimal("77.00"), "C": Decimal("85.00")}
    assert result.winner.offer.reference == "A"
    assert result.summary == "Provider A wins with 86.67 points of 100"
    assert "lowest price £200.00 ÷ £300.00 × 40" in result.winner.reasons[0]


def test_2012_a_tie_goes_to_the_lower_price_then_the_first_offer():
    tie = prospectus_2012([offer("A", S, 20000, submitted_order=2), offer("B", S, 20000, submitted_order=1)])
    assert tie.winner.offer.reference == "B"


def test_suspended_and_inadequate_providers_cannot_win():
    result = prospectus_2012([offer("A", G, 10000, suspended=True), offer("B", I, 10000), offer("C", S, 30000)])
    assert result.winner.offer.reference == "C"
    refused = {r.offer.reference: r.reasons[0] for r in result.ranked if not r.eligible}
    assert refused == {"A": "Provider A is suspended from bidding", "B": "Provider B is suspended from bidding"}


def test_bronze_is_not_awarded_where_a_better_rated_offer_exists():
    result = strategy_2018([offer("A", B, 10000), offer("B", S, 40000)], setting="home")
    assert result.winner.offer.reference == "B"
    assert [r.reasons[0] for r in result.ranked if not r.eligible] == [
        "Rated Bronze: not awarded while a better-rated offer (Silver) exists"]
    only_bronze = strategy_2018([offer("A", B, 10000)], setting="home")
    assert only_bronze.winner.offer.reference == "A"


def test_2012_scores_every_eligible_offer_bronze_included_and_the_lowest_price_is_among_the_eligible():
    """The 2012 prospectus has no Bronze screen (that is the 2018 policy's); "lowest price
    offered" is the lowest among the offers that may be awarded."""
    result = prospectus_2012([offer("A", B, 20000), offer("B", S, 30000), offer("C", S, 10000, suspended=True)])
    scores = {r.offer.reference: r.scores["total"] for r in result.ranked if r.eligible}
    # A: 30 + 40 × 200/200 = 70; B: 45 + 40 × 200/300 = 71.67. C's £100 is not the lowest: it cannot be awarded.
    assert scores == {"A": Decimal("70.00"), "B": Decimal("71.67")}
    assert result.winner.offer.reference == "B"
    cheap_bronze = prospectus_2012([offer("A", B, 10000), offer("B", S, 30000)])
    assert cheap_bronze.winner.offer.reference == "A"  # 30 + 40 = 70 beats 45 + 13.33 = 58.33


def test_2018_feedback_of_0_percent_ranks_above_no_feedback_answers_at_all():
    result = strategy_2018([offer("A", S, 20000, feedback_score=None),
                            offer("B", S, 20000, feedback_score=Decimal(0))], setting="home")
    assert result.winner.offer.reference == "B"
    reasons = {r.offer.reference: r.reasons[0] for r in result.ranked}
    assert reasons["B"] == "Rated Silver, 0% positive feedback"
    assert "no customer feedback answers in the last 12 months" in reasons["A"]


def test_2018_home_support_a_tie_on_rating_goes_to_the_most_positive_feedback():
    result = strategy_2018([offer("A", S, 20000, feedback_score=Decimal(80)),
                            offer("B", S, 25000, feedback_score=Decimal(95)),
                            offer("C", G, 30000, feedback_score=Decimal(60)),
                            offer("D", G, 30000, feedback_score=Decimal(90))], setting="home")
    assert [r.offer.reference for r in result.ranked] == ["D", "C", "B", "A"]
    assert result.summary == ("Provider D wins: the highest rating (Gold), shared by 2, and the most positive "
                              "customer feedback")


def test_2018_residential_the_citizen_chooses_among_the_top_rated():
    result = strategy_2018([offer("A", S, 80000), offer("B", G, 90000), offer("C", G, 95000)], setting="bed_based")
    assert result.winner is None
    assert [r.offer.reference for r in result.shortlist] == ["B", "C"]
    assert result.summary == "The citizen chooses among the 2 offers rated Gold"


def test_2018_supported_living_location_first_and_every_offer_in_rating_order():
    result = strategy_2018([offer("A", G, 50000), offer("B", S, 50000, in_preferred_location=True),
                            offer("C", G, 50000, in_preferred_location=True)], setting="supported_living")
    assert [r.offer.reference for r in result.ranked] == ["C", "B", "A"]
    assert result.winner.offer.reference == "C"


def test_nobody_eligible_means_no_award():
    assert strategy_2018([offer("A", I, 100)], setting="home").winner is None
    assert prospectus_2012([]).summary == "No offer can be awarded"


offers = st.lists(st.builds(
    Offer, st.text("ABCDEFGH", min_size=1, max_size=3), st.just("P"), st.integers(1, 500_000),
    st.sampled_from([None, *Rating]), st.booleans(), st.one_of(st.none(), st.decimals(0, 100, places=0)),
    st.booleans(), st.integers(0, 50)), max_size=12)


@given(offers, st.sampled_from(["home", "bed_based", "supported_living"]))
def test_winners_are_never_suspended_or_inadequate_and_2018_never_awards_an_outranked_bronze(some, setting):
    for result in (prospectus_2012(some), strategy_2018(some, setting=setting)):
        for chosen in result.shortlist:
            assert not chosen.offer.suspended and chosen.offer.rating != Rating.INADEQUATE
        assert len(result.ranked) == len(some)  # every offer is accounted for, with its reasons
    best = max((o.rating for o in some if o.rating and not o.suspended and o.rating != I and o.price_pence > 0),
               default=None)
    if best and best > B:
        assert all(r.offer.rating != B for r in strategy_2018(some, setting=setting).shortlist)
    # The 2012 prospectus scores every eligible offer: no Bronze screen.
    eligible = [o for o in some if not o.suspended and o.rating != I and o.price_pence > 0]
    assert len([r for r in prospectus_2012(some).ranked if r.eligible]) == len(eligible)


@given(offers)
def test_2018_home_support_always_names_one_winner_with_the_top_rating(some):
    result = strategy_2018(some, setting="home")
    if result.winner:
        eligible = [r.offer for r in result.ranked if r.eligible]
        assert all((o.rating or 0) <= (result.winner.offer.rating or 0) for o in eligible)


# --- the 2012 rule's quality criteria: offers scored, not only providers ---------------------

NEEDS = Criterion("needs", "How the offer meets the citizen's eligible needs", Decimal(30))
CONTINUITY = Criterion("continuity", "Continuity of care staff", Decimal(15))
RATING = Criterion("rating", "The provider's quality rating", Decimal(15), from_rating=True)
CRITERIA = (NEEDS, CONTINUITY, RATING)


def test_2012_hand_worked_example_two_offers_scored_against_criteria():
    """Scale 0 to 4. A: £520 a week, Silver, needs 3, continuity 2. B: £475, Bronze, needs 4, continuity 3.
    A: quality 30×3/4 + 15×2/4 + 15×¾ = 22.5 + 7.5 + 11.25 = 41.25; price 40 × 475/520 = 36.538… = 36.54;
       total 77.79.
    B: quality 30 + 15×3/4 + 15×½ = 30 + 11.25 + 7.5 = 48.75; price 40.00; total 88.75.
    By the rating alone, A (45 + 36.54 = 81.54) would beat B (30 + 40 = 70): the response decides."""
    a = Offer("A", "Provider A", 52000, S, scores={"needs": (3, "Covers washing, not meals"),
                                                   "continuity": (2, "Rota of six carers a week")})
    b = Offer("B", "Provider B", 47500, B, scores={"needs": (4, "Every need, with named visits"),
                                                   "continuity": (3, "Two named carers, one cover")})
    result = prospectus_2012([a, b], CRITERIA, 4)
    scores = {r.offer.reference: (r.scores["quality"], r.scores["price"], r.scores["total"]) for r in result.ranked}
    assert scores == {"A": (Decimal("41.25"), Decimal("36.54"), Decimal("77.79")),
                      "B": (Decimal("48.75"), Decimal("40.00"), Decimal("88.75"))}
    assert result.winner.offer.reference == "B"
    assert result.summary == "Provider B wins with 88.75 points of 100"
    why_a = next(r for r in result.ranked if r.offer.reference == "A").reasons[0]
    assert ("How the offer meets the citizen's eligible needs: 3 of 4, 22.5 of 30 (Covers washing, not meals)"
            in why_a)
    assert "The provider's quality rating: Silver, 11.25 of 15" in why_a
    assert prospectus_2012([a, b]).winner.offer.reference == "A"  # the rating-only rule, as before


def test_2012_offers_are_not_evaluated_until_every_response_is_scored():
    unscored = Offer("A", "Provider A", 52000, S, scores={"needs": (3, "Covers washing")})
    with pytest.raises(CriteriaError, match="1 score is still to be given"):
        prospectus_2012([unscored], CRITERIA, 4)
    suspended = Offer("B", "Provider B", 40000, S, suspended=True)  # not scored: it cannot be awarded
    with pytest.raises(CriteriaError):
        prospectus_2012([unscored, suspended], CRITERIA, 4)


@pytest.mark.parametrize("criteria, says", [
    ((NEEDS, RATING), "add up to 45"),
    ((NEEDS, Criterion("more", "More", Decimal(30))), ""),
    ((Criterion("x", "X", Decimal(70)), Criterion("y", "Y", Decimal(-10))), "more than nothing"),
    ((RATING, Criterion("r2", "Again", Decimal(45), from_rating=True)), "at most one"),
])
def test_criteria_must_add_up_to_the_sixty_quality_points(criteria, says):
    if not says:
        check_criteria(criteria, 4)
        return
    with pytest.raises(CriteriaError, match=says):
        check_criteria(criteria, 4)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from([G, S, B, None]),
                          st.integers(1, 10_000_00)), min_size=1, max_size=6),
       st.integers(0, 5), st.integers(0, 1))
def test_2012_scores_stay_within_their_points_and_a_better_score_never_lowers_an_offer(rows, which, criterion):
    offers = [Offer(str(i), f"P{i}", price, rating, submitted_order=i,
                    scores={"needs": (n, "why"), "continuity": (c, "why")})
              for i, (n, c, rating, price) in enumerate(rows)]
    result = prospectus_2012(offers, CRITERIA, 4)
    for r in result.ranked:
        assert 0 <= r.scores["quality"] <= 60 and 0 <= r.scores["price"] <= 40
        assert r.scores["total"] == r.scores["quality"] + r.scores["price"]
    target = offers[which % len(offers)]
    key = ("needs", "continuity")[criterion]
    if target.scores[key][0] < 4:
        better = Offer(target.reference, target.provider, target.price_pence, target.rating,
                       submitted_order=target.submitted_order,
                       scores={**target.scores, key: (target.scores[key][0] + 1, "better")})
        again = prospectus_2012([better if o is target else o for o in offers], CRITERIA, 4)
        before = next(r for r in result.ranked if r.offer.reference == target.reference)
        after = next(r for r in again.ranked if r.offer.reference == target.reference)
        assert after.scores["total"] > before.scores["total"] and after.position <= before.position
