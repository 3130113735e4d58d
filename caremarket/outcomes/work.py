"""What of contracts paid by results needs someone: for the council, quarterly returns to
release and alliance periods to settle; for a consortium, the returns it owes, likely duplicate
carers and carers waiting for an assessment."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.permissions import visible
from caremarket.accounts.roles import CONSORTIUM_ROLES, Role
from caremarket.core import clock
from caremarket.core.urgency import TO_DO, by_due_date, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, days, plural
from caremarket.periods.calendar import financial_year_label

from . import contracts as consortium_contracts
from . import register as carers_register
from .models import AlliancePeriod, Carer, ConsortiumContract, QuarterlyReturn

EXPECTED_DAYS = {"release": 10, "settle alliance": 30, "duplicate carer": 28, "carer assessment": 28}
RELEASERS = {Role.FINANCE_OFFICER, Role.COMMISSIONER}  # who releases a quarter's payment


def tasks_for(user) -> list[Task]:
    tasks = []
    if user.role in RELEASERS:
        tasks += _results_to_release()
    if user.role == Role.COMMISSIONER:
        tasks += _alliances_to_settle()
    if user.role in CONSORTIUM_ROLES and user.organisation_id:
        tasks += _consortium(user)
    return tasks


def _results_to_release() -> list[Task]:
    waiting = QuarterlyReturn.objects.filter(released_at__isnull=True, received_on__isnull=False) \
        .select_related("contract_year__contract")  # a placeholder of noughts is not in yet
    if not (count := waiting.count()):
        return []
    items = [Item(f"{r.contract.name}, quarter {r.quarter} of {financial_year_label(r.contract_year.start_year)}",
                  reverse("consortium-release", args=[r.contract.pk, r.contract_year.start_year, r.quarter]),
                  f"return received {r.received_on:%-d %B}") for r in waiting.order_by("received_on", "pk")[:SHOWN]]
    since = waiting.order_by("received_on").values_list("received_on", flat=True).first()
    return [Task(f"{plural(count, 'quarterly return is', 'quarterly returns are')} in and waiting for its "
                 "payment to be released", reverse("consortium-contracts"), "Check and release them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS["release"]), items)]


def _alliances_to_settle() -> list[Task]:
    ended = AlliancePeriod.objects.filter(settled_at__isnull=True, ends_on__lt=clock.today()) \
        .select_related("contract").order_by("ends_on", "pk")
    if not (count := ended.count()):
        return []
    items = [Item(str(p), reverse("alliance-settle", args=[p.contract_id, p.pk]), f"ended {p.ends_on:%-d %B %Y}")
             for p in ended[:SHOWN]]
    return [Task(f"{plural(count, 'alliance period has', 'alliance periods have')} ended and can be settled",
                 reverse("alliances"), "Check and settle them",
                 by_waiting(ended.first().ends_on, clock.today(), expected_days=EXPECTED_DAYS["settle alliance"]),
                 items)]


def _consortium(user) -> list[Task]:
    tasks, today = [], clock.today()
    if user.role == Role.CONSORTIUM_INTEGRATOR:
        for contract in visible(ConsortiumContract.objects.all(), user).distinct():
            for year in contract.years.all():
                for quarter in consortium_contracts.standing(year):
                    if quarter.sent is None and quarter.period.end < today:
                        late = quarter.due_on < today
                        tasks.append(Task(
                            f"{quarter.period.label} {financial_year_label(year.start_year)} return for "
                            f"{contract.name} is {'overdue' if late else 'due'}",
                            reverse("consortium-return", args=[contract.pk, year.start_year, quarter.number]),
                            "Send it", by_due_date(quarter.due_on, today, warn_days=14),
                            [Item(f"due {quarter.due_on:%-d %B %Y}", note=quarter.payment.reason)]))
        if count := carers_register.duplicates_to_check(user):
            held = visible(Carer.objects.filter(held_back_for__isnull=False, merged_into__isnull=True), user)
            since = held.order_by("registered_on").values_list("registered_on", flat=True).first()
            tasks.append(Task(f"{plural(count, 'pair of registrations looks', 'pairs of registrations look')} like "
                              "the same carer", reverse("carer-duplicates"), "Check and merge or dismiss them",
                              by_waiting(since, today, expected_days=EXPECTED_DAYS["duplicate carer"])
                              if since else TO_DO))
    waiting = visible(Carer.objects.filter(assessed_on__isnull=True, merged_into__isnull=True, left_on__isnull=True),
                      user).order_by("registered_on", "pk")
    if count := waiting.count():
        items = [Item(c.reference, reverse("carer", args=[c.pk]), f"registered {days((today - c.registered_on).days)}"
                      " ago") for c in waiting[:SHOWN]]
        tasks.append(Task(f"{plural(count, 'carer is', 'carers are')} waiting for their needs to be assessed",
                          f"{reverse('carers')}?status=not_assessed&sort=registered", "See them, longest waiting first",
                          by_waiting(waiting[0].registered_on, today, expected_days=EXPECTED_DAYS["carer assessment"]),
                          items))
    return tasks
