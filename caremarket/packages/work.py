"""What of care packages needs someone: changes waiting for a second person's approval."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.permissions import for_council
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import by_waiting
from caremarket.core.worklist import Task, plural

from .models import PackageChange

EXPECTED_DAYS_TO_APPROVE = 2
APPROVERS = {Role.FINANCE_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    if user.role not in APPROVERS:
        return []
    changes = for_council(PackageChange.objects, user).filter(status=PackageChange.Status.PROPOSED)
    if not (count := changes.count()):
        return []
    since = clock.local(changes.order_by("requested_at").values_list("requested_at", flat=True).first()).date()
    return [Task(f"{plural(count, 'package change is', 'package changes are')} waiting for approval",
                 reverse("package-changes-waiting"), "Approve or reject them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS_TO_APPROVE))]
