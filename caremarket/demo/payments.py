"""The demo market's payments: the last finished period's call-monitoring visits for the demo
home-support provider (with a few rows wrong and some visits queried, a dozen of them settled), its invoice received
two days after the period, the period's payment run posted before its payment date, other
providers' invoices received after it (waiting to be paid), and a package change waiting for
finance to approve.

Everything goes through the same services the pages use, at the moment it would have happened
(the clock is set back for each step), so invoices, due dates and remittances read true.
"""

from __future__ import annotations

import datetime as dt
import random

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.packages.models import CarePackage
from caremarket.packages.services import request_change
from caremarket.payments import ingest, queries, runs
from caremarket.payments.models import PaymentQuery
from caremarket.periods.models import PaymentPeriod

from .names import demo_username

VISIT_MINUTES = (30, 45, 60)
FIRST_VISIT_HOUR = 7
SETTLED_QUERIES = 12
LATE_SENDERS = 4  # other providers whose invoices arrive after the run: finance's work to do


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.LONDON)


def _time(day: str, minutes: int | None) -> str:
    return "" if minutes is None else f"{day} {minutes // 60:02d}:{minutes % 60:02d}"


def visit_rows(packages, period: PaymentPeriod, r: random.Random) -> list[dict]:
    """Each package's visits for the period as a call-monitoring file has them: its weekly hours
    in visits of 30 to 60 minutes; about 1 in 30 missed, cut short or attended by fewer carers.
    Times are written from minutes after midnight: every visit falls between 7am and 9pm."""
    rows = []
    days = [period.start_date + dt.timedelta(days=n) for n in range((period.end_date - period.start_date).days + 1)]
    for package in packages:
        length = r.choice(VISIT_MINUTES)
        a_day = max(1, round(float(package.weekly_hours or 7) * 60 / length / 7))
        for day in days:
            on = f"{day:%Y-%m-%d}"
            for n in range(min(a_day, 4)):
                start = (FIRST_VISIT_HOUR + n * 4) * 60 + r.choice((0, 15, 30))
                end = start + length
                roll, carers = r.random(), package.carers_per_visit
                actual_start, actual_end = start + r.randint(-3, 4), end
                if roll < 0.01:
                    actual_start = actual_end = None  # missed
                elif roll < 0.025:
                    actual_end = actual_start + length // 2  # cut short
                elif roll < 0.03 and carers > 1:
                    carers -= 1
                rows.append({"visit_id": f"{package.reference}-{day:%m%d}-{n}", "package": package.reference,
                             "planned_start": _time(on, start), "planned_end": _time(on, end),
                             "actual_start": _time(on, actual_start), "actual_end": _time(on, actual_end),
                             "carers": str(carers)})
    return rows


class DemoPayments:
    def __init__(self, market):
        self.market, self.random = market, random.Random(market.seed + 5)

    def build(self) -> None:

        period = (PaymentPeriod.objects.filter(end_date__lt=self.market.today).select_related("financial_year")
                  .order_by("-end_date").first())
        if period is None:
            return  # the year's first period has not ended: nothing is paid yet
        admin = User.objects.get(username=demo_username("provider.admin"))
        finance = User.objects.get(username=demo_username("finance"))
        packages = list(CarePackage.objects.filter(organisation=admin.organisation, hourly_rate_pence__gt=0,
                                                   requirement__service_type__setting="home",
                                                   start_on__lte=period.start_date).order_by("pk"))
        rows = visit_rows(packages, period, self.random)
        rows += [dict(rows[0]), {**rows[1], "visit_id": "X-1", "package": "CP-999999"},
                 {**rows[2], "visit_id": "X-2", "planned_start": "31/02/2026 09:00"}]  # wrong, to show the report
        with clock.frozen(_at(period.end_date + dt.timedelta(days=2), 10)):
            ingest.store_visits(admin.organisation, period, rows, admin, keep_valid_rows=True,
                                file_name=f"call-monitoring-{runs.run_label(period).replace('/', '-')}.csv")
            ingest.submit_invoice(ingest.invoice_for(admin.organisation, period), admin)
            found = list(PaymentQuery.objects.filter(visit__organisation=admin.organisation).order_by("pk"))
            for query in found[:SETTLED_QUERIES]:  # some answered and settled before the run, the rest open
                queries.answer(query, admin, text="The carer stayed as planned; the phone lost signal")
                queries.settle(query, finance, accept=True, resolution="Confirmed with the citizen")
        with clock.frozen(_at(period.payment_date - dt.timedelta(days=2), 15)):
            runs.post_run(runs.run_period(period, finance), finance)
        self._invoices_after_the_run(period, admin.organisation, finance)
        with clock.frozen(_at(period.payment_date - dt.timedelta(days=2), 15)):
            home = CarePackage.objects.filter(requirement__service_type__code="residential-care",
                                              end_on__isnull=True).order_by("pk").first()
            if home:
                request_change(home, self.market.broker, kind="suspension",
                                       effective_from=period.payment_date - dt.timedelta(days=5),
                                       effective_to=period.payment_date + dt.timedelta(days=3),
                                       reason="In hospital after a fall; the room is kept")

    def _invoices_after_the_run(self, period, already_paid, finance) -> None:
        """Other home-support providers' visits for the period, from the council's own
        call-monitoring feed, arriving after the run was posted: received and on the 28-day
        clock, to be paid in the next run."""
        home_support = (CarePackage.objects.filter(hourly_rate_pence__gt=0, requirement__service_type__setting="home",
                                                   start_on__lte=period.start_date)
                        .exclude(organisation=already_paid).select_related("organisation").order_by("pk"))
        senders = sorted({p.organisation for p in home_support}, key=lambda o: o.pk)[:LATE_SENDERS]
        for hour, organisation in enumerate(senders, start=16):
            packages = [p for p in home_support if p.organisation_id == organisation.pk]
            with clock.frozen(_at(period.payment_date - dt.timedelta(days=2), hour)):
                ingest.store_visits(organisation, period, visit_rows(packages, period, self.random), finance,
                                    keep_valid_rows=True, source="council_feed")
                ingest.submit_invoice(ingest.invoice_for(organisation, period), finance)
