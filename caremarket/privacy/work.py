"""What of data protection needs the data protection officer: a retention schedule that has
stopped running, and legal holds placed long enough ago to check they are still needed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from caremarket.accounts.permissions import can, for_council
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, TO_DO
from caremarket.core.worklist import Item, Task, plural

from .models import LegalHold, RetentionRun

RUNS_EVERY_DAYS = 1
HOLD_REVIEWED_AFTER = dt.timedelta(days=365)


def tasks_for(user) -> list[Task]:
    if not can(user, "manage_retention"):
        return []
    return _retention_stopped() + _holds_to_review(user)


def _retention_stopped() -> list[Task]:
    last = RetentionRun.objects.filter(dry_run=False, finished_at__isnull=False).order_by("-finished_at").first()
    if last and (clock.today() - clock.local(last.finished_at).date()).days <= RUNS_EVERY_DAYS + 1:
        return []
    since = f"since {clock.local(last.finished_at):%-d %B %Y}" if last else "yet"
    return [Task(f"The retention schedule has not run {since}", reverse("data-protection") + "#runs",
                 "Check the nightly jobs are running", OVERDUE)]


def _holds_to_review(user) -> list[Task]:
    old = (for_council(LegalHold.objects, user)
           .filter(lifted_at__isnull=True, placed_at__lt=clock.now() - HOLD_REVIEWED_AFTER)
           .select_related("citizen", "carer").order_by("placed_at"))
    if not (count := old.count()):
        return []
    items = [Item(f"{'Citizen ' + hold.citizen.reference if hold.citizen_id else 'Carer ' + hold.carer.reference}",
                  reverse("data-protection-person", args=["citizen" if hold.citizen_id else "carer",
                                                          hold.citizen_id or hold.carer_id]),
                  f"placed {clock.local(hold.placed_at):%-d %B %Y}: {hold.reason}") for hold in old[:5]]
    return [Task(f"{plural(count, 'legal hold was', 'legal holds were')} placed over a year ago",
                 reverse("data-protection"), "Check they are still needed", TO_DO, items)]
