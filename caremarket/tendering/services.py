"""Placing care: raising a requirement, routing it, tendering it, taking offers, closing the
tender, and awarding the care package. The rules are in routing, windows, offers, evaluation
and choice (pure); this module gathers their inputs from the database, stores what they
decide, and records every step in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp, multiply
from caremarket.fees import services as fees
from caremarket.fees.pricing import PriceDecision
from caremarket.framework.models import ComplianceDocument, DocumentType, Framework, SectionApproval
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


def new_requirement(assessment, actor, *, need_groups, replaces: CarePackage | None = None, reason: str = "",
                    **fields) -> CareRequirement:
    """Store and number a requirement from an assessment, audited; it is not yet routed."""
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
    return [(b, routing.BlockContractCapacity(
        reference=b.reference, provider=b.organisation.name, service_type=b.service_type.code,
        area=b.area.code if b.area else None, need_groups=frozenset(n.code for n in b.need_groups.all()),
        free_hours=b.weekly_hours - (b.used_hours or 0), free_places=max(b.places - b.used_places, 0)))
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


# --- tendering ----------------------------------------------------------------------------

def eligible_providers(requirement: CareRequirement, areas) -> list:
    """Providers approved for the requirement's section in these areas (or city-wide), not
    suspended, with their compliance evidence in date. The provider handing the package
    back is never asked to take it again."""
    needs = requirement.need_groups.all()
    approvals = SectionApproval.objects.filter(
        Q(section__area__in=areas) | Q(section__area__isnull=True),
        Q(section__need_group__in=needs) | Q(section__need_group__isnull=True),
        section__framework=current_framework(), section__service_type=requirement.service_type,
        status=SectionApproval.Status.APPROVED)
    providers = Organisation.objects.filter(pk__in=approvals.values("organisation_id")).order_by("name")
    if requirement.replaces_id:
        providers = providers.exclude(pk=requirement.replaces.organisation_id)
    lapsed = _with_lapsed_evidence([p.pk for p in providers], requirement.service_type.setting, clock.today())
    return [p for p in providers if p.pk not in lapsed]


def _with_lapsed_evidence(organisation_ids, setting: str, as_of: dt.date) -> set[int]:
    """Organisations holding a kind of evidence for this setting whose every copy has expired
    (framework.compliance's rule, for many providers in one query rather than waiting for the
    nightly suspension)."""
    types = [t.pk for t in DocumentType.objects.filter(suspends_bidding_when_expired=True, has_expiry=True)
             if setting in t.settings]
    latest = (ComplianceDocument.objects.filter(organisation_id__in=organisation_ids, document_type_id__in=types)
              .values("organisation_id", "document_type_id").annotate(last=Max("expires_on")))
    return {row["organisation_id"] for row in latest if row["last"] is None or row["last"] < as_of}


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
                 spare_weekly_hours: Decimal | None = None) -> Offer:
    """Make or change an offer. Raises OfferRefused after the deadline, ValidationError (by field) if wrong."""
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("requirement__service_type").get(pk=tender.pk)
        _check_open(tender, organisation)
        fixed = fixed_weekly_price(tender.requirement)
        open_book = fixed is None
        errors = offers.check(confirms_needs=confirms_needs, outcomes_response=outcomes_response,
                              start_on=start_on, earliest_start=tender.requirement.start_on,
                              breakdown=breakdown, open_book=open_book)
        if location is None or location.organisation_id != organisation.pk or location.registration != "registered":
            errors["location"] = "Choose one of your registered services to deliver the care"
        if spare_weekly_hours is not None and spare_weekly_hours < 0:
            errors["spare_weekly_hours"] = "Spare hours cannot be negative"
        if errors:
            raise ValidationError(errors)
        now = clock.now()
        values = {"location": location, "confirms_needs": True, "outcomes_response": outcomes_response.strip(),
                  "weekly_price_pence": breakdown.total_pence if open_book else fixed,
                  "cost_breakdown": breakdown.as_dict() if open_book and breakdown else {},
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


def offer_facts(tender: Tender) -> list[dict]:
    """What the evaluation needs to know about each offer, as stored with the tender when it closes."""
    submitted = list(tender.offers.filter(status=Offer.Status.SUBMITTED).select_related("organisation", "location"))
    location_ids = [o.location_id for o in submitted]
    ratings = {r.location_id: r for r in QualityRating.objects.filter(location_id__in=location_ids, is_current=True)}
    feedback = _feedback_scores(location_ids, clock.today())
    suspended = set(SectionApproval.objects.filter(
        organisation_id__in=[o.organisation_id for o in submitted], status=SectionApproval.Status.SUSPENDED,
        section__service_type=tender.requirement.service_type).values_list("organisation_id", flat=True))
    facts = []
    for order, offer in enumerate(submitted):
        rating = ratings.get(offer.location_id)
        facts.append({
            "reference": str(offer.pk), "provider": offer.organisation.name, "price_pence": offer.weekly_price_pence,
            "rating": rating.rating if rating else None,
            "suspended": bool(rating and rating.suspended) or offer.organisation_id in suspended,
            "feedback_score": str(feedback[offer.location_id]) if offer.location_id in feedback else None,
            "in_preferred_location": offer.location.area_id == tender.requirement.area_id,
            "submitted_order": order,
        })
    return facts


def evaluate(rule: str, setting: str, facts: list[dict]) -> evaluation.Evaluation:
    offers_ = [evaluation.Offer(
        reference=f["reference"], provider=f["provider"], price_pence=f["price_pence"],
        rating=Rating(f["rating"]) if f["rating"] else None, suspended=f["suspended"],
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
        if result.winner:
            status = CareRequirement.Status.READY_TO_AWARD
        elif result.shortlist:
            status = CareRequirement.Status.AWAITING_CHOICE
        else:
            status = CareRequirement.Status.NO_OFFERS
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


def award(requirement: CareRequirement, actor, *, chosen_offer_id: int | None = None,
          top_up_payer: str = "") -> CarePackage:
    """Award the care package: to the winner, or to the offer the citizen chose. One award per requirement."""
    from . import tasks

    with transaction.atomic():
        requirement = CareRequirement.objects.select_for_update().select_related("service_type").get(
            pk=requirement.pk)
        existing = CarePackage.objects.filter(requirement=requirement).select_related("organisation").first()
        if existing:
            raise AlreadyAwarded(f"{requirement.reference} was already awarded to {existing.organisation} "
                                 f"({existing.reference})")
        tender = _closed_tender(requirement)
        result = stored_evaluation(tender)
        if chosen_offer_id is None:
            if result.winner is None:
                raise ValidationError({"offer": "The citizen chooses among the top-rated offers: choose one"})
            chosen_offer_id, route = int(result.winner.offer.reference), CarePackage.Route.MICRO_TENDER
            decision = choice.ChoiceDecision(True, result.winner.offer.price_pence, 0, result.summary)
        else:
            if requirement.service_type.setting == "home":
                raise ValidationError({"offer": "Home support is awarded by the rules; the citizen does not choose"})
            decision = choice.decide_choice(result, str(chosen_offer_id),
                                            asked_for_more_expensive=requirement.asked_for_more_expensive,
                                            top_up_payer=top_up_payer)
            if not decision.allowed:
                raise ValidationError({"offer": decision.reason})
            route = CarePackage.Route.CITIZEN_CHOICE
        offer = Offer.objects.select_related("organisation", "location").get(pk=chosen_offer_id, tender=tender)
        values = {"organisation": offer.organisation, "location": offer.location, "route": route, "offer": offer,
                  "weekly_price_pence": decision.council_pays_pence, "top_up_pence": decision.top_up_pence,
                  "top_up_payer": top_up_payer.strip() if decision.top_up_pence else "", "start_on": offer.start_on,
                  "decision": {**tender.evaluation, "reason": decision.reason, "tender": tender.pk,
                               "round": tender.round}}
        if not offer.cost_breakdown:
            values = priced_at_fee(requirement, offer.location, values)
        package = create_package(requirement, actor, **values)
        transaction.on_commit(lambda: tasks.email_outcomes.enqueue(package.pk))
    return package
