"""Where a care requirement goes before anyone is asked to bid (domain guide §3).

1. A Quick Discharge Service package goes straight to the Quick Discharge provider, who
   should start within four hours of the citizen being medically fit to leave hospital.
2. Otherwise a block contract with free capacity that can meet the needs is used first,
   unless its provider may take no new packages (framework.eligibility: suspended, rated
   Inadequate, evidence lapsed): then the requirement goes to tender, and the reason says so.
3. Otherwise the requirement is micro-tendered to every eligible provider.

Pure: the caller gathers the facts (tendering.services).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

QUICK_DISCHARGE_START_WITHIN = dt.timedelta(hours=4)


class Route(StrEnum):
    QUICK_DISCHARGE = "quick_discharge"
    BLOCK_CONTRACT = "block_contract"
    MICRO_TENDER = "micro_tender"


@dataclass(frozen=True)
class BlockContractCapacity:
    reference: str
    provider: str
    service_type: str
    area: str | None  # None: city-wide
    need_groups: frozenset[str]  # empty: any need
    free_hours: Decimal  # home support and supported living: hours a week left
    free_places: int  # bed-based: beds left
    ineligible: str = ""  # why the block provider may take no new packages (framework.eligibility)


@dataclass(frozen=True)
class RequirementFacts:
    service_type: str
    setting: str  # reference.ServiceType.Setting
    area: str | None
    need_groups: frozenset[str]
    weekly_hours: Decimal | None
    medically_fit_at: dt.datetime | None = None


@dataclass(frozen=True)
class RoutingDecision:
    route: Route
    reason: str
    block_contract: str | None = None
    provider: str | None = None
    start_by: dt.datetime | None = None


def _block_can_meet(block: BlockContractCapacity, need: RequirementFacts) -> str | None:
    """Why this block contract cannot take the package (None when it can)."""
    if block.service_type != need.service_type:
        return "a different service"
    if block.area is not None and block.area != need.area:
        return "a different area"
    if block.need_groups and not need.need_groups <= block.need_groups:
        return "not for these needs"
    if block.ineligible:
        return block.ineligible
    if need.setting == "bed_based":
        return None if block.free_places > 0 else "no free beds"
    hours = need.weekly_hours or Decimal(0)
    return None if block.free_hours >= hours else f"only {block.free_hours} free hours a week"


def route(need: RequirementFacts, *, quick_discharge_provider: str | None,
          block_contracts: list[BlockContractCapacity]) -> RoutingDecision:
    if need.service_type == "quick-discharge":
        if quick_discharge_provider is None:
            return RoutingDecision(Route.MICRO_TENDER, "No Quick Discharge provider is approved, so the package "
                                                       "is tendered")
        start_by = need.medically_fit_at + QUICK_DISCHARGE_START_WITHIN if need.medically_fit_at else None
        return RoutingDecision(
            Route.QUICK_DISCHARGE,
            f"Quick Discharge packages go straight to {quick_discharge_provider}"
            + (f", to start by {start_by:%H:%M on %d %B %Y} (4 hours after medically fit)" if start_by else ""),
            provider=quick_discharge_provider, start_by=start_by)
    # The block contract with the most room first, so blocks fill evenly; then by reference.
    for block in sorted(block_contracts, key=lambda b: (-b.free_places, -b.free_hours, b.reference)):
        if _block_can_meet(block, need) is None:
            return RoutingDecision(Route.BLOCK_CONTRACT,
                                   f"Block contract {block.reference} with {block.provider} has free capacity "
                                   "and can meet the needs, so it is used before tendering",
                                   block_contract=block.reference, provider=block.provider)
    barred = [f"block contract {b.reference} takes no new packages: {b.ineligible}" for b in block_contracts
              if b.ineligible and _block_can_meet(replace(b, ineligible=""), need) is None]
    if barred:
        why = "; ".join(barred)
    elif block_contracts:
        why = "no block contract has free capacity that meets the needs"
    else:
        why = "no block contract covers this service and area"
    return RoutingDecision(Route.MICRO_TENDER, f"Micro-tendered: {why}")
