"""Next year's prices on the packages: once a fee schedule is published, every package that
continues past 31 March gets its price from 1 April (fees.review.next_year_price) as a price
change. Publishing the schedule was the approval, so these changes are approved as made, by
the person who applies them, with the reason for each price. Applying again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.fees import pricing, review
from caremarket.fees import services as fees
from caremarket.fees.models import FeeSchedule
from caremarket.framework.councils import frameworks_of
from caremarket.framework.models import SectionApproval
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.quality.models import QualityRating

from . import scheduled, terms


def _review_of(schedule: FeeSchedule) -> review.Review:
    found = getattr(schedule, "review", None)
    uplifts = {service: review.ServiceUplift(service, Decimal(u["percent"]), tuple(u["reasons"]))
               for service, u in (found.uplifts if found else {}).items()}
    return review.Review(fees.as_rules(schedule), uplifts)


def _marker(schedule: FeeSchedule) -> str:
    return f"The {schedule.name} fee schedule"


def apply_new_year_prices(schedule: FeeSchedule, actor) -> int:
    """Price changes from the schedule's 1 April for every continuing package; returns how many."""
    if not schedule.is_published:
        raise ValidationError(f"Publish the {schedule.name} fee schedule before applying it to packages")
    starts_on, last_day = schedule.starts_on, schedule.starts_on - dt.timedelta(days=1)
    year_review = _review_of(schedule)
    packages = list(CarePackage.objects.filter(council=schedule.council_id, start_on__lte=last_day)
                    .filter(Q(end_on__isnull=True) | Q(end_on__gte=starts_on))
                    .exclude(changes__reason__startswith=_marker(schedule))
                    .select_related("requirement__service_type", "requirement__citizen"))
    approved = defaultdict(list)
    for change in PackageChange.objects.filter(package__in=packages, status=PackageChange.Status.APPROVED,
                                               effective_from__lte=last_day).order_by("effective_from", "pk"):
        approved[change.package_id].append(change)
    ratings = dict(QualityRating.objects.filter(council=schedule.council_id, is_current=True)
                   .values_list("location_id", "rating"))
    on_contract = set(SectionApproval.objects.filter(section__framework__in=frameworks_of(schedule.council_id),
                                                     status__in=[SectionApproval.Status.APPROVED,
                                                                 SectionApproval.Status.SUSPENDED])
                      .values_list("organisation_id", "section__service_type_id"))
    now, made, summary = clock.now(), [], {}
    for package in packages:
        service = package.requirement.service_type
        current = scheduled.weekly_price_on(terms.as_scheduled(package, approved[package.pk]), last_day)
        current = (current or package.weekly_price_pence + package.top_up_pence) - package.top_up_pence
        hours = next((c.weekly_hours for c in reversed(approved[package.pk]) if c.weekly_hours), package.weekly_hours)
        facts = fees.placement(service, package.requirement.citizen.date_of_birth, starts_on, weekly_hours=hours,
                               rating=ratings.get(package.location_id), existing_weekly_pence=current,
                               open_book_weekly_pence=current,
                               on_current_contract=(package.organisation_id, service.pk) in on_contract)
        try:
            decision = review.next_year_price(package.price_basis or "open book", current, facts, year_review)
        except pricing.NoPrice as problem:
            summary[package.reference] = f"not changed: {problem}"
            continue
        if decision.weekly_pence == current:
            continue
        made.append(PackageChange(
            package=package, council_id=package.council_id, kind=PackageChange.Kind.PRICE, effective_from=starts_on,
            weekly_price_pence=decision.weekly_pence, hourly_rate_pence=decision.hourly_pence, weekly_hours=hours,
            reason=f"{_marker(schedule)}: {' '.join(decision.reasons)}"[:2000], status=PackageChange.Status.APPROVED,
            requested_by=actor, requested_at=now, decided_by=actor, decided_at=now,
            decision_reason=f"Published {clock.local(schedule.published_at):%d %B %Y}"))
        summary[package.reference] = f"{format_gbp(current)} → {format_gbp(decision.weekly_pence)} a week"
    with transaction.atomic():
        PackageChange.objects.bulk_create(made, batch_size=2000)
        record(actor, "fee_schedule.applied_to_packages", schedule,
               after={"from": starts_on.isoformat(), "changed": len(made), "packages": summary})
    return len(made)
