"""The citizen's choice of care home and any third-party top-up (Care and Support Statutory
Guidance, annex A; domain guide §3).

The council pays what the rules would award: the winning offer's price, or, when the citizen
chooses among top-rated offers, the lowest price among them. Choosing an offer that costs
more leaves a difference that a named third party (a relative, a friend) may pay as a
top-up, and only where the citizen asked for more expensive accommodation or for services
beyond their eligible needs. Otherwise the council must meet the choice at its own cost or
the citizen chooses again.

Pure: the caller passes the evaluation (tendering.evaluation) and the citizen's request.
"""

from __future__ import annotations

from dataclasses import dataclass

from caremarket.core.money import format_gbp

from .evaluation import Evaluation


@dataclass(frozen=True)
class ChoiceDecision:
    allowed: bool
    council_pays_pence: int
    top_up_pence: int
    reason: str


def council_price_pence(evaluation: Evaluation) -> int | None:
    """What the rules would pay for this package: the winner's price, else the lowest in the shortlist."""
    if evaluation.winner is not None:
        return evaluation.winner.offer.price_pence
    return min((r.offer.price_pence for r in evaluation.shortlist), default=None)


def decide_choice(evaluation: Evaluation, chosen_reference: str, *, asked_for_more_expensive: bool,
                  top_up_payer: str = "") -> ChoiceDecision:
    chosen = next((r for r in evaluation.ranked if r.offer.reference == chosen_reference), None)
    if chosen is None:
        return ChoiceDecision(False, 0, 0, f"There is no offer {chosen_reference} on this tender")
    if not chosen.eligible:
        return ChoiceDecision(False, 0, 0, f"{chosen.offer.provider}'s offer cannot be awarded: "
                                           + "; ".join(chosen.reasons))
    reference_price = council_price_pence(evaluation)
    # Under a fixed fee the offer's price is the fee; the accommodation the citizen asked for
    # is priced on top of it, and only a top-up pays for that.
    chosen_price = chosen.offer.price_pence + chosen.offer.accommodation_price_pence
    difference = chosen_price - reference_price
    if difference <= 0:
        return ChoiceDecision(True, chosen.offer.price_pence, 0,
                              f"The citizen chose {chosen.offer.provider}; it costs no more than the council's "
                              f"price of {format_gbp(reference_price)} a week, so the council pays it all")
    if not asked_for_more_expensive:
        return ChoiceDecision(False, reference_price, difference,
                              f"{chosen.offer.provider} costs {format_gbp(difference)} a week more than the "
                              "council's price, and a top-up is allowed only where the citizen asked for more "
                              "expensive accommodation or services beyond their eligible needs")
    if not top_up_payer.strip():
        return ChoiceDecision(False, reference_price, difference,
                              f"A top-up of {format_gbp(difference)} a week needs a named person who "
                              "agrees to pay it")
    return ChoiceDecision(True, reference_price, difference,
                          f"The citizen chose {chosen.offer.provider} at {format_gbp(chosen_price)} "
                          f"a week; the council pays {format_gbp(reference_price)} and {top_up_payer.strip()} "
                          f"pays a top-up of {format_gbp(difference)} a week")
