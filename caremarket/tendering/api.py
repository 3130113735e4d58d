"""The tendering API (/api/tendering/): the council's brokerage queue, a provider's
opportunities (anonymised) and offers, and care package records. Mounted by caremarket.api,
whose error handlers give every error the one body."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, visible
from caremarket.citizens.access_log import record_access
from caremarket.citizens.models import RecordAccess
from caremarket.core import clock
from caremarket.core.api_schemas import ERRORS, Errors, InputSchema
from caremarket.fees import services as fees
from caremarket.packages.models import CarePackage

from . import services
from .anonymous import for_provider
from .models import CareRequirement, Invitation, Offer
from .offers import CostBreakdown, NotInvited, OfferRefused

router = Router(tags=["tendering"])


class RequirementOut(Schema):
    id: int
    reference: str
    citizen_reference: str
    service_type: str
    area: str
    status: str
    urgency: str
    start_on: dt.date
    raised_at: dt.datetime
    routing_reason: str


class AnonymousRequirement(Schema):
    reference: str
    service_type: str
    area: str
    ward: str | None
    age_band: str
    need_groups: list[str]
    eligible_needs: str
    outcomes: str
    preferences: str
    weekly_hours: str | None
    visit_pattern: str
    accommodation: str
    start_on: dt.date
    urgency: str


class OpportunityOut(Schema):
    tender_id: int
    council: str = Field(description="The council whose citizen's care it is")
    round: int
    closes_at: dt.datetime
    open: bool
    requirement: AnonymousRequirement
    pricing: str
    fixed_weekly_price_pence: int | None
    your_offer_status: str | None
    outcome: str


class CostBreakdownIn(InputSchema):
    care_hours: Decimal = Field(description="Care staff hours a week")
    hourly_rate_pence: int
    on_costs_pence: int
    overheads_pence: int
    surplus_pence: int


class OfferIn(InputSchema):
    MULTILINE = frozenset({"outcomes_response"})

    location_id: int = Field(description="Your registered service that will deliver the care")
    confirms_needs: bool = Field(description="You can meet the needs in the support plan")
    outcomes_response: str = Field(max_length=5000, description="How you will support the citizen's outcomes")
    start_on: dt.date
    cost_breakdown: CostBreakdownIn | None = Field(
        None, description="Open-book pricing only; refused where the council pays a fixed fee")
    spare_weekly_hours: Decimal | None = None
    accommodation_price_pence: int = Field(
        0, ge=0, description="Care homes under a fixed fee, where the citizen asked for more expensive "
                             "accommodation: its price a week on top of the fee (paid by a third-party top-up)")
    accommodation_offered: str = Field("", max_length=300, description="What that accommodation is")


class OfferOut(Schema):
    id: int
    tender_id: int
    status: str
    weekly_price_pence: int
    start_on: dt.date
    changed_at: dt.datetime


class PackageOut(Schema):
    id: int
    reference: str
    requirement: str
    provider: str
    route: str
    weekly_price_pence: int
    top_up_pence: int
    start_on: dt.date
    status: str
    decision_summary: str


def _invitation(request, tender_id) -> Invitation:
    invitation = get_visible_or_404(Invitation.objects.select_related("tender__requirement", "organisation"),
                                    request.user, tender_id=tender_id)
    invitation.tender = services.close_if_due(invitation.tender)
    return invitation


def _opportunities(request):
    """The invitations the person may see, each with what its answer needs read in the same
    query (the provider's own offer, who was awarded, the fee schedules' publication stamp), so
    that a list of any length takes the same few statements."""
    mine = Offer.objects.filter(tender=OuterRef("tender"), organisation=OuterRef("organisation"))
    return (visible(Invitation.objects, request.user)
            .select_related("council", "tender__requirement__service_type", "tender__requirement__citizen",
                            "tender__requirement__area", "tender__requirement__ward")
            .prefetch_related("tender__requirement__need_groups")
            .annotate(your_offer_status=Subquery(mine.values("status")[:1]),
                      awarded_to=Subquery(CarePackage.objects.filter(requirement=OuterRef("tender__requirement"))
                                          .values("organisation_id")[:1]),
                      fees_stamp=fees.publication_stamp()))


def _opportunity(invitation: Invitation) -> dict:
    tender, requirement = invitation.tender, invitation.tender.requirement
    rules = fees.schedule_rules(requirement.start_on, requirement.council_id, stamp=invitation.fees_stamp)
    fixed_price = services.fixed_weekly_price(requirement, rules=rules)
    offered = invitation.your_offer_status is not None
    outcome = services.outcome_for_provider(tender, invitation.awarded_to, invitation.organisation_id, offered=offered)
    return {"tender_id": tender.pk, "council": invitation.council.name, "round": tender.round,
            "closes_at": tender.closes_at,
            "open": tender.status == "open" and clock.now() < tender.closes_at,
            "requirement": for_provider(requirement), "pricing": "open_book" if fixed_price is None else "fixed_fee",
            "fixed_weekly_price_pence": fixed_price, "your_offer_status": invitation.your_offer_status,
            "outcome": outcome}


ERRORS = {**ERRORS, 409: Errors}


@router.get("/requirements", response={200: list[RequirementOut], **ERRORS}, auth=granted("view_brokerage"))
def list_requirements(request, status: CareRequirement.Status | None = None):
    """The brokerage queue (council only), longest waiting first."""
    requirements = visible(CareRequirement.objects.select_related("service_type", "area", "citizen"), request.user)
    if status:
        requirements = requirements.filter(status=status)
    requirements = list(requirements.order_by("raised_at")[:500])
    record_access(request, [r.citizen_id for r in requirements], kind=RecordAccess.Kind.LIST)
    return [{"id": r.pk, "reference": r.reference, "citizen_reference": r.citizen.reference,
             "service_type": r.service_type.code, "area": r.area.code, "status": r.status, "urgency": r.urgency,
             "start_on": r.start_on, "raised_at": r.raised_at, "routing_reason": r.routing_reason}
            for r in requirements]


@router.get("/opportunities", response={200: list[OpportunityOut], **ERRORS}, auth=granted("make_offers"))
def list_opportunities(request):
    """The tenders your organisation has been asked to offer for, anonymised."""
    return [_opportunity(i) for i in _opportunities(request).order_by("-tender__opens_at")[:200]]


@router.get("/opportunities/{id:tender_id}", response={200: OpportunityOut, **ERRORS}, auth=granted("make_offers"))
def get_opportunity(request, tender_id: int):
    invitation = get_object_or_404(_opportunities(request), tender_id=tender_id)
    invitation.tender = services.close_if_due(invitation.tender)
    return _opportunity(invitation)


def _offer_out(offer: Offer) -> dict:
    return {"id": offer.pk, "tender_id": offer.tender_id, "status": offer.status,
            "weekly_price_pence": offer.weekly_price_pence, "start_on": offer.start_on, "changed_at": offer.changed_at}


@router.put("/opportunities/{id:tender_id}/offer", response={200: OfferOut, **ERRORS}, auth=granted("make_offers"))
def put_offer(request, tender_id: int, payload: OfferIn):
    """Make or change your offer, until offers close (409 after)."""
    breakdown = CostBreakdown(**payload.cost_breakdown.dict()) if payload.cost_breakdown else None
    try:
        offer = services.submit_offer(
            tender_id, request.user.organisation, request.user, location=payload.location_id,
            confirms_needs=payload.confirms_needs, outcomes_response=payload.outcomes_response,
            start_on=payload.start_on, breakdown=breakdown, spare_weekly_hours=payload.spare_weekly_hours,
            accommodation_price_pence=payload.accommodation_price_pence,
            accommodation_offered=payload.accommodation_offered)
    except NotInvited:
        raise HttpError(404, "Not found") from None  # a tender the provider was not asked to is not there for it
    except OfferRefused as refused:
        raise HttpError(409, str(refused)) from None
    except ValidationError as problem:
        renamed = {("location_id" if k == "location" else k): v for k, v in problem.message_dict.items()}
        raise ValidationError(renamed) from None
    return _offer_out(offer)


@router.delete("/opportunities/{id:tender_id}/offer", response={200: OfferOut, **ERRORS}, auth=granted("make_offers"))
def withdraw_offer(request, tender_id: int):
    """Withdraw your offer, until offers close (409 after)."""
    invitation = _invitation(request, tender_id)
    offer = get_visible_or_404(Offer, request.user, tender=invitation.tender, organisation=invitation.organisation)
    try:
        return _offer_out(services.withdraw_offer(offer, request.user))
    except OfferRefused as refused:
        raise HttpError(409, str(refused)) from None


@router.get("/care-packages/{id:package_id}", response={200: PackageOut, **ERRORS}, auth=granted("view_care_packages"))
def get_care_package(request, package_id: int):
    """A care package and why it was awarded (the council, or the provider awarded it)."""
    package = get_visible_or_404(CarePackage.objects.select_related("organisation", "requirement"), request.user,
                                 pk=package_id)
    return {"id": package.pk, "reference": package.reference, "requirement": package.requirement.reference,
            "provider": package.organisation.name, "route": package.route,
            "weekly_price_pence": package.weekly_price_pence, "top_up_pence": package.top_up_pence,
            "start_on": package.start_on, "status": package.status,
            "decision_summary": package.decision.get("reason") or package.decision.get("routing", "")}

