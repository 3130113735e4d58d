"""What the steps of placing care share: the tender policy and the fixed fee
for a requirement, and providers' standing for it (framework.eligibility).
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError

from caremarket.core import clock
from caremarket.fees import services as fees
from caremarket.fees.pricing import PriceDecision
from caremarket.framework import eligibility
from caremarket.framework.councils import frameworks_of
from caremarket.framework.standing import section_standings
from caremarket.quality.models import QualityRating
from caremarket.quality.ratings import Rating

from ..models import CareRequirement, TenderPolicy

# --- policy -------------------------------------------------------------------------------

def policy_for(requirement: CareRequirement) -> TenderPolicy:
    """How this care is tendered: the policy for its service under the frameworks its council
    tenders under (framework.councils), the newest framework's where there are several."""
    policy = (TenderPolicy.objects.filter(framework__in=frameworks_of(requirement.council_id),
                                          service_type=requirement.service_type)
              .order_by("-framework__starts_on").first())
    if policy is None:
        raise ValidationError({"service_type": f"There is no tender policy for {requirement.service_type} under "
                                               "the council's frameworks; a commissioner must set one"})
    return policy


def fixed_fee(requirement: CareRequirement, *, rating: int | None = None, rules=None) -> PriceDecision | None:
    """The council's fixed fee for this care from the published fee schedule, with its reasons;
    None where the provider prices it open book."""
    return fees.fixed_fee(requirement.service_type, requirement.citizen.date_of_birth, requirement.start_on,
                          requirement.weekly_hours, rating, rules, council_id=requirement.council_id)


def fixed_weekly_price(requirement: CareRequirement, *, rules=None) -> int | None:
    fee = fixed_fee(requirement, rules=rules)
    return fee.weekly_pence if fee else None


def priced_at_fee(requirement: CareRequirement, location, values: dict, rules=None) -> dict:
    """The package's values priced at the fixed fee, with any quality uplift the provider's
    rating earns under the council's rating system (fees.pricing); unchanged where the care is
    priced open book."""
    rating = QualityRating.objects.filter(council=requirement.council_id, location=location,
                                          is_current=True).values_list("rating", flat=True).first()
    fee = fixed_fee(requirement, rating=rating, rules=rules)
    if fee is None:
        return values
    return {**values, "weekly_price_pence": fee.weekly_pence, "hourly_rate_pence": fee.hourly_pence,
            "price_basis": fee.basis, "decision": {**values.get("decision", {}), "price": fee.reason}}


def standings(requirement: CareRequirement, organisation_ids, *, areas=None,
              locations: dict[int, int] | None = None, names: dict[int, str] | None = None,
              location_ratings: dict[int, int | None] | None = None) -> dict[int, eligibility.Standing]:
    """Each provider's standing for this requirement now (framework.eligibility), with the
    rating the council gave the service that would deliver the care where it is known (organisation → location;
    ``location_ratings`` when the caller has read them already). The council's frameworks, the areas and the
    need groups are read inside the one query on the providers' sections."""
    found = section_standings(list(organisation_ids), frameworks=frameworks_of(requirement.council_id),
                              service_type=requirement.service_type,
                              areas=areas if areas is not None else [requirement.area],
                              need_groups=requirement.need_groups.all(), as_of=clock.today(), names=names)
    if locations:
        ratings = location_ratings if location_ratings is not None else dict(
            QualityRating.objects.filter(council=requirement.council_id, location_id__in=locations.values(),
                                         is_current=True)
            .values_list("location_id", "rating"))
        for organisation_id, location_id in locations.items():
            rating = ratings.get(location_id)
            found[organisation_id] = replace(found[organisation_id], rated=True,
                                             rating=Rating(rating) if rating else None)
    return found
