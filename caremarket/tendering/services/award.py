"""Awarding the care package: to the rules' winner or the citizen's choice, only to a provider
the eligibility rule allows at that moment (else the offers are evaluated again, or the award
waits for an inspection), one package per requirement.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.framework import eligibility
from caremarket.framework.eligibility import Step
from caremarket.packages import services as packages
from caremarket.packages.models import CarePackage
from caremarket.packages.services import AlreadyAwarded  # noqa: F401 (callers catch it from here)
from caremarket.quality.ratings import Rating

from .. import award_check, choice, evaluation, notices
from ..models import CareRequirement, Offer, Tender
from .common import fixed_weekly_price, priced_at_fee, standings
from .tenders import evaluated, offer_facts, scoring_method, stored_evaluation


def place_package(requirement: CareRequirement, actor, **values) -> CarePackage:
    """The care package for the requirement (packages.services), and the requirement awarded."""
    package = packages.create_package(requirement, actor, **values)
    CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.AWARDED)
    requirement.status = CareRequirement.Status.AWARDED
    return package


def preview_choice(requirement: CareRequirement, offer_id: int, *, top_up_payer: str = "") -> choice.ChoiceDecision:
    tender = _closed_tender(requirement)
    return choice.decide_choice(stored_evaluation(tender), str(offer_id),
                                asked_for_more_expensive=requirement.asked_for_more_expensive,
                                top_up_payer=top_up_payer)


@dataclass(frozen=True)
class AwardCheck:
    """What the check page before an award shows: the winning offer, why it wins, and what is unusual."""

    offer: Offer
    summary: str
    warnings: list[str]


def check_award(requirement: CareRequirement) -> AwardCheck:
    """The award the rules would make now, for the broker to check before making it."""
    tender = _closed_tender(requirement)
    result = stored_evaluation(tender)
    offer = Offer.objects.select_related("organisation", "location").get(pk=_winner_id(result), tender=tender)
    fee = fixed_weekly_price(requirement)
    facts = award_check.AwardFacts(offers=len([r for r in result.ranked if r.position is not None]),
                                   start_on=offer.start_on, today=clock.today(),
                                   weekly_price_pence=offer.weekly_price_pence, fixed_fee_pence=fee)
    return AwardCheck(offer, result.summary, award_check.warnings(facts))


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
    with transaction.atomic():
        outcome = _award(requirement, actor, chosen_offer_id, top_up_payer)
        if isinstance(outcome, CarePackage):
            transaction.on_commit(lambda: notices.email_outcomes.enqueue(outcome.pk))
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
    return place_package(requirement, actor, **values)


def _rating_label(value: int | None) -> str:
    return Rating(value).label if value else "not yet rated"


def _winner_id(result: evaluation.Evaluation, *, required: bool = True) -> int | None:
    if result.winner is None:
        if required:
            raise ValidationError({"offer": "The citizen chooses among the top-rated offers: choose one"})
        return None
    return int(result.winner.offer.reference)


def reevaluate(tender: Tender, actor, *, reason: str) -> evaluation.Evaluation:
    """Evaluate a closed tender's offers again on what is true now, store it and say why."""
    requirement = tender.requirement
    facts = offer_facts(tender)
    before = tender.evaluation.get("summary") if tender.evaluation else None
    method = tender.evaluation.get("method") if tender.evaluation else scoring_method(tender)
    found, status = evaluated(tender, facts, method)
    tender.evaluation = {**found, "re_evaluated": {"at": clock.now().isoformat(), "reason": reason}}
    Tender.objects.filter(pk=tender.pk).update(evaluation=tender.evaluation)
    CareRequirement.objects.filter(pk=requirement.pk).update(status=status)
    record(actor, "tender.re_evaluated", tender, before={"summary": before}, after={"summary": found["summary"]},
           reason=reason)
    if found.get("awaiting_scores"):  # an offer now eligible has still to be scored
        return evaluation.Evaluation(tender.rule, [], None, [], found["summary"])
    return stored_evaluation(tender)


def _await_inspection(requirement: CareRequirement, offer: Offer, verdict, actor) -> str:
    """Hold the award until the service is inspected, and ask the quality team to inspect it."""
    from caremarket.quality.services import request_inspection_before_award

    request_inspection_before_award(offer.location, requirement.council_id, actor,
                                    reason=f"No rating yet: inspect before awarding {requirement.reference}")
    if requirement.status != CareRequirement.Status.AWAITING_INSPECTION:
        CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.AWAITING_INSPECTION)
        record(actor, "care_requirement.awaiting_inspection", requirement,
               after={"status": CareRequirement.Status.AWAITING_INSPECTION, "offer": offer.pk}, reason=verdict.reason)
    return (f"{verdict.reason}. The quality team has been asked to inspect {offer.location.name}; award once the "
            "inspection is recorded, when the rating decides.")
