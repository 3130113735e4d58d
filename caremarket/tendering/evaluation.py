"""Evaluating offers for a care package: the council's evaluation policies as pure rules.

Each policy takes the offers and returns them ranked, each with its score breakdown and the
reasons, and says whether the rules pick a winner or the citizen chooses among a shortlist.
Nothing here reads the database (tendering.models and views call it).

- ``prospectus_2012`` (the 2012 Framework Prospectus): 60% quality, 40% price; the highest
  total wins. Every eligible offer is scored: the 2012 prospectus has no rule against
  awarding Bronze, so none is applied here.
  Quality points: Gold 60, Silver 45, Bronze 30, not yet rated 15, Inadequate 0.
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


def prospectus_2012(offers) -> Evaluation:
    eligible, refused = _screen(offers)
    ranked = []
    if eligible:
        lowest = min(o.price_pence for o in eligible)
        for offer in eligible:
            quality = QUALITY_POINTS[offer.rating]
            price = (PRICE_WEIGHT * lowest / offer.price_pence).quantize(TWO_PLACES, ROUND_HALF_UP)
            ranked.append(Ranked(offer, 0, scores={"quality": quality, "price": price, "total": quality + price},
                                 reasons=[f"Quality {quality} of 60 ({_label(offer.rating)}); price {price} of 40 "
                                          f"(lowest price {format_gbp(lowest)} ÷ {format_gbp(offer.price_pence)} × 40)"]))
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
