"""Raising a care requirement from an assessment (one live requirement per need), routing it
(Quick Discharge, block contracts, else a tender: tendering.routing) and cancelling it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum

from caremarket.audit.trail import record
from caremarket.events import outbox as events
from caremarket.core import clock
from caremarket.core.money import multiply
from caremarket.core.references import with_reference
from caremarket.framework import eligibility
from caremarket.framework.councils import frameworks_of
from caremarket.framework.eligibility import Step
from caremarket.framework.models import SectionApproval
from caremarket.packages.models import CarePackage

from .. import notices, routing
from ..models import BlockContract, CareRequirement, Tender
from .award import place_package
from .common import priced_at_fee, standings
from .tenders import issue_tender

REQUIREMENT_FIELDS = ("service_type", "area", "ward", "eligible_needs", "outcomes", "preferences", "weekly_hours",
                      "visit_pattern", "accommodation", "start_on", "urgency", "medically_fit_at",
                      "asked_for_more_expensive")


LIVE_STATUSES = (CareRequirement.Status.TENDERING, CareRequirement.Status.NO_OFFERS,
                 CareRequirement.Status.AWAITING_SCORES, CareRequirement.Status.READY_TO_AWARD,
                 CareRequirement.Status.AWAITING_CHOICE, CareRequirement.Status.AWAITING_INSPECTION)


class DuplicateRequirement(ValidationError):
    """The assessment already has a live requirement for this service (``existing``)."""

    def __init__(self, existing: CareRequirement):
        self.existing = existing
        super().__init__({"service_type": f"{existing.reference} is already placing this care for this assessment "
                                          f"({existing.get_status_display().lower()}): open it, or cancel it first"})


def live_requirement(assessment, service_type) -> CareRequirement | None:
    """The requirement already placing, or already providing, this care for this assessment."""
    return (CareRequirement.objects.filter(assessment=assessment, service_type=service_type)
            .filter(Q(status__in=LIVE_STATUSES) | Q(status=CareRequirement.Status.AWARDED,
                                                     package__status=CarePackage.Status.ACTIVE))
            .order_by("-raised_at").first())


def new_requirement(assessment, actor, *, need_groups, replaces: CarePackage | None = None, reason: str = "",
                    **fields) -> CareRequirement:
    """Store and number a requirement from an assessment, audited; it is not yet routed. One
    live requirement per assessment and service: a second is refused (DuplicateRequirement)."""
    type(assessment).objects.select_for_update().filter(pk=assessment.pk).first()  # one raiser at a time
    existing = live_requirement(assessment, fields.get("service_type"))
    if existing is not None:
        raise DuplicateRequirement(existing)
    requirement = CareRequirement(assessment=assessment, citizen=assessment.citizen,
                                  raised_by=actor if hasattr(actor, "pk") else None, raised_at=clock.now(), replaces=replaces, routing_reason=reason,
                                  **{k: v for k, v in fields.items() if k in REQUIREMENT_FIELDS})
    if requirement.service_type.setting != "bed_based" and not requirement.weekly_hours:
        raise ValidationError({"weekly_hours": "Enter the hours of care a week"})
    with_reference(requirement, "CR")
    requirement.need_groups.set(need_groups)
    record(actor, "care_requirement.raised", requirement,
           after={"service": str(requirement.service_type), "area": str(requirement.area),
                  "urgency": requirement.urgency, "start_on": requirement.start_on.isoformat()},
           reason=f"From {assessment}" + (f"; re-places {replaces.reference}: {reason}" if replaces else ""))
    events.write("requirement.raised", f"requirement {requirement.reference}", {
        "requirement": requirement.reference, "assessment_id": assessment.source_id,
        "service_type": requirement.service_type.code, "area": requirement.area.code, "urgency": requirement.urgency,
        "start_on": requirement.start_on.isoformat(),
        "replaces": replaces.reference if replaces else None}, council=requirement.council_id,
        citizen=assessment.citizen.for_events())
    return requirement


def raise_requirement(assessment, actor, *, need_groups, **fields) -> CareRequirement:
    """Store a requirement from an assessment and send it where the routing rules say."""
    with transaction.atomic():
        requirement = new_requirement(assessment, actor, need_groups=need_groups, **fields)
        route_requirement(requirement, actor)
    return requirement


def _free_block_capacity(requirement: CareRequirement) -> list[tuple[BlockContract, routing.BlockContractCapacity]]:
    today = requirement.start_on
    blocks = (BlockContract.objects.filter(service_type=requirement.service_type, starts_on__lte=today,
                                           ends_on__gte=today)
              .select_related("organisation", "area").prefetch_related("need_groups")
              .annotate(used_hours=Sum("packages__weekly_hours", filter=Q(packages__status="active")),
                        used_places=Count("packages", filter=Q(packages__status="active"))))
    blocks = list(blocks)
    found = standings(requirement, {b.organisation_id for b in blocks},
                      locations={b.organisation_id: b.location_id for b in blocks})
    return [(b, routing.BlockContractCapacity(
        reference=b.reference, provider=b.organisation.name, service_type=b.service_type.code,
        area=b.area.code if b.area else None, need_groups=frozenset(n.code for n in b.need_groups.all()),
        free_hours=b.weekly_hours - (b.used_hours or 0), free_places=max(b.places - b.used_places, 0),
        ineligible=eligibility.check(found[b.organisation_id], Step.BLOCK_CONTRACT).reason))
        for b in blocks]


def _quick_discharge_approval(requirement: CareRequirement) -> SectionApproval | None:
    return (SectionApproval.objects.filter(section__framework__in=frameworks_of(requirement.council_id),
                                           section__service_type__code="quick-discharge",
                                           status=SectionApproval.Status.APPROVED)
            .select_related("organisation").first())


def _facts(requirement: CareRequirement) -> routing.RequirementFacts:
    return routing.RequirementFacts(
        service_type=requirement.service_type.code, setting=requirement.service_type.setting,
        area=requirement.area.code, need_groups=frozenset(requirement.need_groups.values_list("code", flat=True)),
        weekly_hours=requirement.weekly_hours, medically_fit_at=requirement.medically_fit_at)


def route_requirement(requirement: CareRequirement, actor) -> routing.RoutingDecision:
    blocks = _free_block_capacity(requirement)
    qds = _quick_discharge_approval(requirement) if requirement.service_type.code == "quick-discharge" else None
    decision = routing.route(_facts(requirement), quick_discharge_provider=qds.organisation.name if qds else None,
                             block_contracts=[capacity for _, capacity in blocks])
    CareRequirement.objects.filter(pk=requirement.pk).update(routing_reason=decision.reason)
    requirement.routing_reason = decision.reason
    if decision.route == routing.Route.QUICK_DISCHARGE:
        location = qds.organisation.locations.filter(registration="registered").first()
        place_package(requirement, actor, **priced_at_fee(requirement, location, {
            "organisation": qds.organisation, "location": location, "route": CarePackage.Route.QUICK_DISCHARGE,
            "weekly_price_pence": 0, "start_on": requirement.start_on, "decision": {"routing": decision.reason}}))
    elif decision.route == routing.Route.BLOCK_CONTRACT:
        block = next(b for b, capacity in blocks if capacity.reference == decision.block_contract)
        price = block.price_pence if requirement.service_type.setting == "bed_based" else \
            multiply(block.price_pence, requirement.weekly_hours)
        place_package(requirement, actor, organisation=block.organisation, location=block.location,
                        route=CarePackage.Route.BLOCK_CONTRACT, block_contract=block, weekly_price_pence=price,
                        start_on=requirement.start_on, decision={"routing": decision.reason})
    else:
        issue_tender(requirement, actor, areas=[requirement.area])
    return decision


def cancel_requirement(requirement: CareRequirement, actor, *, reason: str) -> CareRequirement:
    """Cancel a requirement that is no longer needed: its open tender closes and the providers
    asked to offer are told. An awarded requirement is ended through its package instead."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the care is no longer needed"})
    with transaction.atomic():
        requirement = CareRequirement.objects.select_for_update().get(pk=requirement.pk)
        if requirement.status not in LIVE_STATUSES:
            raise ValidationError({"reason": f"{requirement.reference} is {requirement.get_status_display().lower()} "
                                             "and cannot be cancelled"})
        before = requirement.status
        open_tenders = list(requirement.tenders.filter(status=Tender.Status.OPEN))
        Tender.objects.filter(pk__in=[t.pk for t in open_tenders]).update(status=Tender.Status.CANCELLED,
                                                                          closed_at=clock.now())
        requirement.status, requirement.cancelled_reason = CareRequirement.Status.CANCELLED, reason.strip()
        requirement.save(update_fields=["status", "cancelled_reason"])
        record(actor, "care_requirement.cancelled", requirement, before={"status": before},
               after={"status": requirement.status, "tenders_closed": len(open_tenders)}, reason=reason.strip())
        for tender in open_tenders:
            transaction.on_commit(lambda pk=tender.pk: notices.email_cancelled.enqueue(pk))
    return requirement
