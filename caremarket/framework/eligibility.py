"""Whether a provider may be asked to offer, may offer and may be awarded care: one rule for
every step of placing care. Pure: the caller gathers the provider's standing.

From the 2018 commissioning strategy ("Entry criteria", "The quality rating system",
"Care package allocation process"):

- only a provider approved for the framework section is asked, and only it may offer;
- a provider suspended from bidding on the section (rated Inadequate, or suspended by a
  commissioner) is neither asked, nor may offer, nor be awarded;
- a service rated Inadequate is suspended from bidding;
- a provider whose required compliance evidence for the service setting has lapsed (an
  expired insurance certificate, say) may not bid until it is renewed;
- a service with no rating yet may offer and be ranked, but "where there is still no CQC
  rating at the point of tendering, the council or NHS inspects before the contract is
  awarded": award waits for that inspection, and then the rating decides.

The same rules hold when a block contract would take the package: a block provider that is
suspended, rated Inadequate or missing evidence gets no new packages.

The rule is checked at each step because standing changes in between: evidence lapses and
suspensions land between invitation and offer, and between the tender closing and award.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from caremarket.quality.ratings import Rating


class Step(enum.StrEnum):
    INVITATION = "invitation"
    OFFER = "offer"
    CLOSE = "close"
    AWARD = "award"
    BLOCK_CONTRACT = "block_contract"


@dataclass(frozen=True)
class LapsedEvidence:
    name: str  # "Public liability insurance"
    expired_on: dt.date | None


@dataclass(frozen=True)
class Standing:
    """What the rule needs to know of a provider (and, from the offer on, of the service that
    would deliver the care) at one moment."""

    provider: str
    approved: bool = True  # approved for a matching section (even if suspended there)
    suspension: str = ""  # why bidding is suspended on the section; "" when it is not
    lapsed_evidence: tuple[LapsedEvidence, ...] = ()
    rated: bool = False  # whether the delivering service is known (from the offer on)
    rating: Rating | None = None  # its current rating; None: not yet rated


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = ()
    awaiting_inspection: bool = False  # may be ranked, not yet awarded

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _evidence_reason(item: LapsedEvidence, step: Step, provider: str) -> str:
    expired = f" expired on {item.expired_on:%d %B %Y}" if item.expired_on else " has no expiry date recorded"
    if step == Step.OFFER:
        return f"Your {item.name.lower()}{expired}: renew it to offer"
    return f"{provider}'s {item.name.lower()}{expired}"


def check(standing: Standing, step: Step) -> Eligibility:
    """May this provider take part at this step? Every failure, with its reason."""
    you = step == Step.OFFER
    who, whose = ("Your organisation", "Your") if you else (standing.provider, f"{standing.provider}'s")
    reasons = []
    if not standing.approved and step != Step.BLOCK_CONTRACT:  # a block contract is a contract of its own
        reasons.append(f"{who} is not approved for this framework section")
    if standing.suspension:
        reasons.append(f"{who} is suspended from bidding on this section: {standing.suspension}")
    elif standing.rated and standing.rating == Rating.INADEQUATE:
        reasons.append(f"{whose} service is rated Inadequate, so it is suspended from bidding")
    reasons += [_evidence_reason(item, step, standing.provider) for item in standing.lapsed_evidence]
    if reasons:
        return Eligibility(False, tuple(reasons))
    if step == Step.AWARD and standing.rated and standing.rating is None:
        return Eligibility(False, (f"{standing.provider}'s service has no quality rating yet: the council or the "
                                   "NHS must inspect it before the contract is awarded",), awaiting_inspection=True)
    return Eligibility(True)
