"""What of quality needs someone: for the council's quality officers, inspections to give to
assessors, improvement plans falling due and overdue PQAS; for an independent assessor, the
inspections it has been given."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.urls import reverse

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, by_due_date, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, days, plural
from caremarket.organisations.models import CareLocation

from . import engine
from .models import FocussedInspectionRequest, ImprovementPlan

EXPECTED_DAYS_TO_INSPECT = 20  # from a focussed inspection being called for to an assessor making it
QUALITY_ROLES = {Role.QUALITY_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    if user.role in QUALITY_ROLES:
        return _quality(user.organisation_id)
    if user.role == Role.QUALITY_ASSESSOR and user.organisation_id:
        return _assessment(user)
    return []


def _quality(council: int) -> list[Task]:
    """A council's quality team: what its own rating system waits on."""
    today, tasks = clock.today(), []
    called = (FocussedInspectionRequest.objects.filter(council=council, closed_on__isnull=True)
              .select_related("location", "assessor")
              .order_by("raised_on", "pk"))
    for kind, title, urgency in (
            (FocussedInspectionRequest.Kind.BEFORE_AWARD,
             ("service waits for an inspection before an award", "services wait for an inspection before an award"),
             OVERDUE),
            (FocussedInspectionRequest.Kind.FOCUSSED,
             ("focussed inspection is called for", "focussed inspections are called for"), None)):
        found = called.filter(kind=kind)
        if count := found.count():
            if urgency is None:  # a focussed inspection: by how long it has waited for an assessor
                urgency = by_waiting(found.first().raised_on, today, expected_days=EXPECTED_DAYS_TO_INSPECT)
            tasks.append(Task(plural(count, *title), f"{reverse('inspection-list')}?kind={kind}",
                              "See why, and give them to assessors", urgency,
                              [Item(r.location.name, reverse("inspection-request", args=[r.pk]),
                                    f"called for {days((today - r.raised_on).days)} ago"
                                    + (f", given to {r.assessor}" if r.assessor_id else "")) for r in found[:SHOWN]]))
    plans = (ImprovementPlan.objects.filter(council=council, status=ImprovementPlan.Status.OPEN,
                                            due_on__lte=today + dt.timedelta(days=30))
             .select_related("location").order_by("due_on", "pk"))
    if count := plans.count():
        tasks.append(Task(f"{plural(count, 'improvement plan is', 'improvement plans are')} due within 30 days "
                          "or overdue", reverse("public-ratings"), "See the ratings",
                          by_due_date(plans.first().due_on, today, warn_days=30),
                          [Item(p.location.name, reverse("service-quality", args=[p.location_id]),
                                f"due {p.due_on:%-d %B %Y}") for p in plans[:SHOWN]]))
    # Candidates in SQL, then the rating engine's own due date (a PQAS is due on the anniversary of the last).
    candidates = (CareLocation.objects.filter(organisation__section_approvals__status="approved")
                  .annotate(last=Max("pqas__submitted_on", filter=Q(pqas__council=council)))
                  .filter(last__lt=today - dt.timedelta(days=364))
                  .distinct().order_by("last"))
    overdue = [service for service in candidates if engine.anniversary(service.last) < today]
    if overdue:
        title = plural(len(overdue), "service's PQAS is", "services' PQAS are") + " overdue"
        tasks.append(Task(title, reverse("public-ratings"), "See the ratings", OVERDUE,
                          [Item(s.name, reverse("service-quality", args=[s.pk]), f"last sent {s.last:%-d %B %Y}")
                           for s in overdue[:SHOWN]]))
    return tasks


def _assessment(user) -> list[Task]:
    """An independent quality assessor: the inspections the council has given it, soonest due first."""
    today = clock.today()
    given = (FocussedInspectionRequest.objects.filter(assessor_id=user.organisation_id, closed_on__isnull=True)
             .select_related("location").order_by("due_on", "pk"))
    if not (count := given.count()):
        return []
    first = given.first().due_on
    return [Task(f"{plural(count, 'inspection is', 'inspections are')} waiting for you to make",
                 reverse("inspection-list"), "See them all",
                 by_due_date(first, today, warn_days=14),
                 [Item(r.location.name, reverse("inspection-request", args=[r.pk]),
                       f"inspect by {r.due_on:%-d %B %Y}" if r.due_on >= today else
                       f"{days((today - r.due_on).days)} overdue") for r in given[:SHOWN]])]
