"""Working out a service's rating from the stored evidence, and applying what follows.

``rerate`` gathers the evidence one council's rating system reads (its own and what is
national), asks the rating engine (quality.engine) and, when the rating, its suspension or its
breaches change, stores a new rating with the engine's explanation, records it in the audit
trail, suspends or restores bidding on the council's framework sections, and opens the
council's improvement plan where one is required. ``rerate_everywhere`` does so for every
council that rates the service (after national evidence: a CQC inspection).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.events import outbox as events
from caremarket.framework.councils import councils_working_with
from caremarket.organisations.councils import council_of
from caremarket.organisations.models import CareLocation, Organisation

from . import engine
from .models import ImprovementPlan, Inspection, PqasSubmission, QualityRating
from .ratings import Rating, Source

IMPROVEMENT_PLAN_DAYS = {Rating.BRONZE: 180, Rating.INADEQUATE: 90}


def rating_inputs(location: CareLocation, council: int, as_of: dt.date) -> engine.RatingInputs:
    """What one council's rating system reads of a service: the CQC's and the NHS's inspections,
    and its own inspections, statements and improvement plans."""
    inspections = tuple(
        engine.Inspection(Source(i.source), i.kind, i.outcome, i.inspected_on, i.reference or f"#{i.pk}")
        for i in Inspection.objects.filter(Q(council=council) | Q(council__isnull=True), location=location))
    pqas = tuple(engine.PqasSubmission(p.submitted_on, Rating(p.self_rating), p.falsified)
                 for p in PqasSubmission.objects.filter(location=location, council=council))
    # The first PQAS is due a year after the provider joined the framework.
    joined = location.organisation.section_approvals.order_by("approved_on").values_list("approved_on", flat=True)
    plans = tuple(engine.ImprovementPlanCompleted(p.completed_on) for p in ImprovementPlan.objects.filter(
        location=location, council=council, status=ImprovementPlan.Status.COMPLETED, completed_on__isnull=False))
    return engine.RatingInputs(
        as_of=as_of, inspections=inspections, pqas=pqas,
        pqas_first_due_on=engine.anniversary(joined[0]) if joined else None,
        improvement_plans_completed=plans, out_of_city=location.organisation.is_out_of_city,
    )


def current_rating(location: CareLocation, council: int) -> QualityRating | None:
    return QualityRating.objects.filter(location=location, council=council, is_current=True).first()


def councils_rating(location: CareLocation) -> list[int]:
    """The councils whose rating systems rate a service: each council whose frameworks approve
    its provider, and any that has rated it; on an install of one council, that council."""
    councils = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True)[:2])
    if len(councils) < 2:
        return councils
    rated = QualityRating.objects.filter(location=location).values_list("council", flat=True).distinct()
    return sorted(set(councils_working_with(location.organisation_id)) | set(rated))


def rerate_everywhere(location: CareLocation, actor, *, reason: str = "",
                      as_of: dt.date | None = None) -> list[QualityRating]:
    """Each council that rates the service works its rating out again (national evidence changed)."""
    return [rerate(location, actor, council=council, reason=reason, as_of=as_of)
            for council in councils_rating(location)]


def rerate(location: CareLocation, actor, *, council=None, reason: str = "",
           as_of: dt.date | None = None) -> QualityRating:
    """Recompute one service's rating under one council's system (the one said, else the
    person's, else the install's only council); a new rating is stored only when something changed."""
    as_of = as_of or clock.today()
    council = council_of(actor, council)
    with transaction.atomic():
        location = CareLocation.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=location.pk)
        decision = engine.decide(rating_inputs(location, council, as_of))
        current = current_rating(location, council)
        value = int(decision.rating) if decision.rating else None
        if current and (current.rating, current.suspended, current.breaches) == (
                value, decision.suspended, decision.breaches):
            return current
        if current:
            QualityRating.objects.filter(pk=current.pk).update(is_current=False)
        new = QualityRating.objects.create(
            council_id=council, location=location, rating=value, effective_from=decision.since or as_of,
            published_on=as_of,
            explanation=decision.explanation,
            breaches=decision.breaches, suspended=decision.suspended,
        )
        record(actor, "quality_rating.changed", location,
               before={"rating": current.label if current else None,
                       "suspended": current.suspended if current else False},
               after={"rating": new.label, "suspended": new.suspended, "breaches": new.breaches},
               reason="; ".join(filter(None, [reason, *decision.explanation])))
        events.write("rating.changed", f"location {location.pk}", {
            "provider": {"id": location.organisation_id, "name": location.organisation.name},
            "location": {"id": location.pk, "name": location.name, "cqc_location_id": location.cqc_location_id},
            "rating": new.label, "previous_rating": current.label if current else None,
            "suspended": new.suspended, "effective_from": new.effective_from.isoformat(),
            "why": decision.explanation}, council=council)
        _apply_suspension(location, council, decision, actor)
        if decision.improvement_plan_required:
            _open_improvement_plan(location, council, decision.rating, as_of, actor)
    return new


def _apply_suspension(location: CareLocation, council: int, decision: engine.RatingDecision, actor) -> None:
    """Bidding on the council's own frameworks (those it leads) is suspended or restored."""
    from caremarket.framework.compliance import set_status
    from caremarket.framework.models import SectionApproval

    approvals = SectionApproval.objects.filter(organisation=location.organisation, section__framework__council=council)
    if decision.suspended:
        changed = approvals.filter(status=SectionApproval.Status.APPROVED)
        reason = f"Rated Inadequate ({location.name}): suspended from bidding for new packages"
        target = SectionApproval.Status.SUSPENDED
    else:
        changed = approvals.filter(status=SectionApproval.Status.SUSPENDED, status_reason__startswith="Rated Inadequate")
        reason, target = f"Suspension lifted: {location.name} rated {decision.label}", SectionApproval.Status.APPROVED
    for approval in changed.select_for_update(of=("self",)).select_related(
            "organisation", "section__service_type", "section__area", "section__need_group"):
        set_status(approval, target, reason, actor)


def _open_improvement_plan(location: CareLocation, council: int, rating: Rating, as_of: dt.date, actor) -> None:
    if ImprovementPlan.objects.filter(location=location, council=council, status=ImprovementPlan.Status.OPEN).exists():
        return
    plan = ImprovementPlan.objects.create(
        council_id=council, location=location, required_for=int(rating), opened_on=as_of,
        due_on=as_of + dt.timedelta(days=IMPROVEMENT_PLAN_DAYS[rating]),
    )
    record(actor, "improvement_plan.required", plan,
           reason=f"Rated {rating.label}: an improvement plan is required by {plan.due_on:%d %B %Y}")


def raise_focussed_inspections(actor, as_of: dt.date | None = None) -> list:
    """Raise a focussed inspection, with its reasons, for each service whose intelligence meets
    a threshold and has none open."""
    from .models import FocussedInspectionRequest, Intelligence, TriggerThreshold
    from .triggers import Intelligence as Event
    from .triggers import Threshold, triggered

    as_of = as_of or clock.today()
    thresholds = [Threshold(t.kind, Intelligence.PLURALS[t.kind], t.count, t.window_days)
                  for t in TriggerThreshold.objects.all()]
    longest = max((t.window_days for t in thresholds), default=0)
    raised = []
    recent = Intelligence.objects.filter(occurred_on__gt=as_of - dt.timedelta(days=longest),
                                         occurred_on__lte=as_of)
    for location in CareLocation.objects.filter(intelligence__in=recent).distinct():
        events = [Event(kind, on) for kind, on in recent.filter(location=location).values_list("kind", "occurred_on")]
        found = triggered(events, thresholds, as_of)
        if not found:
            continue
        # The intelligence is national: each council that rates the service calls for its own.
        for council in councils_rating(location):
            if FocussedInspectionRequest.objects.filter(location=location, council=council, closed_on__isnull=True,
                                                        kind=FocussedInspectionRequest.Kind.FOCUSSED).exists():
                continue
            with transaction.atomic():
                request = FocussedInspectionRequest.objects.create(council_id=council, location=location,
                                                                   raised_on=as_of, reasons=[t.reason for t in found])
                record(actor, "focussed_inspection.raised", request, after={"reasons": request.reasons},
                       reason="; ".join(request.reasons))
            raised.append(request)
    return raised


def request_inspection_before_award(location, council: int, actor, *, reason: str):
    """Ask the council's quality team to inspect a service it has not rated before care is
    awarded to it (2018 strategy, "Entry criteria"); one open request a service."""
    from .models import FocussedInspectionRequest

    open_request = FocussedInspectionRequest.objects.filter(
        location=location, council=council, kind=FocussedInspectionRequest.Kind.BEFORE_AWARD,
        closed_on__isnull=True).first()
    if open_request:
        if reason not in open_request.reasons:
            open_request.reasons = [*open_request.reasons, reason]
            open_request.save(update_fields=["reasons"])
        return open_request
    request = FocussedInspectionRequest.objects.create(council_id=getattr(council, "pk", council), location=location,
                                                       raised_on=clock.today(), reasons=[reason],
                                                       kind=FocussedInspectionRequest.Kind.BEFORE_AWARD)
    record(actor, "inspection_before_award.requested", request, after={"reasons": request.reasons}, reason=reason)
    return request


def assign_inspection(called, actor, *, assessor, due_on: dt.date):
    """Give an inspection the council has called for to an independent quality assessor, to be
    made by ``due_on`` (Gold services' inspections are delegated to assessors)."""
    from django.core.exceptions import ValidationError

    from caremarket.organisations.models import Organisation

    errors = {}
    if called.closed_on is not None:
        errors["__all__"] = [f"This service was inspected on {called.closed_on:%-d %B %Y}: nothing is left to give"]
    if assessor is None or assessor.kind != Organisation.Kind.ASSESSOR:
        errors["assessor"] = ["Choose one of the independent quality assessors"]
    if due_on < clock.today():
        errors["due_on"] = ["The date to inspect by cannot be in the past"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {"assessor": called.assessor.name if called.assessor else None,
                  "due_on": called.due_on.isoformat() if called.due_on else None}
        called.assessor, called.assigned_on, called.due_on = assessor, clock.today(), due_on
        called.save(update_fields=["assessor", "assigned_on", "due_on"])
        record(actor, "inspection.assigned", called.location, before=before,
               after={"assessor": assessor.name, "due_on": due_on.isoformat()}, reason=str(called))
    return called


def record_assigned_inspection(called, actor, *, outcome: str, on: dt.date, scores: dict) -> Inspection:
    """The assessor's inspection, made on the council's behalf against its toolkit: it counts as
    the council's and answers the request it was given."""
    from django.core.exceptions import ValidationError

    from .models import FocussedInspectionRequest

    if called.closed_on is not None:
        raise ValidationError(f"This inspection was recorded on {called.closed_on:%-d %B %Y}")
    if on < called.raised_on:
        raise ValidationError({"inspected_on": [f"The inspection date cannot be before it was called for, on "
                                                f"{called.raised_on:%-d %B %Y}"]})
    kind = (Inspection.Kind.FOCUSSED if called.kind == FocussedInspectionRequest.Kind.FOCUSSED
            else Inspection.Kind.FULL)
    # Recording it closes the request, as any inspection of its kind does (record_inspection).
    return record_inspection(called.location, actor, council=called.council_id, source=Source.COUNCIL, kind=kind,
                             outcome=outcome, on=on, scores=scores,
                             reference=f"Independent assessment by {called.assessor.name}"[:100])


# --- recording evidence --------------------------------------------------------------------

CHALLENGE_DAYS = 28


def record_inspection(location, actor, *, source: str, kind: str, outcome: str = "", on: dt.date,
                      scores: dict | None = None, reference: str = "", council=None) -> Inspection:
    """Record an inspection and work out the rating again: a council's own inspection is its
    council's (the one said, else the officer's), and rates the service under its system alone;
    the CQC's and the NHS's are national, and every council that rates the service reads them.
    A council inspection scored against the toolkit takes its outcome from the scores
    (quality.toolkit)."""
    from django.core.exceptions import ValidationError

    from .models import FocussedInspectionRequest, Toolkit
    from .ratings import UnknownRating, translate
    from .toolkit import outcome as toolkit_outcome

    errors = {}
    if on > clock.today():
        errors["inspected_on"] = ["The inspection date cannot be in the future"]
    toolkit = None
    if scores:
        toolkit = Toolkit.objects.first()
        try:
            rating, why = toolkit_outcome({k: Rating(v) for k, v in scores.items()}, toolkit.standards)
            outcome = rating.label
        except ValueError as error:
            errors["scores"] = [str(error)]
    else:
        try:
            if translate(Source(source), outcome) is None:
                errors["outcome"] = [f"'{outcome}' is not a rating: record only inspections that gave one"]
        except UnknownRating as error:
            errors["outcome"] = [str(error)]
    if errors:
        raise ValidationError(errors)
    council = council_of(actor, council) if source == Source.COUNCIL else None
    with transaction.atomic():
        inspection = Inspection.objects.create(
            council_id=council, location=location, source=source, kind=kind, outcome=outcome, inspected_on=on,
            toolkit=toolkit,
            standard_scores={k: Rating(v).label for k, v in (scores or {}).items()}, reference=reference,
            recorded_by=actor if getattr(actor, "pk", None) else None)
        record(actor, "inspection.recorded", inspection)
        answered = FocussedInspectionRequest.objects.filter(location=location, closed_on__isnull=True)
        if council is not None:
            answered = answered.filter(council=council)
        if kind != Inspection.Kind.FOCUSSED:  # any rated inspection answers the one needed before award
            answered = answered.filter(kind=FocussedInspectionRequest.Kind.BEFORE_AWARD)
        answered.update(closed_on=on)
        if council is None:
            rerate_everywhere(location, actor, reason=f"{inspection}")
        else:
            rerate(location, actor, council=council, reason=f"{inspection}")
    return inspection


def submit_pqas(location, actor, *, self_rating: Rating, statement: str, on: dt.date, council=None) -> PqasSubmission:
    """A provider's statement to one council (the one it chooses where it works for several)."""
    council = council_of(actor, council)
    with transaction.atomic():
        pqas = PqasSubmission.objects.create(council_id=council, location=location, submitted_on=on,
                                             self_rating=int(self_rating), statement=statement)
        record(actor, "pqas.submitted", pqas)
        rerate(location, actor, council=council, reason=str(pqas))
    return pqas


def record_intelligence(location, actor, *, kind: str, on: dt.date, description: str):
    from .models import Intelligence

    with transaction.atomic():
        item = Intelligence.objects.create(location=location, kind=kind, occurred_on=on, description=description,
                                           recorded_by=actor if getattr(actor, "pk", None) else None)
        record(actor, "intelligence.recorded", location, after={"kind": kind, "on": on.isoformat()},
               reason=description)
    raise_focussed_inspections(actor, as_of=clock.today())
    return item


def challenge_rating(rating: QualityRating, actor, *, grounds: str, on: dt.date):
    from django.core.exceptions import ValidationError

    from .models import RatingChallenge

    if not rating.is_current:
        raise ValidationError("Only the current rating can be challenged")
    last_day = (rating.published_on or rating.effective_from) + dt.timedelta(days=CHALLENGE_DAYS)
    if on > last_day:
        raise ValidationError(f"A rating can be challenged for {CHALLENGE_DAYS} days; this one until "
                              f"{last_day:%d %B %Y}")
    if rating.challenges.filter(outcome=RatingChallenge.Outcome.PENDING).exists():
        raise ValidationError("This rating is already being challenged")
    if not grounds.strip():
        raise ValidationError({"grounds": ["Say why you think the rating is wrong"]})
    with transaction.atomic():
        challenge = RatingChallenge.objects.create(rating=rating, lodged_on=on, grounds=grounds.strip())
        record(actor, "rating_challenge.lodged", rating.location, after={"challenge": challenge.pk,
                                                                          "rating": rating.label}, reason=grounds)
    return challenge


def decide_challenge(challenge, actor, *, upheld: bool, reason: str, on: dt.date):
    from django.core.exceptions import ValidationError

    if not reason.strip():
        raise ValidationError({"reason": ["Give the reason for the decision"]})
    with transaction.atomic():
        challenge.outcome = challenge.Outcome.UPHELD if upheld else challenge.Outcome.REJECTED
        challenge.decided_on, challenge.decision_reason = on, reason.strip()
        challenge.save()
        record(actor, f"rating_challenge.{challenge.outcome}", challenge.rating.location,
               after={"challenge": challenge.pk, "outcome": challenge.outcome}, reason=reason)
    return challenge


def complete_improvement_plan(plan: ImprovementPlan, actor, *, on: dt.date) -> QualityRating:
    """The council validated the plan: an Inadequate service becomes Bronze and may bid again."""
    with transaction.atomic():
        plan.status, plan.completed_on = ImprovementPlan.Status.COMPLETED, on
        plan.save(update_fields=["status", "completed_on"])
        record(actor, "improvement_plan.completed", plan, reason="Improvements validated by the council")
        return rerate(plan.location, actor, council=plan.council_id, reason="improvement plan completed",
                      as_of=max(on, clock.today()))


ESCALATION = {
    Rating.BRONZE: "Improvement not validated in time: talk to citizens and families about changing provider",
    Rating.INADEQUATE: "Improvement plan not completed in time: multi-agency review of care and safety, and a "
                       "decommissioning plan",
}


def escalate_overdue_plans(actor, as_of: dt.date | None = None) -> list[ImprovementPlan]:
    as_of = as_of or clock.today()
    escalated = []
    for plan in ImprovementPlan.objects.filter(status=ImprovementPlan.Status.OPEN, due_on__lt=as_of):
        with transaction.atomic():
            plan.status, plan.escalation = ImprovementPlan.Status.ESCALATED, ESCALATION[Rating(plan.required_for)]
            plan.save(update_fields=["status", "escalation"])
            record(actor, "improvement_plan.escalated", plan, reason=plan.escalation)
        escalated.append(plan)
    return escalated


def mark_pqas_falsified(pqas: PqasSubmission, actor, *, reason: str) -> QualityRating:
    """The council could not validate a significant body of the statement's evidence (rule 4)."""
    from django.core.exceptions import ValidationError

    if not reason.strip():
        raise ValidationError({"reason": ["Say what could not be validated"]})
    with transaction.atomic():
        pqas.falsified = True
        pqas.save(update_fields=["falsified"])
        record(actor, "pqas.found_falsified", pqas, before={"falsified": False}, reason=reason)
        return rerate(pqas.location, actor, council=pqas.council_id, reason="PQAS found falsified")


def record_feedback(location, actor, *, council=None, **values):
    """Feedback given to a council (Healthwatch's for its area, its social workers' reviews)."""
    from .models import CustomerFeedback

    with transaction.atomic():
        feedback = CustomerFeedback.objects.create(council_id=council_of(actor, council), location=location, **values)
        record(actor, "customer_feedback.recorded", location, after={"source": feedback.source,
                                                                     "received_on": feedback.received_on.isoformat()})
    return feedback
