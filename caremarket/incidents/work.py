"""What of incidents needs someone: reports waiting to be triaged, at once if one is about
safeguarding or a serious incident."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, plural

from .models import Incident

EXPECTED_DAYS_TO_TRIAGE = 2
TRIAGERS = {Role.QUALITY_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    if user.role not in TRIAGERS:
        return []
    waiting = Incident.objects.filter(council=user.organisation_id, status=Incident.Status.REPORTED) \
        .select_related("location") \
        .order_by("reported_at", "pk")
    if not (count := waiting.count()):
        return []
    urgent = waiting.filter(kind__in=[Incident.Kind.SAFEGUARDING, Incident.Kind.SERIOUS_INCIDENT]).exists()
    return [Task(f"{plural(count, 'report is', 'reports are')} waiting to be triaged",
                 f"{reverse('incidents')}?status=reported", "Triage them", OVERDUE if urgent else
                 by_waiting(clock.local(waiting.first().reported_at).date(), clock.today(),
                            expected_days=EXPECTED_DAYS_TO_TRIAGE),
                 [Item(f"{i.reference}, {i.get_kind_display().lower()} at {i.location.name}",
                       reverse("incident", args=[i.pk]), f"reported {clock.local(i.reported_at):%-d %B}")
                  for i in waiting[:SHOWN]])]
