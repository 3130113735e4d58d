"""A care package as the payment rules see it: its weekly cost from each day, its suspensions
and end (payments.scheduled), and who funds it (packages.funding)."""

from __future__ import annotations

from decimal import Decimal

from caremarket.packages import funding
from caremarket.packages.models import CarePackage, PackageChange, PackageFunding

from . import scheduled


def as_scheduled(package: CarePackage, approved_changes) -> scheduled.Package:
    """The package as the scheduled-payment rule sees it: the weekly cost the council pays the
    provider (its price plus any top-up it recovers) from each day, suspensions and the end."""
    prices = [scheduled.Price(package.start_on, package.weekly_price_pence + package.top_up_pence)]
    suspended = []
    for change in approved_changes:
        if change.kind == PackageChange.Kind.PRICE:
            prices.append(scheduled.Price(change.effective_from, change.weekly_price_pence + package.top_up_pence))
        elif change.kind == PackageChange.Kind.SUSPENSION:
            suspended.append((change.effective_from, change.effective_to))
    # An approved end is held on the package itself (decide_change), as is a hand-back's.
    return scheduled.Package(package.reference, package.start_on, package.end_on, tuple(prices), tuple(suspended))


def as_funding(package: CarePackage, weekly_pence: int, row: PackageFunding | None) -> funding.Funding:
    return funding.Funding(price_pence=max(weekly_pence - package.top_up_pence, 0), top_up_pence=package.top_up_pence,
                           nhs_percent=row.nhs_percent if row else Decimal(0),
                           client_contribution_pence=row.client_contribution_pence if row else 0)
