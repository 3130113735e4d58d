"""What of citizens needs someone: a social worker's citizens still waiting for a service."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import by_waiting
from caremarket.core.worklist import Task, plural

from .models import Assessment

EXPECTED_DAYS_FOR_A_SERVICE = 28


def tasks_for(user) -> list[Task]:
    if user.role != Role.SOCIAL_WORKER:
        return []
    waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SERVICE, citizen__social_worker=user)
    if not (count := waiting.count()):
        return []
    since = waiting.order_by("assessed_on").values_list("assessed_on", flat=True).first()
    return [Task(f"{plural(count, 'of your citizens is', 'of your citizens are')} waiting for a service",
                 f"{reverse('citizen-list')}?mine=on&status=awaiting_service", "See them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS_FOR_A_SERVICE))]
