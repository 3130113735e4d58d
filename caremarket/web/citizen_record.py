"""A citizen's whole record for the council staff who may see it: assessments, requirements
and their tenders, packages with their changes, and payments to date, with a timeline of it
all, newest first. It reads several apps, so it lives in the shell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.urls import reverse

from caremarket.core import clock
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import PaymentLine, PaymentRun
from caremarket.tendering.models import CareRequirement, Tender


@dataclass
class Moment:
    at: dt.datetime
    title: str
    text: str = ""
    href: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.LONDON)


def whole_record(citizen) -> dict:
    requirements = list(CareRequirement.objects.filter(citizen=citizen).select_related("service_type", "area")
                        .annotate(rounds=Count("tenders")).order_by("-raised_at"))
    packages = list(CarePackage.objects.filter(requirement__citizen=citizen)
                    .select_related("organisation", "requirement__service_type").order_by("-awarded_at"))
    paid = dict(PaymentLine.objects.filter(package__in=packages, run__status=PaymentRun.Status.POSTED)
                .values_list("package_id").annotate(total=Sum("amount_pence")))
    for package in packages:
        package.paid_pence = paid.get(package.pk, 0)
    changes = list(PackageChange.objects.filter(package__in=packages).select_related("package"))
    timeline = [Moment(_start_of(a.assessed_on), f"Assessed for {a.service_type}", a.get_status_display())
                for a in citizen.assessments.select_related("service_type")]
    for r in requirements:
        timeline.append(Moment(r.raised_at, f"Requirement {r.reference} raised",
                               f"{r.service_type}, {r.area}: {r.get_status_display().lower()}",
                               reverse("requirement-detail", args=[r.pk])))
    for t in Tender.objects.filter(requirement__in=requirements).select_related("requirement"):
        timeline.append(Moment(t.opens_at, f"{t.requirement.reference} out to tender, round {t.round}",
                               f"offers closed {clock.local(t.closes_at):%-d %B %Y at %H:%M}"))
    for p in packages:
        timeline.append(Moment(p.awarded_at, f"Care package {p.reference} awarded", f"to {p.organisation}",
                               reverse("care-package", args=[p.pk])))
        if p.end_on:
            timeline.append(Moment(_start_of(p.end_on), f"Care package {p.reference} ended", p.get_status_display()))
    for c in changes:
        timeline.append(Moment(c.requested_at, f"{c.package.reference}: {c.get_kind_display().lower()} asked for",
                               f"from {c.effective_from:%-d %B %Y}; {c.get_status_display().lower()}",
                               reverse("package-changes", args=[c.package_id])))
    timeline.sort(key=lambda moment: moment.at, reverse=True)
    return {"requirements": requirements, "packages": packages, "timeline": timeline,
            "paid_pence": sum(paid.values())}
