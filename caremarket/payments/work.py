"""What of payments needs someone: finance's invoices to pay, answered queries to settle and
the next payment run; a provider's queries to answer and invoices the council pays late."""

from __future__ import annotations

from django.urls import reverse

from caremarket.accounts.permissions import for_council
from caremarket.accounts.roles import PROVIDER_ROLES, Role
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, TO_DO, by_due_date, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, days, plural
from caremarket.periods.models import PaymentPeriod

from .models import Invoice, PaymentQuery

EXPECTED_DAYS = {"settle a query": 14, "answer a query": 14}
FINANCE_ROLES = {Role.FINANCE_OFFICER, Role.COMMISSIONER}


def tasks_for(user) -> list[Task]:
    if user.role in FINANCE_ROLES:
        return _finance(user)
    if user.role in PROVIDER_ROLES and user.organisation_id:
        return _provider(user.organisation)
    return []


def _finance(user) -> list[Task]:
    today, tasks = clock.today(), []
    upcoming = (for_council(PaymentPeriod.objects, user)
                .filter(payment_date__gte=today, financial_year__published_at__isnull=False)
                .select_related("financial_year", "payment_run").order_by("payment_date").first())
    next_payment = upcoming.payment_date if upcoming else None
    unpaid = (for_council(Invoice.objects, user).filter(status=Invoice.Status.RECEIVED, due_on__isnull=False)
              .select_related("organisation").order_by("due_on", "pk"))
    if count := unpaid.count():
        first = unpaid.first().due_on

        def note(invoice) -> str:
            if invoice.due_on < today:
                return f"{days((today - invoice.due_on).days)} late"
            late = next_payment and invoice.due_on < next_payment  # the next run pays it after its due date
            return f"{days((invoice.due_on - today).days)} left" + (
                f", due before the next payment date ({next_payment:%-d %B})" if late else "")

        items = [Item(f"{i.reference}, {i.organisation}", reverse("invoice", args=[i.pk]), note(i))
                 for i in unpaid[:SHOWN]]
        tasks.append(Task(f"{plural(count, 'invoice is', 'invoices are')} received and not yet paid",
                          f"{reverse('invoice-list')}?status=received&sort=due", "See them, soonest due first",
                          # soon: within a week, or before the next payment date (the run after pays it late)
                          by_due_date(first, today, warn_days=max(7, (next_payment - today).days - 1)
                                      if next_payment else 7), items))
    answered = for_council(PaymentQuery.objects, user).filter(status=PaymentQuery.Status.ANSWERED)
    if count := answered.count():
        since = clock.local(answered.order_by("answered_at").values_list("answered_at", flat=True).first()).date()
        tasks.append(Task(f"{plural(count, 'payment query has', 'payment queries have')} been answered and "
                          "can be settled", f"{reverse('payment-queries')}?status=answered", "Settle them",
                          by_waiting(since, today, expected_days=EXPECTED_DAYS["settle a query"])))
    if upcoming:
        run = getattr(upcoming, "payment_run", None)
        state = run.get_status_display().lower() if run else "not yet run"
        tasks.append(Task(f"Next payment date: {upcoming.payment_date:%A %-d %B %Y}, "
                          f"in {days((upcoming.payment_date - today).days)}",
                          reverse("payment-period", args=[upcoming.pk]), f"Open the {upcoming} run",
                          TO_DO if run is not None and run.status == run.Status.POSTED
                          else by_due_date(upcoming.payment_date, today, warn_days=7),
                          [Item(str(upcoming), note=f"the run is {state}")]))
    return tasks


def _provider(organisation) -> list[Task]:
    today, tasks = clock.today(), []
    queries = PaymentQuery.objects.filter(status=PaymentQuery.Status.OPEN, visit__organisation=organisation)
    if count := queries.count():
        since = clock.local(queries.order_by("visit__planned_start").values_list("visit__planned_start", flat=True)
                            .first()).date()
        tasks.append(Task(f"{plural(count, 'payment query is', 'payment queries are')} waiting for your answer",
                          f"{reverse('payment-queries')}?status=open", "Answer them",
                          by_waiting(since, today, expected_days=EXPECTED_DAYS["answer a query"])))
    late = Invoice.objects.filter(organisation=organisation, status=Invoice.Status.RECEIVED, due_on__lt=today)
    if count := late.count():
        tasks.append(Task(f"{plural(count, 'invoice is', 'invoices are')} late: past the 28 days the council has "
                          "to pay", f"{reverse('invoice-list')}?status=received&sort=due", "See your unpaid invoices",
                          OVERDUE,
                          [Item(i.reference, reverse("invoice", args=[i.pk]),
                                f"due {i.due_on:%-d %B %Y}") for i in late.order_by("due_on")[:SHOWN]]))
    return tasks
