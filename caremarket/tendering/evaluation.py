"""Evaluating offers for a care package: the council's evaluation policies as pure rules.

Each policy takes the offers and returns them ranked, each with its score breakdown and the
reasons, and says whether the rules pick a winner or the citizen chooses among a shortlist.
Nothing here reads the database (tendering.models and views call it).

- ``prospectus_2012`` (the 2012 Framework Prospectus): "Offers will be assessed against set
  criteria and allocated a score": 60 points for quality, 40 for price; the highest total
  wins. Every eligible offer is scored: the 2012 prospectus has no rule against awarding
  Bronze, so none is applied here.
  Quality: the policy's criteria (data: ``Criterion``), whose points add up to 60. A person
  (the broker, or a panel) scores each offer's response against each criterion on the
  policy's scale (0 to its top), with a reason; the criterion gives points × score ÷ top.
  One criterion may be the provider's quality rating instead of a person's score: Gold
  scores all its points, Silver three quarters, Bronze half, not yet rated a quarter,
  Inadequate none (with the rating as the only criterion, as before criteria were data:
  Gold 60, Silver 45, Bronze 30, not yet rated 15). Quality is rounded to two places.
  Price points: 40 × (lowest price among the eligible offers ÷ this offer's price), to two
  decimal places. Ties: the lower price, then the offer made first.
- ``strategy_2018`` (the 2018 commissioning strategy): the highest quality rating wins; a
  Bronze offer is not awarded where a better-rated offer exists. A tie on the top rating
  goes, for home support, to the most positive customer feedback (then the lower price,
  then the offer made first); for residential care and supported living the citizen chooses
  among the top-rated offers. Supported living ranks offers in the citizen's preferred
  location first and shows every offer in rating order.
  Customer feedback is the share of Friends and Family answers that would recommend the
  service. A service whose answers are all negative scores 0% and ranks above one with no
  answers at all: no answers is no evidence, so it ranks last on a tie, after 0%.
- Both: a provider that may not be awarded care (framework.eligibility: suspended, rated
  Inadequate, evidence lapsed) is not eligible, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from caremarket.core.money import format_gbp
from caremarket.quality.ratings import Rating

QUALITY_WEIGHT, PRICE_WEIGHT = Decimal(60), Decimal(40)
QUALITY_POINTS = {Rating.GOLD: Decimal(60), Rating.SILVER: Decimal(45), Rating.BRONZE: Decimal(30),
                  None: Decimal(15), Rating.INADEQUATE: Decimal(0)}
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Offer:
    reference: str
    provider: str
    price_pence: int  # the offer's price for the package (a week of care)
    rating: Rating | None
    suspended: bool = False
    feedback_score: Decimal | None = None  # share of positive customer feedback, 0 to 100
    in_preferred_location: bool = False
    submitted_order: int = 0  # earlier offers first on a final tie
    ineligible_reason: str = ""  # why the provider may not be awarded care (framework.eligibility)
    accommodation_price_pence: int = 0  # under a fixed fee: the accommodation the citizen asked for, a week
    scores: dict = field(default_factory=dict)  # 2012 criteria a person scored: {criterion key: (score, reason)}


@dataclass(frozen=True)
class Criterion:
    """A 2012 quality criterion: what an offer is scored on, and its share of the 60 points."""
    key: str
    name: str
    points: Decimal
    from_rating: bool = False  # scored by the provider's quality rating, not by a person


RATING_ONLY = (Criterion("rating", "The provider's quality rating", QUALITY_WEIGHT, from_rating=True),)
SCALE_TOP = 4  # the scoring scale runs from 0 to this unless a policy says otherwise


class CriteriaError(ValueError):
    """Criteria that cannot be scored on (points not adding up to 60, two rating criteria)."""


def check_criteria(criteria, scale_top: int) -> None:
    if not criteria:
        raise CriteriaError("A 2012 policy needs at least one quality criterion")
    if scale_top < 1:
        raise CriteriaError("The scoring scale runs from 0 to at least 1")
    if sum(c.points for c in criteria) != QUALITY_WEIGHT:
        raise CriteriaError(f"The criteria's points add up to {sum(c.points for c in criteria)}: they must add up "
                            f"to the {QUALITY_WEIGHT} quality points")
    if any(c.points <= 0 for c in criteria):
        raise CriteriaError("Every criterion is worth more than nothing")
    if len({c.key for c in criteria}) != len(criteria) or sum(c.from_rating for c in criteria) > 1:
        raise CriteriaError("Each criterion is named once, and at most one is the provider's rating")


SCALE_MEANINGS = {0: "Does not show how it would be met", 1: "Meets it in part, with serious gaps",
                  2: "Meets it adequately", 3: "Meets it well", 4: "Meets it fully, with clear evidence"}


def unscored(offers, criteria) -> list[tuple[str, str]]:
    """(offer, criterion) pairs a person has still to score before the offers can be evaluated."""
    return [(o.reference, c.key) for o in offers for c in criteria if not c.from_rating and c.key not in o.scores]


def may_be_awarded(offers) -> list[Offer]:
    """The offers the screen lets through (the others are neither scored nor ranked)."""
    return _screen(offers)[0]


def still_to_score(offers, criteria) -> list[tuple[str, str]]:
    """``unscored`` among the offers that may be awarded (others are not scored at all)."""
    return unscored(_screen(offers)[0], criteria)


@dataclass
class Ranked:
    offer: Offer
    position: int | None  # None: not eligible
    scores: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.position is not None


@dataclass
class Evaluation:
    policy: str
    ranked: list[Ranked]
    winner: Ranked | None  # None when the citizen chooses, or nobody is eligible
    shortlist: list[Ranked]  # the offers the citizen chooses among (the winner alone otherwise)
    summary: str


def _label(rating: Rating | None) -> str:
    return rating.label if rating else "not yet rated"


def _screen(offers) -> tuple[list[Offer], list[Ranked]]:
    """Offers that may be awarded, and those that may not, with why."""
    eligible, refused = [], []
    for offer in offers:
        if offer.price_pence <= 0:
            refused.append(Ranked(offer, None, reasons=["The price must be more than nothing"]))
        elif offer.ineligible_reason:
            refused.append(Ranked(offer, None, reasons=[offer.ineligible_reason]))
        elif offer.suspended or offer.rating == Rating.INADEQUATE:
            refused.append(Ranked(offer, None, reasons=[f"{offer.provider} is suspended from bidding"]))
        else:
            eligible.append(offer)
    return eligible, refused


def _screen_bronze(eligible, refused) -> None:
    """2018 strategy: Bronze is not awarded where a better-rated offer exists."""
    best = max((o.rating for o in eligible if o.rating is not None), default=None)
    if best is not None and best > Rating.BRONZE:
        for offer in [o for o in eligible if o.rating == Rating.BRONZE]:
            eligible.remove(offer)
            refused.append(Ranked(offer, None, reasons=[
                f"Rated Bronze: not awarded while a better-rated offer ({best.label}) exists"]))


NO_FEEDBACK = Decimal(-1)  # ranks below 0%: see the module's docstring


def _feedback_reason(score: Decimal | None) -> str:
    if score is None:
        return ", no customer feedback answers in the last 12 months (ranks after any score on a tie)"
    return f", {score}% positive feedback"


def _quality(offer: Offer, criteria, scale_top: int) -> tuple[Decimal, list[str]]:
    """An offer's quality points, and a line for each criterion saying how it scored."""
    points, lines = Decimal(0), []
    for c in criteria:
        if c.from_rating:
            got = c.points * QUALITY_POINTS[offer.rating] / QUALITY_WEIGHT
            lines.append(f"{c.name}: {_label(offer.rating)}, {_points(got)} of {_points(c.points)}")
        else:
            score, reason = offer.scores[c.key]
            if not 0 <= score <= scale_top:
                raise CriteriaError(f"A score is from 0 to {scale_top}")
            got = c.points * score / scale_top
            lines.append(f"{c.name}: {score} of {scale_top}, {_points(got)} of {_points(c.points)} ({reason})")
        points += got
    return points.quantize(TWO_PLACES, ROUND_HALF_UP), lines


def _points(value: Decimal) -> str:
    """Points as people write them: 15, 22.5, 11.25 (never 15.00)."""
    value = value.quantize(TWO_PLACES, ROUND_HALF_UP)
    return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value.to_integral_value():f}"


def prospectus_2012(offers, criteria=RATING_ONLY, scale_top: int = SCALE_TOP) -> Evaluation:
    check_criteria(criteria, scale_top)
    eligible, refused = _screen(offers)
    if missing := unscored(eligible, criteria):
        raise CriteriaError(f"{len(missing)} score{'s are' if len(missing) != 1 else ' is'} still to be given")
    ranked = []
    if eligible:
        lowest = min(o.price_pence for o in eligible)
        for offer in eligible:
            quality, lines = _quality(offer, criteria, scale_top)
            price = (PRICE_WEIGHT * lowest / offer.price_pence).quantize(TWO_PLACES, ROUND_HALF_UP)
            if criteria == RATING_ONLY:
                quality_reason = f"Quality {_points(quality)} of 60 ({_label(offer.rating)})"
            else:
                quality_reason = f"Quality {quality} of 60: " + "; ".join(lines)
            ranked.append(Ranked(offer, 0, scores={"quality": quality, "price": price, "total": quality + price},
                                 reasons=[f"{quality_reason}; price {price} of 40 (lowest price {format_gbp(lowest)} "
                                          f"÷ {format_gbp(offer.price_pence)} × 40)"]))
        ranked.sort(key=lambda r: (-r.scores["total"], r.offer.price_pence, r.offer.submitted_order))
        for position, item in enumerate(ranked, start=1):
            item.position = position
    winner = ranked[0] if ranked else None
    summary = (f"{winner.offer.provider} wins with {winner.scores['total']} points of 100" if winner
               else "No offer can be awarded")
    return Evaluation("prospectus_2012", ranked + refused, winner, [winner] if winner else [], summary)


def strategy_2018(offers, *, setting: str) -> Evaluation:
    """``setting``: "home", "bed_based" or "supported_living" (reference.ServiceType.setting)."""
    eligible, refused = _screen(offers)
    _screen_bronze(eligible, refused)
    rank_value = lambda o: int(o.rating) if o.rating else 0
    if setting == "home":
        key = lambda o: (-rank_value(o), -(NO_FEEDBACK if o.feedback_score is None else o.feedback_score),
                         o.price_pence, o.submitted_order)
    elif setting == "supported_living":
        key = lambda o: (not o.in_preferred_location, -rank_value(o), o.submitted_order)
    else:
        key = lambda o: (-rank_value(o), o.submitted_order)
    ranked = [Ranked(o, position, scores={"rating": _label(o.rating), "feedback": o.feedback_score},
                     reasons=[f"Rated {_label(o.rating)}"
                              + (_feedback_reason(o.feedback_score) if setting == "home" else "")
                              + (", in the citizen's preferred location" if o.in_preferred_location and
                                 setting == "supported_living" else "")])
              for position, o in enumerate(sorted(eligible, key=key), start=1)]
    if not ranked:
        return Evaluation("strategy_2018", refused, None, [], "No offer can be awarded")
    if setting == "home":
        winner = ranked[0]
        tied = [r for r in ranked if rank_value(r.offer) == rank_value(winner.offer)]
        why = (f"the highest rating ({_label(winner.offer.rating)})" if len(tied) == 1 else
               f"the highest rating ({_label(winner.offer.rating)}), shared by {len(tied)}, and the most positive "
               "customer feedback")
        return Evaluation("strategy_2018", ranked + refused, winner, [winner], f"{winner.offer.provider} wins: {why}")
    top = ranked[0]
    if setting == "supported_living":
        shortlist = [r for r in ranked if r.offer.in_preferred_location == top.offer.in_preferred_location
                     and rank_value(r.offer) == rank_value(top.offer)]
    else:
        shortlist = [r for r in ranked if rank_value(r.offer) == rank_value(top.offer)]
    if len(shortlist) == 1:
        return Evaluation("strategy_2018", ranked + refused, top, shortlist,
                          f"{top.offer.provider} wins: the highest rating ({_label(top.offer.rating)})")
    return Evaluation("strategy_2018", ranked + refused, None, shortlist,
                      f"The citizen chooses among the {len(shortlist)} offers rated {_label(top.offer.rating)}")
