"""What of account management needs someone: the contract reviews to hold and the actions
overdue for the providers an account manager looks after, and their services' open
improvement plans and inspections called for."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, by_due_date, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, plural
from caremarket.organisations.models import managed_by
from caremarket.quality.models import FocussedInspectionRequest, ImprovementPlan
from caremarket.quality.work import EXPECTED_DAYS_TO_INSPECT

from .models import Action, ContractReview


def tasks_for(user) -> list[Task]:
    return _account_management(user) if user.role == Role.ACCOUNT_MANAGER else []


def _reviews_and_actions(user) -> list[Task]:
    """Contract reviews due for the providers the person manages, and the actions they own."""
    today, tasks, page = clock.today(), [], reverse("contract-reviews")
    due = ContractReview.objects.filter(council=user.organisation_id, status=ContractReview.Status.SCHEDULED,
                                        organisation__in=managed_by(user)) \
        .select_related("organisation").order_by("due_on", "pk")
    if count := due.count():
        tasks.append(Task(f"{plural(count, 'contract review is', 'contract reviews are')} to hold", page,
                          "See the reviews", by_due_date(due.first().due_on, today, warn_days=14),
                          [Item(str(r.organisation), reverse("contract-review", args=[r.organisation_id, r.pk]),
                                f"due {r.due_on:%-d %B %Y}") for r in due[:SHOWN]]))
    overdue = Action.objects.filter(council=user.organisation_id, owner=user, done_on__isnull=True, due_on__lt=today) \
        .select_related("organisation").order_by("due_on", "pk")
    if count := overdue.count():
        tasks.append(Task(f"{plural(count, 'action of yours is', 'actions of yours are')} overdue", page,
                          "See your actions", OVERDUE,
                          [Item(a.description, reverse("provider-record", args=[a.organisation_id]) + "#actions",
                                f"{a.organisation}, due {a.due_on:%-d %B %Y}") for a in overdue[:SHOWN]]))
    return tasks


def _account_management(user) -> list[Task]:
    """The providers the person manages, where something needs the council's attention."""
    tasks = _reviews_and_actions(user)
    mine = [row["organisation"] for row in managed_by(user)]
    if not mine:
        return tasks
    mine_url = f"{reverse('organisation-list')}?mine=on"
    plans = (ImprovementPlan.objects.filter(council=user.organisation_id, location__organisation_id__in=mine,
                                            status=ImprovementPlan.Status.OPEN)
             .select_related("location__organisation").order_by("due_on", "pk"))
    if count := plans.count():
        tasks.append(Task(f"{plural(count, 'service you manage has', 'services you manage have')} an open "
                          "improvement plan", mine_url, "See your providers",
                          by_due_date(plans.first().due_on, clock.today(), warn_days=30),
                          [Item(f"{p.location.name}, {p.location.organisation}",
                                reverse("service-quality", args=[p.location_id]), f"due {p.due_on:%-d %B %Y}")
                           for p in plans[:SHOWN]]))
    called = (FocussedInspectionRequest.objects.filter(council=user.organisation_id, location__organisation_id__in=mine,
                                                       closed_on__isnull=True)
              .select_related("location__organisation").order_by("raised_on", "pk"))
    if count := called.count():
        tasks.append(Task(f"{plural(count, 'service you manage has', 'services you manage have')} an inspection "
                          "called for", mine_url, "See your providers",
                          by_waiting(called.first().raised_on, clock.today(),
                                     expected_days=EXPECTED_DAYS_TO_INSPECT),
                          [Item(f"{r.location.name}, {r.location.organisation}",
                                reverse("service-quality", args=[r.location_id]), "; ".join(r.reasons))
                           for r in called[:SHOWN]]))
    return tasks or [Task(f"Nothing needs you for the {plural(len(mine), 'provider', 'providers')} you manage",
                          mine_url, "See them")]
