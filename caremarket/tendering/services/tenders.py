"""Tender rounds: who is asked (framework.eligibility), offers made, changed and withdrawn
until the deadline, closing and evaluating (tendering.evaluation), and the next round when
nobody offered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.events import outbox as events
from caremarket.fees import services as fees
from caremarket.framework import eligibility
from caremarket.framework.councils import frameworks_of
from caremarket.framework.eligibility import Step
from caremarket.framework.models import SectionApproval
from caremarket.geography.models import Area
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.quality.models import CustomerFeedback, QualityRating
from caremarket.quality.ratings import Rating

from .. import evaluation, notices, offers, windows
from ..models import CareRequirement, Invitation, Offer, OfferScore, Tender, TenderPolicy
from .common import fixed_weekly_price, policy_for, standings

FEEDBACK_MONTHS = 12


def eligible_providers(requirement: CareRequirement, areas) -> list:
    """Providers the eligibility rule lets us ask: approved for the requirement's section in
    these areas (or city-wide), not suspended, with their compliance evidence in date. The
    provider handing the package back is never asked to take it again."""
    needs = requirement.need_groups.all()
    candidates = SectionApproval.objects.filter(
        Q(section__area__in=areas) | Q(section__area__isnull=True),
        Q(section__need_group__in=needs) | Q(section__need_group__isnull=True),
        section__framework__in=frameworks_of(requirement.council_id), section__service_type=requirement.service_type,
        status=SectionApproval.Status.APPROVED)
    providers = Organisation.objects.filter(pk__in=candidates.values("organisation_id")).order_by("name")
    if requirement.replaces_id:
        providers = providers.exclude(pk=requirement.replaces.organisation_id)
    providers = list(providers)
    found = standings(requirement, [p.pk for p in providers], areas=areas)
    return [p for p in providers if eligibility.check(found[p.pk], Step.INVITATION).eligible]


def issue_tender(requirement: CareRequirement, actor, *, areas, reason: str = "") -> Tender:
    policy = policy_for(requirement)
    now = clock.now()
    window = windows.Window(policy.urgent_response_hours, policy.standard_response_hours)
    round_ = requirement.tenders.count() + 1
    tender = Tender.objects.create(
        requirement=requirement, round=round_, opens_at=now, rule=policy.rule,
        closes_at=window.closes_at(now, urgent=requirement.urgency == CareRequirement.Urgency.URGENT))
    tender.areas.set(areas)
    providers = eligible_providers(requirement, areas)
    Invitation.objects.bulk_create([Invitation(tender=tender, council_id=tender.council_id, organisation=p,
                                               invited_at=now) for p in providers])
    CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.TENDERING)
    requirement.status = CareRequirement.Status.TENDERING
    record(actor, "tender.issued", tender,
           after={"round": round_, "areas": sorted(a.name for a in areas), "invited": len(providers),
                  "closes_at": tender.closes_at.isoformat()},
           reason=reason or requirement.routing_reason)
    transaction.on_commit(lambda: notices.email_invitations.enqueue(tender.pk))
    return tender


# What making an offer reads of the invitation and what it joins (the rest is never looked at).
OFFER_READS = ["tender_id", "organisation_id", "tender__round", "tender__status", "tender__closes_at",
               "tender__council_id", "tender__requirement__council_id", "tender__requirement__reference",
               "tender__requirement__start_on", "tender__requirement__weekly_hours", "tender__requirement__asked_for_more_expensive",
               "tender__requirement__area_id", "tender__requirement__service_type__code",
               "tender__requirement__service_type__name", "tender__requirement__service_type__setting",
               "tender__requirement__citizen__date_of_birth"]
OFFER_FIELDS = ["location", "confirms_needs", "outcomes_response", "weekly_price_pence", "cost_breakdown",
                "accommodation_price_pence", "accommodation_offered", "start_on", "spare_weekly_hours", "status",
                "submitted_by", "changed_at"]


def submit_offer(tender, organisation, actor, *, location, confirms_needs: bool, outcomes_response: str,
                 start_on: dt.date | None, breakdown: offers.CostBreakdown | None = None,
                 spare_weekly_hours: Decimal | None = None, accommodation_price_pence: int = 0,
                 accommodation_offered: str = "") -> Offer:
    """Make or change an offer. ``tender`` and ``location`` are records or their ids. Raises
    NotInvited when the provider was not asked, OfferRefused after the deadline or when it may
    not bid (framework.eligibility), ValidationError (by field) if the offer is wrong.

    Called for every offer a provider makes or changes, so it reads what it needs in few
    statements: the invitation with its tender (locked), requirement, citizen, the provider's
    existing offer and the fee schedules' publication stamp in one; the delivering service
    with its rating in one; the provider's sections and evidence in two; then one upsert and
    the audit event. Fee schedules come from this process's copy (fees.services)."""
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update(of=("tender",))
                      .select_related("tender__requirement__service_type", "tender__requirement__citizen")
                      .only(*OFFER_READS)
                      .annotate(fees_stamp=fees.publication_stamp(),
                                offered=Exists(Offer.objects.filter(tender=OuterRef("tender"),
                                                                    organisation=OuterRef("organisation"))))
                      .filter(tender_id=getattr(tender, "pk", tender), organisation=organisation).first())
        if invitation is None:
            raise offers.NotInvited("Your organisation was not asked to offer on this tender")
        tender = invitation.tender
        _check_deadline(tender)
        requirement = tender.requirement
        rules = fees.schedule_rules(requirement.start_on, requirement.council_id, stamp=invitation.fees_stamp)
        fixed = fixed_weekly_price(requirement, rules=rules)
        open_book = fixed is None
        errors = offers.check(confirms_needs=confirms_needs, outcomes_response=outcomes_response,
                              start_on=start_on, earliest_start=requirement.start_on,
                              breakdown=breakdown, fixed_weekly_pence=fixed,
                              accommodation_price_pence=accommodation_price_pence,
                              accommodation_offered=accommodation_offered,
                              accommodation_asked_for=requirement.asked_for_more_expensive
                              and requirement.service_type.setting == "bed_based")
        location = (CareLocation.objects.filter(pk=getattr(location, "pk", location), organisation=organisation,
                                                registration="registered")
                    .annotate(rating=Subquery(QualityRating.objects.filter(council=requirement.council_id,
                                                                           location=OuterRef("pk"), is_current=True)
                                              .values("rating")[:1])).first() if location is not None else None)
        if location is None:
            errors["location"] = "Choose one of your registered services to deliver the care"
        if spare_weekly_hours is not None and spare_weekly_hours < 0:
            errors["spare_weekly_hours"] = "Spare hours cannot be negative"
        if errors:
            raise ValidationError(errors)
        standing = standings(requirement, [organisation.pk], areas=tender.areas.all(),
                             locations={organisation.pk: location.pk}, names={organisation.pk: organisation.name},
                             location_ratings={location.pk: location.rating})[organisation.pk]
        verdict = eligibility.check(standing, Step.OFFER)
        if not verdict.eligible:
            raise offers.OfferRefused(verdict.reason)
        now = clock.now()
        offer = Offer(tender=tender, council_id=tender.council_id, organisation=organisation, location=location,
                      confirms_needs=True, outcomes_response=outcomes_response.strip(),
                      weekly_price_pence=breakdown.total_pence if open_book else fixed,
                      cost_breakdown=breakdown.as_dict() if open_book and breakdown else {},
                      accommodation_price_pence=accommodation_price_pence or 0,
                      accommodation_offered=accommodation_offered.strip() if accommodation_price_pence else "",
                      start_on=start_on, spare_weekly_hours=spare_weekly_hours, status=Offer.Status.SUBMITTED,
                      submitted_by=actor, submitted_at=now, changed_at=now)
        # One statement whether the offer is new or changed; a change keeps when it was first made.
        Offer.objects.bulk_create([offer], update_conflicts=True, unique_fields=["tender", "organisation"],
                                  update_fields=OFFER_FIELDS)
        # Sealed: the trail says an offer was made, not what it was, until the tender closes.
        record(actor, "offer.changed" if invitation.offered else "offer.submitted", offer,
               after={"status": "submitted"})
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
        raise offers.NotInvited("Your organisation was not asked to offer on this tender")
    _check_deadline(tender)


def _check_deadline(tender: Tender) -> None:
    if tender.status != Tender.Status.OPEN or clock.now() >= tender.closes_at:
        raise offers.OfferRefused(
            f"Offers closed at {clock.local(tender.closes_at):%H:%M on %d %B %Y}: this offer was not accepted")


def _feedback_scores(location_ids, council: int, as_of: dt.date) -> dict[int, Decimal]:
    """The share of recent Friends and Family answers given to the council that would recommend each service."""
    since = as_of - dt.timedelta(days=FEEDBACK_MONTHS * 365 // 12)
    rows = (CustomerFeedback.objects.filter(council=council, location_id__in=location_ids, received_on__gte=since,
                                            would_recommend__isnull=False)
            .values("location_id").annotate(total=Count("pk"), yes=Count("pk", filter=Q(would_recommend=True))))
    return {r["location_id"]: (Decimal(100) * r["yes"] / r["total"]).quantize(Decimal("0.1")) for r in rows}


def offer_facts(tender: Tender, step: Step = Step.CLOSE) -> list[dict]:
    """What the evaluation needs to know about each offer now, as stored with the tender when
    it closes (and again if the award finds it changed): scores a person gave included."""
    submitted = list(tender.offers.filter(status=Offer.Status.SUBMITTED).select_related("organisation", "location"))
    location_ids = [o.location_id for o in submitted]
    feedback = _feedback_scores(location_ids, tender.council_id, clock.today())
    found = standings(tender.requirement, [o.organisation_id for o in submitted], areas=tender.areas.all(),
                      locations={o.organisation_id: o.location_id for o in submitted})
    scores: dict[int, dict] = {}
    for offer_id, criterion_id, score, reason in OfferScore.objects.filter(offer__in=submitted).values_list(
            "offer_id", "criterion_id", "score", "reason"):
        scores.setdefault(offer_id, {})[str(criterion_id)] = [score, reason]
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
            "submitted_order": order, "scores": scores.get(offer.pk, {}),
        })
    return facts


def scoring_method(tender: Tender) -> dict | None:
    """The 2012 rule's criteria and scale for a tender, as its policy has them when it closes
    (stored with the evaluation, so it can be worked again as it was)."""
    if tender.rule != TenderPolicy.Rule.PROSPECTUS_2012:
        return None
    policy = policy_for(tender.requirement)
    return {"scale_top": policy.scale_top,
            "criteria": [{"key": str(c.pk), "name": c.name, "points": str(c.points), "from_rating": c.from_rating,
                          "guidance": c.guidance} for c in policy.criteria.all()]}


def criteria_of(method: dict | None) -> tuple[tuple[evaluation.Criterion, ...], int]:
    if not method or not method["criteria"]:
        return evaluation.RATING_ONLY, evaluation.SCALE_TOP
    return (tuple(evaluation.Criterion(c["key"], c["name"], Decimal(c["points"]), c["from_rating"])
                  for c in method["criteria"]), method["scale_top"])


def _offers(facts: list[dict]) -> list[evaluation.Offer]:
    return [evaluation.Offer(
        reference=f["reference"], provider=f["provider"], price_pence=f["price_pence"],
        accommodation_price_pence=f.get("accommodation_price_pence", 0),
        rating=Rating(f["rating"]) if f["rating"] else None, suspended=f["suspended"],
        ineligible_reason=f.get("ineligible", ""),
        feedback_score=Decimal(f["feedback_score"]) if f["feedback_score"] is not None else None,
        in_preferred_location=f["in_preferred_location"], submitted_order=f["submitted_order"],
        scores={key: (score, reason) for key, (score, reason) in f.get("scores", {}).items()}) for f in facts]


def evaluate(rule: str, setting: str, facts: list[dict], method: dict | None = None) -> evaluation.Evaluation:
    if rule == TenderPolicy.Rule.PROSPECTUS_2012:
        return evaluation.prospectus_2012(_offers(facts), *criteria_of(method))
    return evaluation.strategy_2018(_offers(facts), setting=setting)


def evaluation_record(result: evaluation.Evaluation, facts: list[dict], method: dict | None = None) -> dict:
    def item(r):
        return {"offer": r.offer.reference, "provider": r.offer.provider, "price_pence": r.offer.price_pence,
                "rating": r.offer.rating.label if r.offer.rating else "Not yet rated", "position": r.position,
                "scores": {k: (str(v) if v is not None else None) for k, v in r.scores.items()},
                "reasons": r.reasons}
    return {"policy": result.policy, "summary": result.summary, "facts": facts, "method": method,
            "ranked": [item(r) for r in result.ranked],
            "winner": result.winner.offer.reference if result.winner else None,
            "shortlist": [r.offer.reference for r in result.shortlist]}


def evaluated(tender: Tender, facts: list[dict], method: dict | None) -> tuple[dict, str]:
    """The tender's evaluation record and the requirement's status after it: under the 2012 rule
    the offers wait for a person to score their responses first."""
    if method is not None and (waiting := evaluation.still_to_score(_offers(facts), criteria_of(method)[0])):
        offers_ = len({offer for offer, _ in waiting})
        summary = (f"{offers_} offer{'s' if offers_ != 1 else ''} to be scored against the quality criteria "
                   "before the offers are evaluated")
        return ({"policy": tender.rule, "summary": summary, "facts": facts, "method": method, "ranked": [],
                 "winner": None, "shortlist": [], "awaiting_scores": True}, CareRequirement.Status.AWAITING_SCORES)
    result = evaluate(tender.rule, tender.requirement.service_type.setting, facts, method)
    return evaluation_record(result, facts, method), status_after(result)


def offers_to_score(tender: Tender) -> list[int]:
    """The offers a person scores: those the tender closed with that may be awarded, in order."""
    return [int(o.reference) for o in evaluation.may_be_awarded(_offers(tender.evaluation["facts"]))]


def stored_evaluation(tender: Tender) -> evaluation.Evaluation:
    """The evaluation again from the facts stored at closing (ratings may have moved on since)."""
    if tender.evaluation.get("awaiting_scores"):
        raise ValidationError("The offers are still to be scored against the quality criteria")
    return evaluate(tender.rule, tender.requirement.service_type.setting, tender.evaluation["facts"],
                    tender.evaluation.get("method"))


def close_tender(tender: Tender, actor="scheduler: tender deadlines") -> Tender:
    """Close a tender whose deadline has passed, evaluate its offers, and say what happens next."""
    with transaction.atomic():
        tender = (Tender.objects.select_for_update(of=("self",))
                  .select_related("requirement__service_type", "requirement__area").get(pk=tender.pk))
        if tender.status != Tender.Status.OPEN or clock.now() < tender.closes_at:
            return tender
        requirement = tender.requirement
        facts = offer_facts(tender)
        tender.evaluation, status = evaluated(tender, facts, scoring_method(tender))
        tender.status, tender.closed_at = Tender.Status.CLOSED, clock.now()
        tender.save(update_fields=["status", "closed_at", "evaluation"])
        CareRequirement.objects.filter(pk=requirement.pk).update(status=status)
        record(actor, "tender.closed", tender, after={"offers": len(facts), "outcome": status,
                                                      "summary": tender.evaluation["summary"]})
        if status == CareRequirement.Status.NO_OFFERS:
            transaction.on_commit(lambda: notices.email_no_offers.enqueue(tender.pk))
            following = next_round(requirement, actor) if policy_for(requirement).widen_automatically else None
            events.write("tender.unmet", f"requirement {requirement.reference}", {
                "requirement": requirement.reference, "assessment_id": requirement.assessment.source_id,
                "service_type": requirement.service_type.code, "round": tender.round,
                "areas": sorted(tender.areas.values_list("code", flat=True)),
                "next_round": following.round if following else None}, council=requirement.council_id,
                citizen=requirement.citizen.for_events())
    return tender


def score_offers(tender: Tender, actor, given: dict[int, dict[str, tuple[int, str]]]) -> Tender:
    """Store a person's scores of the offers' responses (``{offer id: {criterion key: (score,
    reason)}}``, every score with a reason), then evaluate the offers once all are scored. The
    facts the tender closed on stay as they were; only the scores are added."""
    with transaction.atomic():
        tender = Tender.objects.select_for_update(of=("self",)).select_related(
            "requirement__service_type").get(pk=tender.pk)
        requirement = tender.requirement
        if tender.status != Tender.Status.CLOSED or requirement.status not in (
                CareRequirement.Status.AWAITING_SCORES, CareRequirement.Status.READY_TO_AWARD):
            raise ValidationError("These offers can no longer be scored: the tender is not waiting for an award")
        method = tender.evaluation.get("method")
        criteria, top = criteria_of(method)
        scored = {c.key for c in criteria if not c.from_rating}
        facts = {f["reference"]: f for f in tender.evaluation["facts"]}
        problems = {}
        for offer_id, scores in given.items():
            for key, (score, reason) in scores.items():
                field = f"{offer_id}-{key}"
                if str(offer_id) not in facts or key not in scored:
                    problems[field] = "This is not a criterion of an offer on this tender"
                elif not isinstance(score, int) or not 0 <= score <= top:
                    problems[field] = f"Choose a score from 0 to {top}"
                elif not " ".join(reason.split()):
                    problems[field] = "Give the reason for this score"
        if problems:
            raise ValidationError(problems)
        now = clock.now()
        offers_ = Offer.objects.select_related("organisation", "tender__requirement").in_bulk(list(given))
        for offer_id, scores in given.items():
            for key, (score, reason) in scores.items():
                reason = reason.strip()
                OfferScore.objects.update_or_create(offer_id=offer_id, criterion_id=int(key), defaults={
                    "score": score, "reason": reason, "scored_by": actor, "scored_at": now})
                facts[str(offer_id)].setdefault("scores", {})[key] = [score, reason]
            record(actor, "offer.scored", offers_[offer_id], after={
                c.name: f"{scores[c.key][0]} of {top}: {scores[c.key][1].strip()}" for c in criteria
                if c.key in scores})
        before = tender.evaluation.get("summary")
        tender.evaluation, status = evaluated(tender, list(facts.values()), method)
        tender.save(update_fields=["evaluation"])
        CareRequirement.objects.filter(pk=requirement.pk).update(status=status)
        record(actor, "tender.evaluated", tender, before={"summary": before},
               after={"summary": tender.evaluation["summary"], "outcome": status})
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


def outcome_for_provider(tender: Tender, awarded_organisation_id: int | None, organisation_id: int, *,
                         offered: bool = True) -> str:
    """What a provider is told about a tender it was asked to offer on (its latest round)."""
    if awarded_organisation_id is not None:
        if awarded_organisation_id == organisation_id:
            return "Awarded to you"
        return "Awarded to another provider" if offered else "Closed: you did not offer"
    if tender.status == Tender.Status.OPEN and clock.now() < tender.closes_at:
        return "Open"
    return "Being decided" if offered else "Closed: you did not offer"

def status_after(result: evaluation.Evaluation) -> str:
    if result.winner:
        return CareRequirement.Status.READY_TO_AWARD
    if result.shortlist:
        return CareRequirement.Status.AWAITING_CHOICE
    return CareRequirement.Status.NO_OFFERS
