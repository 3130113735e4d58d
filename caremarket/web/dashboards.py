"""What needs each person when they sign in: their work, most urgent first, each task saying how
many and which, and linking to the list filtered to exactly those. A task with nothing in it is
left out; a figure that asks nothing of the person (how many audit events there are) is not a task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse

from caremarket.accounts.permissions import visible
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.core.urgency import OVERDUE, SOON, TO_DO, by_due_date, by_waiting
from caremarket.framework.models import Application, ComplianceDocument
from caremarket.incidents.models import Incident
from caremarket.management.models import Action, ContractReview
from caremarket.organisations.models import CareLocation
from caremarket.outcomes import contracts as consortium_contracts
from caremarket.outcomes import register as carers_register
from caremarket.outcomes.models import AlliancePeriod, Carer, ConsortiumContract, QuarterlyReturn
from caremarket.packages.models import PackageChange
from caremarket.payments.models import Invoice, PaymentQuery
from caremarket.periods.calendar import financial_year_label
from caremarket.periods.models import PaymentPeriod
from caremarket.quality import engine
from caremarket.quality.models import FocussedInspectionRequest, ImprovementPlan
from caremarket.tendering.models import CareRequirement, Invitation, Tender

# How urgent a task is comes from core.urgency: a due date's rule, or the time the council
# expects each kind of waiting work to take (below).
EXPECTED_DAYS = {
    "award": 1, "score offers": 1, "no offers": 2, "citizen's choice": 7, "service": 28, "application": 28,
    "answered query": 14, "package change": 2, "release": 10, "triage": 2, "settle alliance": 30,
    "duplicate carer": 28, "carer assessment": 28, "inspection": 20, "query answer": 14,
}
SHOWN = 5  # the most urgent items named under a task; the link shows them all
DOCUMENTS_EXPIRING_DAYS = 30
BROKERAGE_ROLES = {Role.BROKERAGE_OFFICER, Role.COMMISSIONER}
PROVIDER_ROLES = {Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF}


@dataclass
class Item:
    text: str
    href: str = ""
    note: str = ""


@dataclass
class Task:
    title: str
    href: str
    link_text: str
    urgency: int = TO_DO
    items: list[Item] = field(default_factory=list)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _days(days: int) -> str:
    return _plural(days, "day", "days")


def tasks_for(user) -> list[Task]:
    """The person's work, most urgent first (then as each role's list puts it)."""
    role = user.role
    tasks: list[Task] = []
    if role in BROKERAGE_ROLES:
        tasks += _brokerage()
    if role == Role.SOCIAL_WORKER:
        tasks += _social_work(user)
    if role == Role.COMMISSIONER:
        tasks += _commissioning()
    if role in {Role.FINANCE_OFFICER, Role.COMMISSIONER}:
        tasks += _finance()
    if role in {Role.QUALITY_OFFICER, Role.COMMISSIONER}:
        tasks += _quality()
    if role == Role.ACCOUNT_MANAGER:
        tasks += _account_management(user)
    if role == Role.QUALITY_ASSESSOR and user.organisation_id:
        tasks += _assessment(user)
    if role in PROVIDER_ROLES and user.organisation_id:
        tasks += _provider(user)
    if role in {Role.FINANCE_OFFICER, Role.COMMISSIONER}:
        tasks += _results_to_release()
    if role == Role.COMMISSIONER:
        tasks += _alliances_to_settle()
    if role in {Role.CONSORTIUM_INTEGRATOR, Role.CONSORTIUM_MEMBER} and user.organisation_id:
        tasks += _consortium(user)
    return sorted(tasks, key=lambda task: task.urgency)


# --- the council ---------------------------------------------------------------------------------

def _requirement_items(requirements, note) -> list[Item]:
    return [Item(r.reference, reverse("requirement-detail", args=[r.pk]), note(r)) for r in requirements[:SHOWN]]


def _brokerage() -> list[Task]:
    today, now, queue = clock.today(), clock.now(), reverse("brokerage")
    live = CareRequirement.objects.exclude(status__in=[CareRequirement.Status.AWARDED, CareRequirement.Status.CANCELLED])
    tasks = []
    late = live.filter(urgency=CareRequirement.Urgency.URGENT, start_on__lt=today).order_by("start_on", "pk")
    if count := late.count():
        tasks.append(Task(f"{_plural(count, 'urgent requirement is', 'urgent requirements are')} past the day care "
                          "was needed", f"{queue}?urgency=urgent&sort=starts", "See urgent requirements", OVERDUE,
                          _requirement_items(late, lambda r: f"needed from {r.start_on:%-d %B}, "
                                                             f"{_days((today - r.start_on).days)} ago")))
    ready = (live.filter(status=CareRequirement.Status.READY_TO_AWARD).annotate(closed_at=Max("tenders__closes_at"))
             .order_by("closed_at", "pk"))
    if count := ready.count():
        tasks.append(Task(f"{_plural(count, 'tender has', 'tenders have')} closed and can be awarded",
                          f"{queue}?status=ready_to_award", "Award them",
                          by_waiting(clock.local(ready.first().closed_at).date(), today,
                                     expected_days=EXPECTED_DAYS["award"]),
                          _requirement_items(ready, lambda r: f"offers closed {_ago(now, r.closed_at)}")))
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
            tasks.append(Task(_plural(count, *title), f"{queue}?status={status}", action,
                              by_waiting(since, today, expected_days=EXPECTED_DAYS[kind]),
                              _requirement_items(waiting, lambda r: f"raised {_ago(now, r.raised_at)}")))
    return tasks


def _ago(now: dt.datetime, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    hours = int((now - moment).total_seconds() // 3600)
    if hours < 1:
        return "less than an hour ago"
    return f"{_days(hours // 24)} ago" if hours >= 24 else f"{_plural(hours, 'hour', 'hours')} ago"


def _social_work(user) -> list[Task]:
    waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SERVICE, citizen__social_worker=user)
    if not (count := waiting.count()):
        return []
    since = waiting.order_by("assessed_on").values_list("assessed_on", flat=True).first()
    return [Task(f"{_plural(count, 'of your citizens is', 'of your citizens are')} waiting for a service",
                 f"{reverse('citizen-list')}?mine=on&status=awaiting_service", "See them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS["service"]))]


def _commissioning() -> list[Task]:
    waiting = Application.objects.filter(status=Application.Status.SUBMITTED).select_related("organisation")
    if not (count := waiting.count()):
        return []
    items = [Item(a.organisation.name, reverse("application-detail", args=[a.pk]),
                  f"submitted {a.submitted_at:%-d %B}" if a.submitted_at else "") for a in waiting[:SHOWN]]
    oldest = waiting.exclude(submitted_at=None).order_by("submitted_at").values_list("submitted_at", flat=True).first()
    urgency = by_waiting(clock.local(oldest).date(), clock.today(), expected_days=EXPECTED_DAYS["application"]) \
        if oldest else TO_DO
    return [Task(f"{_plural(count, 'application is', 'applications are')} waiting for a decision",
                 reverse("application-list"), "Decide them", urgency, items)]


def _finance() -> list[Task]:
    today, tasks = clock.today(), []
    upcoming = (PaymentPeriod.objects.filter(payment_date__gte=today, financial_year__published_at__isnull=False)
                .select_related("financial_year", "payment_run").order_by("payment_date").first())
    next_payment = upcoming.payment_date if upcoming else None
    unpaid = (Invoice.objects.filter(status=Invoice.Status.RECEIVED, due_on__isnull=False)
              .select_related("organisation").order_by("due_on", "pk"))
    if count := unpaid.count():
        first = unpaid.first().due_on

        def note(invoice) -> str:
            if invoice.due_on < today:
                return f"{_days((today - invoice.due_on).days)} late"
            late = next_payment and invoice.due_on < next_payment  # the next run pays it after its due date
            return f"{_days((invoice.due_on - today).days)} left" + (
                f", due before the next payment date ({next_payment:%-d %B})" if late else "")

        items = [Item(f"{i.reference}, {i.organisation}", reverse("invoice", args=[i.pk]), note(i))
                 for i in unpaid[:SHOWN]]
        tasks.append(Task(f"{_plural(count, 'invoice is', 'invoices are')} received and not yet paid",
                          f"{reverse('invoice-list')}?status=received&sort=due", "See them, soonest due first",
                          # soon: within a week, or before the next payment date (the run after pays it late)
                          by_due_date(first, today, warn_days=max(7, (next_payment - today).days - 1)
                                      if next_payment else 7), items))
    answered = PaymentQuery.objects.filter(status=PaymentQuery.Status.ANSWERED)
    if count := answered.count():
        since = clock.local(answered.order_by("answered_at").values_list("answered_at", flat=True).first()).date()
        tasks.append(Task(f"{_plural(count, 'payment query has', 'payment queries have')} been answered and "
                          "can be settled", f"{reverse('payment-queries')}?status=answered", "Settle them",
                          by_waiting(since, today, expected_days=EXPECTED_DAYS["answered query"])))
    changes = PackageChange.objects.filter(status=PackageChange.Status.PROPOSED)
    if count := changes.count():
        since = clock.local(changes.order_by("requested_at").values_list("requested_at", flat=True).first()).date()
        tasks.append(Task(f"{_plural(count, 'package change is', 'package changes are')} waiting for approval",
                          reverse("package-changes-waiting"), "Approve or reject them",
                          by_waiting(since, today, expected_days=EXPECTED_DAYS["package change"])))
    if upcoming:
        run = getattr(upcoming, "payment_run", None)
        state = run.get_status_display().lower() if run else "not yet run"
        days = (upcoming.payment_date - today).days
        tasks.append(Task(f"Next payment date: {upcoming.payment_date:%A %-d %B %Y}, in {_days(days)}",
                          reverse("payment-period", args=[upcoming.pk]), f"Open the {upcoming} run",
                          TO_DO if run is not None and run.status == run.Status.POSTED
                          else by_due_date(upcoming.payment_date, today, warn_days=7),
                          [Item(str(upcoming), note=f"the run is {state}")]))
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
    return [Task(f"{_plural(count, 'quarterly return is', 'quarterly returns are')} in and waiting for its "
                 "payment to be released", reverse("consortium-contracts"), "Check and release them",
                 by_waiting(since, clock.today(), expected_days=EXPECTED_DAYS["release"]), items)]


def _incidents_to_triage() -> list[Task]:
    waiting = Incident.objects.filter(status=Incident.Status.REPORTED).select_related("location") \
        .order_by("reported_at", "pk")
    if not (count := waiting.count()):
        return []
    urgent = waiting.filter(kind__in=[Incident.Kind.SAFEGUARDING, Incident.Kind.SERIOUS_INCIDENT]).exists()
    return [Task(f"{_plural(count, 'report is', 'reports are')} waiting to be triaged",
                 f"{reverse('incidents')}?status=reported", "Triage them", OVERDUE if urgent else  # safeguarding: now
                 by_waiting(clock.local(waiting.first().reported_at).date(), clock.today(),
                            expected_days=EXPECTED_DAYS["triage"]),
                 [Item(f"{i.reference}, {i.get_kind_display().lower()} at {i.location.name}",
                       reverse("incident", args=[i.pk]), f"reported {clock.local(i.reported_at):%-d %B}")
                  for i in waiting[:SHOWN]])]


def _reviews_and_actions(user) -> list[Task]:
    """Contract reviews due for the providers the person manages, and the actions they own."""
    today, tasks, page = clock.today(), [], reverse("contract-reviews")
    due = ContractReview.objects.filter(status=ContractReview.Status.SCHEDULED, organisation__account_manager=user) \
        .select_related("organisation").order_by("due_on", "pk")
    if count := due.count():
        tasks.append(Task(f"{_plural(count, 'contract review is', 'contract reviews are')} to hold", page,
                          "See the reviews", by_due_date(due.first().due_on, today, warn_days=14),
                          [Item(str(r.organisation), reverse("contract-review", args=[r.organisation_id, r.pk]),
                                f"due {r.due_on:%-d %B %Y}") for r in due[:SHOWN]]))
    overdue = Action.objects.filter(owner=user, done_on__isnull=True, due_on__lt=today) \
        .select_related("organisation").order_by("due_on", "pk")
    if count := overdue.count():
        tasks.append(Task(f"{_plural(count, 'action of yours is', 'actions of yours are')} overdue", page,
                          "See your actions", OVERDUE,
                          [Item(a.description, reverse("provider-record", args=[a.organisation_id]) + "#actions",
                                f"{a.organisation}, due {a.due_on:%-d %B %Y}") for a in overdue[:SHOWN]]))
    return tasks


def _alliances_to_settle() -> list[Task]:
    ended = AlliancePeriod.objects.filter(settled_at__isnull=True, ends_on__lt=clock.today()) \
        .select_related("contract").order_by("ends_on", "pk")
    if not (count := ended.count()):
        return []
    items = [Item(str(p), reverse("alliance-settle", args=[p.contract_id, p.pk]), f"ended {p.ends_on:%-d %B %Y}")
             for p in ended[:SHOWN]]
    return [Task(f"{_plural(count, 'alliance period has', 'alliance periods have')} ended and can be settled",
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
            tasks.append(Task(f"{_plural(count, 'pair of registrations looks', 'pairs of registrations look')} like "
                              "the same carer", reverse("carer-duplicates"), "Check and merge or dismiss them",
                              by_waiting(since, today, expected_days=EXPECTED_DAYS["duplicate carer"])
                              if since else TO_DO))
    waiting = visible(Carer.objects.filter(assessed_on__isnull=True, merged_into__isnull=True, left_on__isnull=True),
                      user).order_by("registered_on", "pk")
    if count := waiting.count():
        items = [Item(c.reference, reverse("carer", args=[c.pk]), f"registered {_days((today - c.registered_on).days)}"
                      " ago") for c in waiting[:SHOWN]]
        tasks.append(Task(f"{_plural(count, 'carer is', 'carers are')} waiting for their needs to be assessed",
                          f"{reverse('carers')}?status=not_assessed&sort=registered", "See them, longest waiting first",
                          by_waiting(waiting[0].registered_on, today, expected_days=EXPECTED_DAYS["carer assessment"]),
                          items))
    return tasks


def _quality() -> list[Task]:
    today, tasks = clock.today(), _incidents_to_triage()
    called = (FocussedInspectionRequest.objects.filter(closed_on__isnull=True).select_related("location", "assessor")
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
                urgency = by_waiting(found.first().raised_on, today, expected_days=EXPECTED_DAYS["inspection"])
            tasks.append(Task(_plural(count, *title), f"{reverse('inspection-list')}?kind={kind}",
                              "See why, and give them to assessors", urgency,
                              [Item(r.location.name, reverse("inspection-request", args=[r.pk]),
                                    f"called for {_days((today - r.raised_on).days)} ago"
                                    + (f", given to {r.assessor}" if r.assessor_id else "")) for r in found[:SHOWN]]))
    plans = (ImprovementPlan.objects.filter(status=ImprovementPlan.Status.OPEN, due_on__lte=today + dt.timedelta(days=30))
             .select_related("location").order_by("due_on", "pk"))
    if count := plans.count():
        tasks.append(Task(f"{_plural(count, 'improvement plan is', 'improvement plans are')} due within 30 days "
                          "or overdue", reverse("public-ratings"), "See the ratings",
                          by_due_date(plans.first().due_on, today, warn_days=30),
                          [Item(p.location.name, reverse("service-quality", args=[p.location_id]),
                                f"due {p.due_on:%-d %B %Y}") for p in plans[:SHOWN]]))
    # Candidates in SQL, then the rating engine's own due date (a PQAS is due on the anniversary of the last).
    candidates = (CareLocation.objects.filter(organisation__section_approvals__status="approved")
                  .annotate(last=Max("pqas__submitted_on")).filter(last__lt=today - dt.timedelta(days=364))
                  .distinct().order_by("last"))
    overdue = [service for service in candidates if engine.anniversary(service.last) < today]
    if overdue:
        title = _plural(len(overdue), "service's PQAS is", "services' PQAS are") + " overdue"
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
    return [Task(f"{_plural(count, 'inspection is', 'inspections are')} waiting for you to make",
                 reverse("inspection-list"), "See them all",
                 by_due_date(first, today, warn_days=14),
                 [Item(r.location.name, reverse("inspection-request", args=[r.pk]),
                       f"inspect by {r.due_on:%-d %B %Y}" if r.due_on >= today else
                       f"{_days((today - r.due_on).days)} overdue") for r in given[:SHOWN]])]


def _account_management(user) -> list[Task]:
    """The providers the person manages, where something needs the council's attention."""
    tasks = _reviews_and_actions(user)
    mine = list(user.managed_organisations.values_list("pk", flat=True))
    if not mine:
        return tasks
    mine_url = f"{reverse('organisation-list')}?mine=on"
    plans = (ImprovementPlan.objects.filter(location__organisation_id__in=mine, status=ImprovementPlan.Status.OPEN)
             .select_related("location__organisation").order_by("due_on", "pk"))
    if count := plans.count():
        tasks.append(Task(f"{_plural(count, 'service you manage has', 'services you manage have')} an open "
                          "improvement plan", mine_url, "See your providers",
                          by_due_date(plans.first().due_on, clock.today(), warn_days=30),
                          [Item(f"{p.location.name}, {p.location.organisation}",
                                reverse("service-quality", args=[p.location_id]), f"due {p.due_on:%-d %B %Y}")
                           for p in plans[:SHOWN]]))
    called = (FocussedInspectionRequest.objects.filter(location__organisation_id__in=mine, closed_on__isnull=True)
              .select_related("location__organisation").order_by("raised_on", "pk"))
    if count := called.count():
        tasks.append(Task(f"{_plural(count, 'service you manage has', 'services you manage have')} an inspection "
                          "called for", mine_url, "See your providers",
                          by_waiting(called.first().raised_on, clock.today(),
                                     expected_days=EXPECTED_DAYS["inspection"]),
                          [Item(f"{r.location.name}, {r.location.organisation}",
                                reverse("service-quality", args=[r.location_id]), "; ".join(r.reasons))
                           for r in called[:SHOWN]]))
    return tasks or [Task(f"Nothing needs you for the {_plural(len(mine), 'provider', 'providers')} you manage",
                          mine_url, "See them")]


# --- a provider ----------------------------------------------------------------------------------

def _provider(user) -> list[Task]:
    organisation, today, now, tasks = user.organisation, clock.today(), clock.now(), []
    open_now = (Invitation.objects.filter(organisation=organisation, tender__status=Tender.Status.OPEN,
                                          tender__closes_at__gt=now)
                .select_related("tender__requirement__service_type", "tender__requirement__area")
                .order_by("tender__closes_at"))
    if count := open_now.count():
        soonest = open_now.first().tender.closes_at
        tasks.append(Task(f"{_plural(count, 'care package is', 'care packages are')} open for your offer",
                          reverse("opportunities"), "See opportunities",
                          SOON if soonest - now <= dt.timedelta(hours=24) else TO_DO,
                          [Item(f"{i.tender.requirement.reference}: {i.tender.requirement.service_type}, "
                                f"{i.tender.requirement.area}", reverse("opportunity", args=[i.tender_id]),
                                f"closes {clock.local(i.tender.closes_at):%-d %B at %H:%M}") for i in open_now[:SHOWN]]))
    queries = PaymentQuery.objects.filter(status=PaymentQuery.Status.OPEN, visit__organisation=organisation)
    if count := queries.count():
        since = clock.local(queries.order_by("visit__planned_start").values_list("visit__planned_start", flat=True)
                            .first()).date()
        tasks.append(Task(f"{_plural(count, 'payment query is', 'payment queries are')} waiting for your answer",
                          f"{reverse('payment-queries')}?status=open", "Answer them",
                          by_waiting(since, today, expected_days=EXPECTED_DAYS["query answer"])))
    expiring = (ComplianceDocument.objects.filter(organisation=organisation, expires_on__isnull=False,
                                                  expires_on__lte=today + dt.timedelta(days=DOCUMENTS_EXPIRING_DAYS))
                .select_related("document_type").order_by("expires_on"))
    if count := expiring.count():
        tasks.append(Task(f"{_plural(count, 'document expires', 'documents expire')} within "
                          f"{DOCUMENTS_EXPIRING_DAYS} days or has expired", reverse("enrolment-documents"),
                          "Upload new ones", by_due_date(expiring.first().expires_on, today,
                                                         warn_days=DOCUMENTS_EXPIRING_DAYS),
                          [Item(str(d.document_type), note=(f"expired {d.expires_on:%-d %B %Y}" if d.expires_on < today
                                                            else f"expires {d.expires_on:%-d %B %Y}"))
                           for d in expiring[:SHOWN]]))
    late = Invoice.objects.filter(organisation=organisation, status=Invoice.Status.RECEIVED, due_on__lt=today)
    if count := late.count():
        tasks.append(Task(f"{_plural(count, 'invoice is', 'invoices are')} late: past the 28 days the council has "
                          "to pay", f"{reverse('invoice-list')}?status=received&sort=due", "See your unpaid invoices", OVERDUE,
                          [Item(i.reference, reverse("invoice", args=[i.pk]),
                                f"due {i.due_on:%-d %B %Y}") for i in late.order_by("due_on")[:SHOWN]]))
    return tasks
