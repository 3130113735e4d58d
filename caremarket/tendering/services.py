"""Placing care: raising a requirement, routing it, tendering it, taking offers, closing the
tender, and awarding the care package. The rules are in routing, windows, offers, evaluation
and choice (pure); this module gathers their inputs from the database, stores what they
decide, and records every step in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp, multiply
from caremarket.fees import services as fees
from caremarket.fees.pricing import PriceDecision
from caremarket.framework import eligibility
from caremarket.framework.eligibility import Step
from caremarket.framework.models import Framework, SectionApproval
from caremarket.framework.standing import section_standings
from caremarket.geography.models import Area
from caremarket.organisations.models import Organisation
from caremarket.quality.models import CustomerFeedback, QualityRating
from caremarket.quality.ratings import Rating

from . import choice, evaluation, offers, routing, windows
from .models import (
    BlockContract, CarePackage, CareRequirement, Invitation, Offer, Tender, TenderPolicy,
)

FEEDBACK_MONTHS = 12


class AlreadyAwarded(Exception):
    """The requirement has its care package already (one award per requirement)."""


# --- reference numbers --------------------------------------------------------------------

def with_reference(instance, prefix: str):
    """Save, then number the record from its primary key (unique without a counter to race on)."""
    instance.reference = f"new-{uuid.uuid4().hex[:16]}"
    instance.save()
    instance.reference = f"{prefix}-{instance.pk:06d}"
    type(instance).objects.filter(pk=instance.pk).update(reference=instance.reference)
    return instance


# --- policy -------------------------------------------------------------------------------

def current_framework() -> Framework:
    return Framework.objects.order_by("-starts_on").first()


def policy_for(requirement: CareRequirement) -> TenderPolicy:
    try:
        return TenderPolicy.objects.get(framework=current_framework(), service_type=requirement.service_type)
    except TenderPolicy.DoesNotExist:
        raise ValidationError({"service_type": f"There is no tender policy for {requirement.service_type}; "
                                               "a commissioner must set one in the reference data"}) from None


def fixed_fee(requirement: CareRequirement, *, rating: int | None = None, rules=None) -> PriceDecision | None:
    """The council's fixed fee for this care from the published fee schedule, with its reasons;
    None where the provider prices it open book."""
    return fees.fixed_fee(requirement.service_type, requirement.citizen.date_of_birth, requirement.start_on,
                          requirement.weekly_hours, rating, rules)


def fixed_weekly_price(requirement: CareRequirement) -> int | None:
    fee = fixed_fee(requirement)
    return fee.weekly_pence if fee else None


def priced_at_fee(requirement: CareRequirement, location, values: dict, rules=None) -> dict:
    """The package's values priced at the fixed fee, with any quality uplift the provider's
    rating earns (fees.pricing); unchanged where the care is priced open book."""
    rating = QualityRating.objects.filter(location=location, is_current=True).values_list("rating", flat=True).first()
    fee = fixed_fee(requirement, rating=rating, rules=rules)
    if fee is None:
        return values
    return {**values, "weekly_price_pence": fee.weekly_pence, "hourly_rate_pence": fee.hourly_pence,
            "price_basis": fee.basis, "decision": {**values.get("decision", {}), "price": fee.reason}}


# --- raising and routing ------------------------------------------------------------------

REQUIREMENT_FIELDS = ("service_type", "area", "ward", "eligible_needs", "outcomes", "preferences", "weekly_hours",
                      "visit_pattern", "accommodation", "start_on", "urgency", "medically_fit_at",
                      "asked_for_more_expensive")


LIVE_STATUSES = (CareRequirement.Status.TENDERING, CareRequirement.Status.NO_OFFERS,
                 CareRequirement.Status.READY_TO_AWARD, CareRequirement.Status.AWAITING_CHOICE,
                 CareRequirement.Status.AWAITING_INSPECTION)


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
    requirement = CareRequirement(assessment=assessment, citizen=assessment.citizen, raised_by=actor,
                                  raised_at=clock.now(), replaces=replaces, routing_reason=reason,
                                  **{k: v for k, v in fields.items() if k in REQUIREMENT_FIELDS})
    if requirement.service_type.setting != "bed_based" and not requirement.weekly_hours:
        raise ValidationError({"weekly_hours": "Enter the hours of care a week"})
    with_reference(requirement, "CR")
    requirement.need_groups.set(need_groups)
    record(actor, "care_requirement.raised", requirement,
           after={"service": str(requirement.service_type), "area": str(requirement.area),
                  "urgency": requirement.urgency, "start_on": requirement.start_on.isoformat()},
           reason=f"From {assessment}" + (f"; re-places {replaces.reference}: {reason}" if replaces else ""))
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


def _quick_discharge_approval() -> SectionApproval | None:
    return (SectionApproval.objects.filter(section__framework=current_framework(),
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
    qds = _quick_discharge_approval() if requirement.service_type.code == "quick-discharge" else None
    decision = routing.route(_facts(requirement), quick_discharge_provider=qds.organisation.name if qds else None,
                             block_contracts=[capacity for _, capacity in blocks])
    CareRequirement.objects.filter(pk=requirement.pk).update(routing_reason=decision.reason)
    requirement.routing_reason = decision.reason
    if decision.route == routing.Route.QUICK_DISCHARGE:
        location = qds.organisation.locations.filter(registration="registered").first()
        create_package(requirement, actor, **priced_at_fee(requirement, location, {
            "organisation": qds.organisation, "location": location, "route": CarePackage.Route.QUICK_DISCHARGE,
            "weekly_price_pence": 0, "start_on": requirement.start_on, "decision": {"routing": decision.reason}}))
    elif decision.route == routing.Route.BLOCK_CONTRACT:
        block = next(b for b, capacity in blocks if capacity.reference == decision.block_contract)
        price = block.price_pence if requirement.service_type.setting == "bed_based" else \
            multiply(block.price_pence, requirement.weekly_hours)
        create_package(requirement, actor, organisation=block.organisation, location=block.location,
                        route=CarePackage.Route.BLOCK_CONTRACT, block_contract=block, weekly_price_pence=price,
                        start_on=requirement.start_on, decision={"routing": decision.reason})
    else:
        issue_tender(requirement, actor, areas=[requirement.area])
    return decision


def cancel_requirement(requirement: CareRequirement, actor, *, reason: str) -> CareRequirement:
    """Cancel a requirement that is no longer needed: its open tender closes and the providers
    asked to offer are told. An awarded requirement is ended through its package instead."""
    from . import tasks

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
            transaction.on_commit(lambda pk=tender.pk: tasks.email_cancelled.enqueue(pk))
    return requirement


# --- tendering ----------------------------------------------------------------------------

def standings(requirement: CareRequirement, organisation_ids, *, areas=None,
              locations: dict[int, int] | None = None) -> dict[int, eligibility.Standing]:
    """Each provider's standing for this requirement now (framework.eligibility), with the
    rating of the service that would deliver the care where it is known (organisation → location)."""
    found = section_standings(list(organisation_ids), framework=current_framework(),
                              service_type=requirement.service_type, areas=list(areas or [requirement.area]),
                              need_groups=list(requirement.need_groups.all()), as_of=clock.today())
    if locations:
        ratings = dict(QualityRating.objects.filter(location_id__in=locations.values(), is_current=True)
                       .values_list("location_id", "rating"))
        for organisation_id, location_id in locations.items():
            rating = ratings.get(location_id)
            found[organisation_id] = replace(found[organisation_id], rated=True,
                                             rating=Rating(rating) if rating else None)
    return found


def eligible_providers(requirement: CareRequirement, areas) -> list:
    """Providers the eligibility rule lets us ask: approved for the requirement's section in
    these areas (or city-wide), not suspended, with their compliance evidence in date. The
    provider handing the package back is never asked to take it again."""
    needs = requirement.need_groups.all()
    candidates = SectionApproval.objects.filter(
        Q(section__area__in=areas) | Q(section__area__isnull=True),
        Q(section__need_group__in=needs) | Q(section__need_group__isnull=True),
        section__framework=current_framework(), section__service_type=requirement.service_type,
        status=SectionApproval.Status.APPROVED)
    providers = Organisation.objects.filter(pk__in=candidates.values("organisation_id")).order_by("name")
    if requirement.replaces_id:
        providers = providers.exclude(pk=requirement.replaces.organisation_id)
    providers = list(providers)
    found = standings(requirement, [p.pk for p in providers], areas=areas)
    return [p for p in providers if eligibility.check(found[p.pk], Step.INVITATION).eligible]


def issue_tender(requirement: CareRequirement, actor, *, areas, reason: str = "") -> Tender:
    from . import tasks

    policy = policy_for(requirement)
    now = clock.now()
    window = windows.Window(policy.urgent_response_hours, policy.standard_response_hours)
    round_ = requirement.tenders.count() + 1
    tender = Tender.objects.create(
        requirement=requirement, round=round_, opens_at=now, rule=policy.rule,
        closes_at=window.closes_at(now, urgent=requirement.urgency == CareRequirement.Urgency.URGENT))
    tender.areas.set(areas)
    providers = eligible_providers(requirement, areas)
    Invitation.objects.bulk_create([Invitation(tender=tender, organisation=p, invited_at=now) for p in providers])
    CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.TENDERING)
    requirement.status = CareRequirement.Status.TENDERING
    record(actor, "tender.issued", tender,
           after={"round": round_, "areas": sorted(a.name for a in areas), "invited": len(providers),
                  "closes_at": tender.closes_at.isoformat()},
           reason=reason or requirement.routing_reason)
    transaction.on_commit(lambda: tasks.email_invitations.enqueue(tender.pk))
    return tender


def submit_offer(tender: Tender, organisation, actor, *, location, confirms_needs: bool, outcomes_response: str,
                 start_on: dt.date | None, breakdown: offers.CostBreakdown | None = None,
                 spare_weekly_hours: Decimal | None = None, accommodation_price_pence: int = 0,
                 accommodation_offered: str = "") -> Offer:
    """Make or change an offer. Raises OfferRefused after the deadline or when the provider may
    not bid (framework.eligibility), ValidationError (by field) if the offer is wrong."""
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("requirement__service_type").get(pk=tender.pk)
        _check_open(tender, organisation)
        requirement = tender.requirement
        fixed = fixed_weekly_price(requirement)
        open_book = fixed is None
        errors = offers.check(confirms_needs=confirms_needs, outcomes_response=outcomes_response,
                              start_on=start_on, earliest_start=requirement.start_on,
                              breakdown=breakdown, fixed_weekly_pence=fixed,
                              accommodation_price_pence=accommodation_price_pence,
                              accommodation_offered=accommodation_offered,
                              accommodation_asked_for=requirement.asked_for_more_expensive
                              and requirement.service_type.setting == "bed_based")
        if location is None or location.organisation_id != organisation.pk or location.registration != "registered":
            errors["location"] = "Choose one of your registered services to deliver the care"
        if spare_weekly_hours is not None and spare_weekly_hours < 0:
            errors["spare_weekly_hours"] = "Spare hours cannot be negative"
        if errors:
            raise ValidationError(errors)
        standing = standings(requirement, [organisation.pk], areas=tender.areas.all(),
                             locations={organisation.pk: location.pk})[organisation.pk]
        verdict = eligibility.check(standing, Step.OFFER)
        if not verdict.eligible:
            raise offers.OfferRefused(verdict.reason)
        now = clock.now()
        values = {"location": location, "confirms_needs": True, "outcomes_response": outcomes_response.strip(),
                  "weekly_price_pence": breakdown.total_pence if open_book else fixed,
                  "cost_breakdown": breakdown.as_dict() if open_book and breakdown else {},
                  "accommodation_price_pence": accommodation_price_pence or 0,
                  "accommodation_offered": accommodation_offered.strip() if accommodation_price_pence else "",
                  "start_on": start_on, "spare_weekly_hours": spare_weekly_hours,
                  "status": Offer.Status.SUBMITTED, "submitted_by": actor, "changed_at": now}
        offer, created = Offer.objects.update_or_create(tender=tender, organisation=organisation, defaults=values,
                                                        create_defaults={**values, "submitted_at": now})
        # Sealed: the trail says an offer was made, not what it was, until the tender closes.
        record(actor, "offer.submitted" if created else "offer.changed", offer, after={"status": "submitted"})
    return offer


def withdraw_offer(offer: Offer, actor) -> Offer:
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=offer.tender_id)
        _check_open(tender, offer.organisation)
        Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.WITHDRAWN, changed_at=clock.now())
        offer.refresh_from_db()
        record(actor, "offer.withdrawn", offer, after={"status": "withdrawn"})
    return offer


def _check_open(tender: Tender, organisation) -> None:
    if not Invitation.objects.filter(tender=tender, organisation=organisation).exists():
        raise offers.OfferRefused("Your organisation was not asked to offer on this tender")
    if tender.status != Tender.Status.OPEN or clock.now() >= tender.closes_at:
        raise offers.OfferRefused(
            f"Offers closed at {clock.local(tender.closes_at):%H:%M on %d %B %Y}: this offer was not accepted")


def _feedback_scores(location_ids, as_of: dt.date) -> dict[int, Decimal]:
    """The share of recent Friends and Family answers that would recommend each service."""
    since = as_of - dt.timedelta(days=FEEDBACK_MONTHS * 365 // 12)
    rows = (CustomerFeedback.objects.filter(location_id__in=location_ids, received_on__gte=since,
                                            would_recommend__isnull=False)
            .values("location_id").annotate(total=Count("pk"), yes=Count("pk", filter=Q(would_recommend=True))))
    return {r["location_id"]: (Decimal(100) * r["yes"] / r["total"]).quantize(Decimal("0.1")) for r in rows}


def offer_facts(tender: Tender, step: Step = Step.CLOSE) -> list[dict]:
    """What the evaluation needs to know about each offer now, as stored with the tender when
    it closes (and again if the award finds it changed)."""
    submitted = list(tender.offers.filter(status=Offer.Status.SUBMITTED).select_related("organisation", "location"))
    location_ids = [o.location_id for o in submitted]
    feedback = _feedback_scores(location_ids, clock.today())
    found = standings(tender.requirement, [o.organisation_id for o in submitted], areas=tender.areas.all(),
                      locations={o.organisation_id: o.location_id for o in submitted})
    facts = []
    for order, offer in enumerate(submitted):
        standing = found[offer.organisation_id]
        verdict = eligibility.check(standing, step)
        facts.append({
            "reference": str(offer.pk), "provider": offer.organisation.name, "price_pence": offer.weekly_price_pence,
            "accommodation_price_pence": offer.accommodation_price_pence,
            "rating": int(standing.rating) if standing.rating else None,
            "suspended": not verdict.eligible, "ineligible": verdict.reason,
            "feedback_score": str(feedback[offer.location_id]) if offer.location_id in feedback else None,
            "in_preferred_location": offer.location.area_id == tender.requirement.area_id,
            "submitted_order": order,
        })
    return facts


def evaluate(rule: str, setting: str, facts: list[dict]) -> evaluation.Evaluation:
    offers_ = [evaluation.Offer(
        reference=f["reference"], provider=f["provider"], price_pence=f["price_pence"],
        accommodation_price_pence=f.get("accommodation_price_pence", 0),
        rating=Rating(f["rating"]) if f["rating"] else None, suspended=f["suspended"],
        ineligible_reason=f.get("ineligible", ""),
        feedback_score=Decimal(f["feedback_score"]) if f["feedback_score"] is not None else None,
        in_preferred_location=f["in_preferred_location"], submitted_order=f["submitted_order"]) for f in facts]
    if rule == TenderPolicy.Rule.PROSPECTUS_2012:
        return evaluation.prospectus_2012(offers_)
    return evaluation.strategy_2018(offers_, setting=setting)


def evaluation_record(result: evaluation.Evaluation, facts: list[dict]) -> dict:
    def item(r):
        return {"offer": r.offer.reference, "provider": r.offer.provider, "price_pence": r.offer.price_pence,
                "rating": r.offer.rating.label if r.offer.rating else "Not yet rated", "position": r.position,
                "scores": {k: (str(v) if v is not None else None) for k, v in r.scores.items()},
                "reasons": r.reasons}
    return {"policy": result.policy, "summary": result.summary, "facts": facts,
            "ranked": [item(r) for r in result.ranked],
            "winner": result.winner.offer.reference if result.winner else None,
            "shortlist": [r.offer.reference for r in result.shortlist]}


def stored_evaluation(tender: Tender) -> evaluation.Evaluation:
    """The evaluation again from the facts stored at closing (ratings may have moved on since)."""
    return evaluate(tender.rule, tender.requirement.service_type.setting, tender.evaluation["facts"])


def close_tender(tender: Tender, actor="scheduler: tender deadlines") -> Tender:
    """Close a tender whose deadline has passed, evaluate its offers, and say what happens next."""
    from . import tasks

    with transaction.atomic():
        tender = (Tender.objects.select_for_update(of=("self",))
                  .select_related("requirement__service_type", "requirement__area").get(pk=tender.pk))
        if tender.status != Tender.Status.OPEN or clock.now() < tender.closes_at:
            return tender
        requirement = tender.requirement
        facts = offer_facts(tender)
        result = evaluate(tender.rule, requirement.service_type.setting, facts)
        tender.status, tender.closed_at = Tender.Status.CLOSED, clock.now()
        tender.evaluation = evaluation_record(result, facts)
        tender.save(update_fields=["status", "closed_at", "evaluation"])
        status = _status_after(result)
        CareRequirement.objects.filter(pk=requirement.pk).update(status=status)
        record(actor, "tender.closed", tender, after={"offers": len(facts), "outcome": status,
                                                      "summary": result.summary})
        if status == CareRequirement.Status.NO_OFFERS:
            transaction.on_commit(lambda: tasks.email_no_offers.enqueue(tender.pk))
            policy = policy_for(requirement)
            if policy.widen_automatically:
                next_round(requirement, actor)
    return tender


def next_round(requirement: CareRequirement, actor) -> Tender | None:
    """After no offers: widen to neighbouring areas or re-issue; None when the council must step in."""
    last = requirement.tenders.order_by("-round").first()
    tried = set(last.areas.all()) if last else {requirement.area}
    borders = {a.code: frozenset(b.code for b in a.borders.all()) for a in Area.objects.prefetch_related("borders")}
    step = windows.after_no_offers(areas_tried=frozenset(a.code for a in tried), borders=borders,
                                   rounds_so_far=last.round if last else 0, max_rounds=policy_for(requirement).max_rounds)
    if step.action == "refer":
        record(actor, "care_requirement.referred", requirement, after={"status": requirement.status},
               reason=step.reason)
        return None
    return issue_tender(requirement, actor, areas=list(Area.objects.filter(code__in=step.areas)), reason=step.reason)


def close_due_tenders() -> int:
    closed = 0
    for tender in Tender.objects.filter(status=Tender.Status.OPEN, closes_at__lte=clock.now()):
        closed += close_tender(tender).status == Tender.Status.CLOSED
    return closed


def close_if_due(tender: Tender) -> Tender:
    """Pages close a tender whose deadline has passed rather than wait for the scheduler."""
    if tender.status == Tender.Status.OPEN and clock.now() >= tender.closes_at:
        return close_tender(tender)
    return tender


def outcome_for_provider(tender: Tender, awarded_organisation_id: int | None, organisation_id: int) -> str:
    """What a provider is told about a tender it was asked to offer on."""
    if awarded_organisation_id is not None:
        return "Awarded to you" if awarded_organisation_id == organisation_id else "Not awarded to you"
    return "Open" if tender.status == Tender.Status.OPEN and clock.now() < tender.closes_at else "Being decided"


# --- award --------------------------------------------------------------------------------

def create_package(requirement: CareRequirement, actor, **values) -> CarePackage:
    package = CarePackage(requirement=requirement, awarded_by=actor, awarded_at=clock.now(),
                          weekly_hours=requirement.weekly_hours, **values)
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a second award
            with_reference(package, "CP")
    except IntegrityError:
        raise AlreadyAwarded(f"{requirement.reference} has already been awarded") from None
    CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.AWARDED)
    requirement.status = CareRequirement.Status.AWARDED
    record(actor, "care_package.awarded", package,
           after={"provider": package.organisation.name, "weekly_price": format_gbp(package.weekly_price_pence),
                  "top_up": format_gbp(package.top_up_pence), "top_up_payer": package.top_up_payer,
                  "start_on": package.start_on.isoformat(), "route": package.route},
           reason=package.decision.get("reason") or package.decision.get("routing") or "")
    return package


def preview_choice(requirement: CareRequirement, offer_id: int, *, top_up_payer: str = "") -> choice.ChoiceDecision:
    tender = _closed_tender(requirement)
    return choice.decide_choice(stored_evaluation(tender), str(offer_id),
                                asked_for_more_expensive=requirement.asked_for_more_expensive,
                                top_up_payer=top_up_payer)


def _closed_tender(requirement: CareRequirement) -> Tender:
    tender = requirement.tenders.filter(status=Tender.Status.CLOSED).order_by("-round").first()
    if tender is None or not tender.evaluation:
        raise ValidationError("There is no closed tender to award from")
    return tender


class AwardRefused(ValidationError):
    """The chosen offer cannot be awarded now; the message says why and what happens next."""


def award(requirement: CareRequirement, actor, *, chosen_offer_id: int | None = None,
          top_up_payer: str = "") -> CarePackage:
    """Award the care package: to the winner, or to the offer the citizen chose. One award per
    requirement, and only to a provider the eligibility rule allows at this moment.

    When the chosen provider may no longer be awarded (suspended, rated Inadequate or its
    evidence lapsed since offers closed), or its rating has changed, the offers are evaluated
    again and stored; when its service has no rating yet, the quality team is asked to inspect
    it first. Either way the award is refused with the reason (AwardRefused), and what was
    decided is kept."""
    from . import tasks

    with transaction.atomic():
        outcome = _award(requirement, actor, chosen_offer_id, top_up_payer)
        if isinstance(outcome, CarePackage):
            transaction.on_commit(lambda: tasks.email_outcomes.enqueue(outcome.pk))
    if isinstance(outcome, str):
        raise AwardRefused(outcome)
    return outcome


def _award(requirement: CareRequirement, actor, chosen_offer_id: int | None, top_up_payer: str):
    requirement = CareRequirement.objects.select_for_update().select_related("service_type").get(pk=requirement.pk)
    existing = CarePackage.objects.filter(requirement=requirement).select_related("organisation").first()
    if existing:
        raise AlreadyAwarded(f"{requirement.reference} was already awarded to {existing.organisation} "
                             f"({existing.reference})")
    tender = _closed_tender(requirement)
    citizen_chose = chosen_offer_id is not None
    if citizen_chose and requirement.service_type.setting == "home":
        raise ValidationError({"offer": "Home support is awarded by the rules; the citizen does not choose"})
    result = stored_evaluation(tender)
    offer_id = chosen_offer_id if citizen_chose else _winner_id(result)
    offer = Offer.objects.select_related("organisation", "location").filter(pk=offer_id, tender=tender).first()
    if offer is None:
        raise ValidationError({"offer": f"There is no offer {offer_id} on this tender"})

    # The eligibility rule again, at the moment of award.
    standing = standings(requirement, [offer.organisation_id], areas=tender.areas.all(),
                         locations={offer.organisation_id: offer.location_id})[offer.organisation_id]
    verdict = eligibility.check(standing, Step.AWARD)
    if verdict.awaiting_inspection:
        return _await_inspection(requirement, offer, verdict, actor)
    stored = next((f for f in tender.evaluation["facts"] if f["reference"] == str(offer.pk)), {})
    rating_now = int(standing.rating) if standing.rating else None
    if not verdict.eligible or stored.get("rating") != rating_now:
        why = verdict.reason or (f"{offer.organisation}'s rating has changed since offers closed "
                                 f"({_rating_label(stored.get('rating'))} to {_rating_label(rating_now)})")
        result = reevaluate(tender, actor, reason=why)
        if not verdict.eligible:
            return f"{why}, so it cannot be awarded. The offers were evaluated again: {result.summary}."
        if not citizen_chose and _winner_id(result, required=False) != offer.pk:
            return f"{why}. The offers were evaluated again: {result.summary}."

    if citizen_chose:
        decision = choice.decide_choice(result, str(offer.pk),
                                        asked_for_more_expensive=requirement.asked_for_more_expensive,
                                        top_up_payer=top_up_payer)
        if not decision.allowed:
            raise ValidationError({"offer": decision.reason})
        route = CarePackage.Route.CITIZEN_CHOICE
    else:
        decision = choice.ChoiceDecision(True, offer.weekly_price_pence, 0, result.summary)
        route = CarePackage.Route.MICRO_TENDER
    values = {"organisation": offer.organisation, "location": offer.location, "route": route, "offer": offer,
              "weekly_price_pence": decision.council_pays_pence, "top_up_pence": decision.top_up_pence,
              "top_up_payer": top_up_payer.strip() if decision.top_up_pence else "", "start_on": offer.start_on,
              "decision": {**tender.evaluation, "reason": decision.reason, "tender": tender.pk,
                           "round": tender.round}}
    if not offer.cost_breakdown:
        values = priced_at_fee(requirement, offer.location, values)
    return create_package(requirement, actor, **values)


def _rating_label(value: int | None) -> str:
    return Rating(value).label if value else "not yet rated"


def _winner_id(result: evaluation.Evaluation, *, required: bool = True) -> int | None:
    if result.winner is None:
        if required:
            raise ValidationError({"offer": "The citizen chooses among the top-rated offers: choose one"})
        return None
    return int(result.winner.offer.reference)


def _status_after(result: evaluation.Evaluation) -> str:
    if result.winner:
        return CareRequirement.Status.READY_TO_AWARD
    if result.shortlist:
        return CareRequirement.Status.AWAITING_CHOICE
    return CareRequirement.Status.NO_OFFERS


def reevaluate(tender: Tender, actor, *, reason: str) -> evaluation.Evaluation:
    """Evaluate a closed tender's offers again on what is true now, store it and say why."""
    requirement = tender.requirement
    facts = offer_facts(tender)
    result = evaluate(tender.rule, requirement.service_type.setting, facts)
    before = tender.evaluation.get("summary") if tender.evaluation else None
    tender.evaluation = {**evaluation_record(result, facts), "re_evaluated": {"at": clock.now().isoformat(),
                                                                              "reason": reason}}
    Tender.objects.filter(pk=tender.pk).update(evaluation=tender.evaluation)
    CareRequirement.objects.filter(pk=requirement.pk).update(status=_status_after(result))
    record(actor, "tender.re_evaluated", tender, before={"summary": before}, after={"summary": result.summary},
           reason=reason)
    return result


def _await_inspection(requirement: CareRequirement, offer: Offer, verdict, actor) -> str:
    """Hold the award until the service is inspected, and ask the quality team to inspect it."""
    from caremarket.quality.services import request_inspection_before_award

    request_inspection_before_award(offer.location, actor, reason=f"No rating yet: inspect before awarding "
                                                                  f"{requirement.reference}")
    if requirement.status != CareRequirement.Status.AWAITING_INSPECTION:
        CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.AWAITING_INSPECTION)
        record(actor, "care_requirement.awaiting_inspection", requirement,
               after={"status": CareRequirement.Status.AWAITING_INSPECTION, "offer": offer.pk}, reason=verdict.reason)
    return (f"{verdict.reason}. The quality team has been asked to inspect {offer.location.name}; award once the "
            "inspection is recorded, when the rating decides.")
