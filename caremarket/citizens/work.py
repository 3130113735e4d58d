"""What of citizens needs someone: a social worker's citizens still waiting for a service; changes
from the client record system waiting for a decision."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.permissions import for_council
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import by_waiting
from caremarket.core.worklist import Task, plural

from .models import Assessment, WaitingChange

EXPECTED_DAYS_FOR_A_SERVICE = 28
EXPECTED_DAYS_TO_DECIDE_A_CHANGE = 2
DECIDERS = {Role.SOCIAL_WORKER, Role.BROKERAGE_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    tasks = _changes_waiting(user) if user.role in DECIDERS else []
    return tasks + (_waiting_for_a_service(user) if user.role == Role.SOCIAL_WORKER else [])


def _changes_waiting(user) -> list[Task]:
    waiting = for_council(WaitingChange.objects, user).filter(decided_at__isnull=True)
    if not (count := waiting.count()):
        return []
    since = clock.local(waiting.order_by("received_at").values_list("received_at", flat=True).first()).date()
    title = plural(count, "change from the client record system is", "changes from the client record system are")
    return [Task(f"{title} waiting for a decision", reverse("changes-waiting"), "Accept or reject them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS_TO_DECIDE_A_CHANGE))]


def _waiting_for_a_service(user) -> list[Task]:
    waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SERVICE, citizen__social_worker=user)
    if not (count := waiting.count()):
        return []
    since = waiting.order_by("assessed_on").values_list("assessed_on", flat=True).first()
    return [Task(f"{plural(count, 'of your citizens is', 'of your citizens are')} waiting for a service",
                 f"{reverse('citizen-list')}?mine=on&status=awaiting_service", "See them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS_FOR_A_SERVICE))]
