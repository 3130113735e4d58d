"""Hand-backs: a provider gives packages back (market exit, deregistration, rated Inadequate).

Every package handed back ends and becomes a new requirement for the same citizen. Home
support is placed at once by the batch allocator (tendering.allocation) with the providers
in the area, then those next to it, within their stated spare capacity and lot limits;
whatever cannot be placed, and every bed-based or supported-living package, is
micro-tendered in its area under the usual rules. Re-running a hand-back changes nothing:
packages already handed back are not handed back again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.fees import services as fees
from caremarket.framework import eligibility
from caremarket.framework.compliance import lapsed_evidence
from caremarket.framework.councils import frameworks_of
from caremarket.framework.eligibility import Standing, Step
from caremarket.framework.enrolment import provider_size
from caremarket.framework.models import SectionApproval
from caremarket.framework.sizes import LOT_LIMITS
from caremarket.geography.models import Area
from caremarket.packages.models import CarePackage
from caremarket.packages.services import tell
from caremarket.quality.models import QualityRating
from caremarket.quality.ratings import Rating

from . import allocation, services
from .models import CareRequirement, ProviderCapacity


@dataclass
class HandBackResult:
    handed_back: int = 0
    placed: dict[str, str] = field(default_factory=dict)  # new requirement reference → provider name
    tendered: list[str] = field(default_factory=list)
    unplaced_reasons: dict[str, str] = field(default_factory=dict)
    batch: allocation.Allocation | None = None
    greedy: allocation.Allocation | None = None


def home_support_providers(exclude_organisation_id: int, council_id: int) -> list[allocation.Provider]:
    """Home-support providers approved under the council's frameworks, as the allocator sees them."""
    approvals = (SectionApproval.objects.filter(section__framework__in=frameworks_of(council_id),
                                                section__service_type__code="home-support",
                                                status=SectionApproval.Status.APPROVED, section__area__isnull=False)
                 .exclude(organisation_id=exclude_organisation_id).select_related("organisation", "section__area"))
    areas: dict[int, set[str]] = {}
    organisations = {}
    for approval in approvals:
        areas.setdefault(approval.organisation_id, set()).add(approval.section.area.code)
        organisations[approval.organisation_id] = approval.organisation
    # The eligibility rule at award: the approvals above are not suspended; evidence must be in date too.
    lapsed = lapsed_evidence(list(organisations), "home", clock.today())
    organisations = {pk: org for pk, org in organisations.items() if eligibility.check(
        Standing(org.name, lapsed_evidence=lapsed.get(pk, ())), Step.AWARD).eligible}
    spare = dict(ProviderCapacity.objects.filter(organisation_id__in=organisations).values_list(
        "organisation_id", "spare_weekly_hours"))
    by_organisation: dict[int, Rating | None] = {}
    for rating in QualityRating.objects.filter(council=council_id, location__organisation_id__in=organisations,
                                               is_current=True,
                                               suspended=False).values("location__organisation_id", "rating"):
        value = Rating(rating["rating"]) if rating["rating"] else None
        held = by_organisation.get(rating["location__organisation_id"])
        if held is None or (value is not None and value > held):
            by_organisation[rating["location__organisation_id"]] = value
    return [allocation.Provider(reference=str(pk), areas=frozenset(areas[pk]), spare_hours=spare.get(pk, Decimal(0)),
                                rating=by_organisation.get(pk), max_areas=LOT_LIMITS[provider_size(org)[0]].may_be_awarded)
            for pk, org in sorted(organisations.items())]


def _requirement_fields(old: CareRequirement) -> dict:
    return {name: getattr(old, name) for name in services.REQUIREMENT_FIELDS} | {
        "start_on": max(old.start_on, clock.today()), "urgency": CareRequirement.Urgency.URGENT,
        "medically_fit_at": None}


def hand_back(organisation, actor, *, reason: str, packages=None) -> HandBackResult:
    """End the provider's active packages (or those given) and re-place every citizen."""
    result = HandBackResult()
    with transaction.atomic():
        chosen = CarePackage.objects.filter(organisation=organisation, status=CarePackage.Status.ACTIVE)
        if packages is not None:
            chosen = chosen.filter(pk__in=[p.pk for p in packages])
        chosen = list(chosen.select_for_update().select_related("requirement__service_type", "requirement__area",
                                                                "requirement__assessment", "requirement__citizen",
                                                                "organisation", "location"))
        if not chosen:
            return result
        today = clock.today()
        new_requirements = []
        for package in chosen:
            CarePackage.objects.filter(pk=package.pk).update(status=CarePackage.Status.HANDED_BACK, end_on=today)
            record(actor, "care_package.handed_back", package, before={"status": "active"},
                   after={"status": "handed_back", "end_on": today.isoformat()}, reason=reason)
            package.status, package.end_on = CarePackage.Status.HANDED_BACK, today
            tell("package.handed_back", package, reason=reason)
            old = package.requirement
            new_requirements.append(services.new_requirement(
                old.assessment, actor, need_groups=old.need_groups.all(), replaces=package, reason=reason,
                **_requirement_fields(old)))
        result.handed_back = len(chosen)

        home = [r for r in new_requirements if r.service_type.code == "home-support"]
        others = [r for r in new_requirements if r not in home]
        if home:
            borders = {a.code: frozenset(b.code for b in a.borders.all()) for a in Area.objects.prefetch_related("borders")}
        for council_id in sorted({r.council_id for r in home}):  # each council's care among its own providers
            theirs = [r for r in home if r.council_id == council_id]
            batch, greedy = allocation.allocate(
                [allocation.Package(r.reference, r.area.code, r.weekly_hours) for r in theirs],
                home_support_providers(organisation.pk, council_id), borders)
            result.batch, result.greedy = batch, greedy
            _place(theirs, batch, actor, result)
            others += [r for r in theirs if r.reference not in batch.placements]
        for requirement in others:
            services.issue_tender(requirement, actor, areas=[requirement.area],
                                  reason=f"Handed back by {organisation}: re-offered in its area first")
            result.tendered.append(requirement.reference)
    return result


def _place(requirements, batch: allocation.Allocation, actor, result: HandBackResult) -> None:
    from caremarket.organisations.models import Organisation

    chosen_ids = {int(pk) for pk in batch.placements.values()}
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=chosen_ids).prefetch_related("locations")}
    rules = fees.schedule_rules(clock.today(), requirements[0].council_id) if requirements else None  # one council's
    for requirement in requirements:
        provider_ref = batch.placements.get(requirement.reference)
        if provider_ref is None:
            result.unplaced_reasons[requirement.reference] = batch.unplaced[requirement.reference]
            continue
        organisation = organisations[int(provider_ref)]
        location = next((loc for loc in organisation.locations.all() if loc.registration == "registered"), None)
        values = {"organisation": organisation, "location": location, "route": CarePackage.Route.HAND_BACK,
                  "weekly_price_pence": requirement.replaces.weekly_price_pence, "start_on": requirement.start_on,
                  "decision": {"reason": f"Placed by the hand-back allocator: {'; '.join(batch.notes)}",
                               "allocation": {"method": batch.method, "placed": batch.placed,
                                              "in_area": batch.in_area}}}
        services.place_package(requirement, actor, **services.priced_at_fee(requirement, location, values, rules))
        result.placed[requirement.reference] = organisation.name
