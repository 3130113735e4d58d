"""Scheduling quarterly contract reviews (``review_rules``) and filling each agenda from the data
the council already holds: quality, performance, improvement actions, capacity and intelligence.
Each council reviews the providers with the largest share of its own spend, from its own data."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import Invoice, PaymentQuery
from caremarket.quality.models import ImprovementPlan, Intelligence, QualityRating
from caremarket.tendering.models import Offer

from . import review_rules
from .models import Action, ContractReview, ReviewPolicy

LOOK_BACK = dt.timedelta(days=91)  # a quarter


def policy(council_id: int) -> ReviewPolicy:
    return ReviewPolicy.objects.filter(council=council_id).first() or ReviewPolicy(council_id=council_id)


def in_place(day: dt.date, council_id: int):
    return CarePackage.objects.filter(council=council_id, start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day))


def weekly_spend(day: dt.date, council_id: int) -> dict[int, int]:
    return dict(in_place(day, council_id).values_list("organisation_id").annotate(pence=Sum("weekly_price_pence")))


def agenda(organisation, day: dt.date, council_id: int) -> list[dict]:
    """The review's agenda: headings, each with lines from the council's data as it is on ``day``."""
    since = day - LOOK_BACK
    ratings = QualityRating.objects.filter(council=council_id, location__organisation=organisation, is_current=True) \
        .select_related("location").order_by("location__name")
    quality = [f"{r.location.name}: {r.get_rating_display() or 'not rated'}"
               + (" (suspended from new placements)" if r.suspended else "") for r in ratings] or ["No services rated"]
    plans = ImprovementPlan.objects.filter(council=council_id, location__organisation=organisation) \
        .exclude(status=ImprovementPlan.Status.COMPLETED).select_related("location")
    improvement = [f"{p.location.name}: plan due {p.due_on:%-d %B %Y} ({p.get_status_display().lower()})"
                   for p in plans] or ["No improvement plan open"]
    ours = {"council": council_id}
    packages = in_place(day, council_id).filter(organisation=organisation).aggregate(n=Count("pk"),
                                                                         pence=Sum("weekly_price_pence"))
    offers = Offer.objects.filter(organisation=organisation, submitted_at__date__gte=since, **ours)
    won = CarePackage.objects.filter(organisation=organisation, awarded_at__date__gte=since, **ours).count()
    handed_back = PackageChange.objects.filter(
        package__organisation=organisation, **ours, end_cause=PackageChange.EndCause.HANDED_BACK,
        status=PackageChange.Status.APPROVED, effective_from__gte=since).count()
    late = Invoice.objects.filter(organisation=organisation, due_on__lt=day, paid_on__isnull=True, **ours).count()
    queries = PaymentQuery.objects.filter(visit__organisation=organisation, status=PaymentQuery.Status.OPEN,
                                          **ours).count()
    performance = [f"{packages['n'] or 0:,} care packages in place, {format_gbp(packages['pence'] or 0)} a week",
                   f"In the last quarter: {offers.count():,} offers made, {won:,} packages won, "
                   f"{handed_back:,} handed back",
                   f"{queries:,} payment queries waiting for the provider's answer; {late:,} invoices unpaid past due"]
    intelligence = [f"{i.occurred_on:%-d %B %Y}: {i.get_kind_display()} about {i.location.name}"
                    for i in Intelligence.objects.filter(location__organisation=organisation, occurred_on__gte=since)
                    .select_related("location").order_by("-occurred_on")[:20]] or ["No concerns or intelligence in the last quarter"]
    actions = [f"{a.description} ({a.owner}, due {a.due_on:%-d %B %Y}{', overdue' if a.due_on < day else ''})"
               for a in Action.objects.filter(organisation=organisation, done_on__isnull=True, **ours)
               .select_related("owner").order_by("due_on")] or ["No open actions"]
    return [{"heading": "Quality", "lines": quality}, {"heading": "Improvement plans", "lines": improvement},
            {"heading": "Performance and capacity", "lines": performance},
            {"heading": "Concerns and intelligence", "lines": intelligence},
            {"heading": "Actions from before", "lines": actions}]


def schedule(actor, day: dt.date | None = None) -> list[ContractReview]:
    """Schedule this quarter's reviews, each council's for the providers due one by its own
    spend; safe to run again (a review already scheduled is left as it is)."""
    day, made = day or clock.today(), []
    for council_id in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True):
        made += _schedule_for(council_id, actor, day)
    return made


def _schedule_for(council_id: int, actor, day: dt.date) -> list[ContractReview]:
    rules = policy(council_id)
    start_year, quarter, _ = review_rules.quarter_of(day)
    made = []
    for organisation_id, (share, due_on) in sorted(review_rules.due(weekly_spend(day, council_id), rules.market_share,
                                                                    day, rules.days_into_quarter).items()):
        with transaction.atomic():
            if ContractReview.objects.filter(council=council_id, organisation_id=organisation_id,
                                             start_year=start_year, quarter=quarter).exists():
                continue
            organisation = Organisation.objects.get(pk=organisation_id)
            review = ContractReview.objects.create(
                council_id=council_id, organisation=organisation, start_year=start_year, quarter=quarter,
                due_on=due_on, market_share=round(share, 4), agenda=agenda(organisation, day, council_id),
                scheduled_at=clock.now())
            record(actor, "contract_review.scheduled", review,
                   after={"share": f"{share:.2%}", "due on": due_on.isoformat()})
            made.append(review)
    return made


def refresh_agenda(review: ContractReview) -> ContractReview:
    """Fill the agenda again from the data as it is today (before the meeting)."""
    review.agenda = agenda(review.organisation, clock.today(), review.council_id)
    review.save(update_fields=["agenda"])
    return review
