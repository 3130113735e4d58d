"""What of tendering needs someone: the brokerage's requirements to award, widen, score or
settle, most urgent first; a provider's care packages open for its offer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse

from caremarket.accounts.roles import PROVIDER_ROLES, Role
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, SOON, TO_DO, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, ago, days, plural

from .models import CareRequirement, Invitation, Tender

EXPECTED_DAYS = {"award": 1, "score offers": 1, "no offers": 2, "citizen's choice": 7}
BROKERAGE_ROLES = {Role.BROKERAGE_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    if user.role in BROKERAGE_ROLES:
        return _brokerage()
    if user.role in PROVIDER_ROLES and user.organisation_id:
        return _opportunities(user.organisation)
    return []


def _requirement_items(requirements, note) -> list[Item]:
    return [Item(r.reference, reverse("requirement-detail", args=[r.pk]), note(r)) for r in requirements[:SHOWN]]


def _brokerage() -> list[Task]:
    today, now, queue = clock.today(), clock.now(), reverse("brokerage")
    live = CareRequirement.objects.exclude(status__in=[CareRequirement.Status.AWARDED, CareRequirement.Status.CANCELLED])
    tasks = []
    late = live.filter(urgency=CareRequirement.Urgency.URGENT, start_on__lt=today).order_by("start_on", "pk")
    if count := late.count():
        tasks.append(Task(f"{plural(count, 'urgent requirement is', 'urgent requirements are')} past the day care "
                          "was needed", f"{queue}?urgency=urgent&sort=starts", "See urgent requirements", OVERDUE,
                          _requirement_items(late, lambda r: f"needed from {r.start_on:%-d %B}, "
                                                             f"{days((today - r.start_on).days)} ago")))
    ready = (live.filter(status=CareRequirement.Status.READY_TO_AWARD).annotate(closed_at=Max("tenders__closes_at"))
             .order_by("closed_at", "pk"))
    if count := ready.count():
        tasks.append(Task(f"{plural(count, 'tender has', 'tenders have')} closed and can be awarded",
                          f"{queue}?status=ready_to_award", "Award them",
                          by_waiting(clock.local(ready.first().closed_at).date(), today,
                                     expected_days=EXPECTED_DAYS["award"]),
                          _requirement_items(ready, lambda r: f"offers closed {ago(now, r.closed_at)}")))
    for status, title, action, kind in (
            (CareRequirement.Status.NO_OFFERS, ("requirement had no offers", "requirements had no offers"),
             "Widen or re-issue them", "no offers"),
            (CareRequirement.Status.AWAITING_SCORES, ("tender's offers are to be scored",
                                                      "tenders' offers are to be scored"), "Score them",
             "score offers"),
            (CareRequirement.Status.AWAITING_CHOICE, ("citizen is choosing a provider", "citizens are choosing"),
             "Record their choices", "citizen's choice")):
        waiting = live.filter(status=status).order_by("raised_at", "pk")
        if count := waiting.count():
            since = clock.local(waiting.first().raised_at).date()
            tasks.append(Task(plural(count, *title), f"{queue}?status={status}", action,
                              by_waiting(since, today, expected_days=EXPECTED_DAYS[kind]),
                              _requirement_items(waiting, lambda r: f"raised {ago(now, r.raised_at)}")))
    return tasks


def _opportunities(organisation) -> list[Task]:
    now = clock.now()
    open_now = (Invitation.objects.filter(organisation=organisation, tender__status=Tender.Status.OPEN,
                                          tender__closes_at__gt=now)
                .select_related("tender__requirement__service_type", "tender__requirement__area")
                .order_by("tender__closes_at"))
    if not (count := open_now.count()):
        return []
    soonest = open_now.first().tender.closes_at
    return [Task(f"{plural(count, 'care package is', 'care packages are')} open for your offer",
                 reverse("opportunities"), "See opportunities",
                 SOON if soonest - now <= dt.timedelta(hours=24) else TO_DO,
                 [Item(f"{i.tender.requirement.reference}: {i.tender.requirement.service_type}, "
                       f"{i.tender.requirement.area}", reverse("opportunity", args=[i.tender_id]),
                       f"closes {clock.local(i.tender.closes_at):%-d %B at %H:%M}") for i in open_now[:SHOWN]])]
