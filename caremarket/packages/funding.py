"""Who funds a package, and each funder's part of a payment. Pure.

The council pays the provider the whole weekly cost (its price plus any third-party top-up:
the council stays liable for it, Care Act guidance) and then recovers the other funders'
parts itself, so a provider is never chasing a family or the NHS:

- the NHS pays its joint-funding share, a percentage of the council's price (rounded once);
- the citizen pays their assessed weekly contribution, never more than the council's part;
- the named third party pays the top-up;
- the council pays the rest.

A payment line for some days is split among the funders in proportion to their weekly
parts (caremarket.core.money.allocate), so the parts always add up to the line exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import allocate, round_pence

FUNDERS = ("council", "nhs", "client", "top_up")


@dataclass(frozen=True)
class Funding:
    price_pence: int  # the council's weekly price
    top_up_pence: int = 0
    nhs_percent: Decimal = Decimal(0)
    client_contribution_pence: int = 0

    @property
    def weekly_total_pence(self) -> int:
        return self.price_pence + self.top_up_pence


def weekly_parts(funding: Funding) -> dict[str, int]:
    nhs = round_pence(Decimal(funding.price_pence) * funding.nhs_percent / 100)
    client = min(funding.client_contribution_pence, funding.price_pence - nhs)
    return {"council": funding.price_pence - nhs - client, "nhs": nhs, "client": client,
            "top_up": funding.top_up_pence}


def split(amount_pence: int, funding: Funding) -> dict[str, int]:
    """Each funder's part of a payment of ``amount_pence`` (negative for a recovery)."""
    parts = weekly_parts(funding)
    if not any(parts.values()):
        return {"council": amount_pence, "nhs": 0, "client": 0, "top_up": 0}
    return dict(zip(FUNDERS, allocate(amount_pence, [parts[f] for f in FUNDERS])))
