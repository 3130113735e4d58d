"""The market at a glance: each chart's figures, counted in the database for the filters chosen.

Every chart is a ``Chart``: a title, a sentence saying what it shows and which filters apply,
its table (headings and rows: what the page shows beside the chart and what its CSV holds) and
the records its Vega-Lite specification draws. Nothing here names a citizen: the figures are
counts, hours and money.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth

from caremarket.core import clock
from caremarket.core.money import to_pounds
from caremarket.framework.models import SizeClassRecord
from caremarket.framework.sizes import Size
from caremarket.geography.models import Area
from caremarket.govuk import charts
from caremarket.organisations.models import CareLocation
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import PaymentLine
from caremarket.periods.calendar import financial_year_bounds
from caremarket.periods.models import PaymentPeriod
from caremarket.quality.models import QualityRating
from caremarket.quality.ratings import Rating
from caremarket.reference.models import ServiceType
from caremarket.tendering.models import CareRequirement, Tender

from .models import SpendBudget

WAITING = [CareRequirement.Status.TENDERING, CareRequirement.Status.NO_OFFERS,
           CareRequirement.Status.AWAITING_SCORES, CareRequirement.Status.READY_TO_AWARD,
           CareRequirement.Status.AWAITING_CHOICE, CareRequirement.Status.AWAITING_INSPECTION]
RATING_ORDER = [r.label for r in sorted(Rating, reverse=True)] + ["Not yet rated"]
SIZE_ORDER = [s.label for s in Size] + ["Not sized (not home support)"]
COMMISSIONED = "Home support commissioned"
MOST_OFFERS_COUNTED = 5  # tenders with more offers than this are counted together as "5 or more"


@dataclass(frozen=True)
class Filters:
    council: int  # whose market: every figure is one council's own
    year: int  # the financial year, by its starting year
    today: dt.date
    area: Area | None = None
    service_type: ServiceType | None = None

    @property
    def first_day(self) -> dt.date:
        return financial_year_bounds(self.year)[0]

    @property
    def last_day(self) -> dt.date:
        """The year's last day, or today while the year is running."""
        return min(financial_year_bounds(self.year)[1], self.today)

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The first day's start and the moment after the last day, for times (a range on the
        times themselves, not on their dates, so the database can use its indexes)."""
        return (dt.datetime.combine(self.first_day, dt.time.min, tzinfo=clock.LONDON),
                dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.LONDON))


@dataclass
class Chart:
    key: str
    title: str
    summary: str
    headings: list[str]
    rows: list[list]
    spec: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.rows


def _months(filters: Filters) -> list[dt.date]:
    months, month = [], filters.first_day
    while month <= filters.last_day:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_of(value) -> dt.date:
    return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)


def _plain(value: Decimal) -> Decimal:
    """30.50 → 30.5 and 18000.00 → 18000, whatever scale the database gave the sum."""
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def _label(month: dt.date) -> str:
    return f"{month:%b %Y}"


def _chosen(rows, filters: Filters, path: str = ""):
    """The council's rows in the area and of the service type chosen (``path`` leads to the
    requirement)."""
    rows = rows.filter(council=filters.council)
    if filters.area:
        rows = rows.filter(**{f"{path}area": filters.area})
    if filters.service_type:
        rows = rows.filter(**{f"{path}service_type": filters.service_type})
    return rows


def _packages(filters: Filters):
    return _chosen(CarePackage.objects.all(), filters, "requirement__")


def _filters_said(filters: Filters, *, area=True, service=True) -> str:
    said = []
    if area:
        said.append(f"in {filters.area}" if filters.area else "in every area")
    if service:
        said.append(f"for {filters.service_type}" if filters.service_type else "for every service type")
    return " ".join(said)


def hours_by_area(filters: Filters) -> Chart:
    on = filters.last_day
    in_place = (
        _packages(filters).filter(start_on__lte=on, weekly_hours__isnull=False)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .values("requirement__area", "requirement__service_type__name", "requirement__service_type__is_home_support")
        .annotate(hours=Sum("weekly_hours"))
    )
    hours, home_support = defaultdict(dict), Counter()
    for row in in_place:
        hours[row["requirement__area"]][row["requirement__service_type__name"]] = _plain(row["hours"])
        if row["requirement__service_type__is_home_support"]:
            home_support[row["requirement__area"]] += row["hours"]
    services = sorted({service for by_service in hours.values() for service in by_service})
    areas = [filters.area] if filters.area else list(Area.objects.order_by("name"))
    rows, data = [], []
    for area in areas:
        got = [hours[area.pk].get(service) or Decimal(0) for service in services]
        share = f"{home_support[area.pk] / area.weekly_care_hours:.0%}" if area.weekly_care_hours else ""
        rows.append([area.name, *got, _plain(sum(got, Decimal(0))), area.weekly_care_hours, share])
        data += [{"area": area.name, "series": service, "hours": value} for service, value in zip(services, got)]
        data.append({"area": area.name, "series": COMMISSIONED, "hours": Decimal(area.weekly_care_hours)})
    return Chart(
        "hours-by-area", "Care hours a week by area and service type, against the hours commissioned",
        f"Hours a week of care in place on {on:%-d %B %Y} {_filters_said(filters)}, by service type, beside "
        "the home-support hours a week the council commissions in each area (the mark on each bar).",
        ["Area", *services, "All hours in place", "Home-support hours commissioned",
         "Home support in place of commissioned"],
        rows,
        charts.stacked_bars_with_target(data, category="area", category_title="Area", value="hours",
                                        value_title="Hours a week", series="series", series_title="Service type",
                                        target=COMMISSIONED, description="Care hours a week by area and "
                                        "service type, against the hours commissioned"),
    )


def services_by_size_and_rating(filters: Filters) -> Chart:
    latest_size = (SizeClassRecord.objects.filter(organisation=OuterRef("organisation"),
                                                  effective_from__lte=filters.last_day)
                   .order_by("-effective_from", "-pk").values("size")[:1])
    current_rating = (QualityRating.objects.filter(council=filters.council, location=OuterRef("pk"), is_current=True)
                      .values("rating")[:1])
    services = CareLocation.objects.filter(registration=CareLocation.Registration.REGISTERED)
    if filters.area:
        services = services.filter(area=filters.area)
    counts = (services.annotate(size=Subquery(latest_size), rating=Subquery(current_rating))
              .values("size", "rating").annotate(services=Count("pk")))
    table = defaultdict(Counter)
    for row in counts:
        size = Size(row["size"]).label if row["size"] in set(Size) else SIZE_ORDER[-1]
        rating = Rating(row["rating"]).label if row["rating"] else RATING_ORDER[-1]
        table[size][rating] += row["services"]
    sizes = [s for s in SIZE_ORDER if s in table]
    rows = [[size] + [table[size][r] for r in RATING_ORDER] + [sum(table[size].values())] for size in sizes]
    data = [{"size": size, "rating": r, "services": table[size][r]} for size in sizes for r in RATING_ORDER
            if table[size][r]]
    return Chart(
        "services-by-size-and-rating", "Services by provider size and quality rating",
        f"Registered services {_filters_said(filters, service=False)}, by the size of the provider that runs "
        "them (home support providers' council-funded hours) and their rating now.",
        ["Provider size"] + RATING_ORDER + ["All services"], rows,
        charts.stacked_bars(data, category="size", category_title="Provider size", value="services",
                            value_title="Services", series="rating", series_title="Rating",
                            series_order=RATING_ORDER, colours=charts.RATING_COLOURS,
                            description="Services by provider size and rating"),
    )


def hand_backs_and_exits(filters: Filters) -> Chart:
    months = _months(filters)
    packages = _packages(filters)
    hand_backs = Counter({
        _month_of(r["month"]): r["n"] for r in
        PackageChange.objects.filter(package__in=packages, kind=PackageChange.Kind.END,
                                     end_cause=PackageChange.EndCause.HANDED_BACK,
                                     status=PackageChange.Status.APPROVED,
                                     effective_from__range=(filters.first_day, filters.last_day))
        .annotate(month=TruncMonth("effective_from")).values("month").annotate(n=Count("pk"))
    })
    started = Counter({
        _month_of(r["month"]): r["n"] for r in
        packages.filter(start_on__range=(filters.first_day, filters.last_day))
        .annotate(month=TruncMonth("start_on")).values("month").annotate(n=Count("pk"))
    })
    # A provider leaves the market in the month its last package ended, when it holds none now.
    last_ended = (packages.values("organisation")
                  .annotate(in_place=Count("pk", filter=Q(end_on__isnull=True)), last=Max("end_on"))
                  .filter(in_place=0, last__range=(filters.first_day, filters.last_day)))
    exits = Counter(_month_of(r["last"]) for r in last_ended)
    rows = [[_label(m), started[m], hand_backs[m], exits[m]] for m in months]
    data = [{"month": f"{m:%Y-%m}", "series": series, "count": counts[m]}
            for m in months for series, counts in
            (("Packages started", started), ("Hand-backs", hand_backs), ("Providers leaving", exits))]
    return Chart(
        "hand-backs-and-exits", "Packages started, hand-backs and providers leaving, by month",
        f"Each month of the year {_filters_said(filters)}: packages started, packages handed back by their "
        "provider, and providers whose last package ended that month.",
        ["Month", "Packages started", "Hand-backs", "Providers leaving"], rows,
        charts.lines(data, month="month", value="count", value_title="Number", series="series",
                     series_title="", description="Packages started, hand-backs and providers leaving by month"),
    )


def time_to_award_and_start(filters: Filters) -> Chart:
    months = _months(filters)
    awarded = (_packages(filters)
               .filter(awarded_at__gte=filters.moments[0], awarded_at__lt=filters.moments[1])
               .values_list("awarded_at", "requirement__raised_at", "start_on"))
    to_award, to_start = defaultdict(list), defaultdict(list)
    for awarded_at, raised_at, start_on in awarded.iterator(chunk_size=5000):
        awarded_on = clock.local(awarded_at).date()
        to_award[awarded_on.replace(day=1)].append((awarded_at - raised_at).total_seconds() / 86400)
        to_start[awarded_on.replace(day=1)].append((start_on - awarded_on).days)

    def median(values):
        return Decimal(str(statistics.median(values))).quantize(Decimal("0.1")) if values else ""

    rows, data = [], []
    for month in months:
        award, start = median(to_award[month]), median(to_start[month])
        rows.append([_label(month), len(to_award[month]), award, start])
        data += [{"month": f"{month:%Y-%m}", "series": series, "days": days}
                 for series, days in (("Requirement to award", award), ("Award to start", start)) if days != ""]
    return Chart(
        "time-to-award-and-start", "Days from requirement to award, and from award to start",
        f"For the packages awarded each month {_filters_said(filters)}: the median days from the requirement "
        "being raised to the award, and from the award to the care starting.",
        ["Month awarded", "Packages awarded", "Median days to award", "Median days from award to start"], rows,
        charts.lines(data, month="month", value="days", value_title="Median days", series="series",
                     series_title="", description="Median days to award and to start, by month"),
    )


def offers_per_tender(filters: Filters) -> Chart:
    tenders = _chosen(Tender.objects.filter(opens_at__gte=filters.moments[0], opens_at__lt=filters.moments[1]),
                      filters, "requirement__")
    counted = Counter(
        min(n, MOST_OFFERS_COUNTED) for n in
        tenders.annotate(n=Count("offers", filter=Q(offers__status="submitted"))).values_list("n", flat=True)
        .iterator(chunk_size=5000))
    labels = [str(n) for n in range(MOST_OFFERS_COUNTED)] + [f"{MOST_OFFERS_COUNTED} or more"]
    rows = [[label, counted[n]] for n, label in enumerate(labels)] if counted else []
    return Chart(
        "offers-per-tender", "Offers per tender",
        f"Tenders opened this year {_filters_said(filters)}, by how many offers they had.",
        ["Offers", "Tenders"], rows,
        charts.bars([{"offers": r[0], "tenders": r[1]} for r in rows], category="offers", category_title="Offers",
                    value="tenders", value_title="Tenders", description="Tenders by the number of offers"),
    )


def awards_by_rating(filters: Filters) -> Chart:
    current_rating = QualityRating.objects.filter(council=filters.council, location=OuterRef("location"),
                                                  is_current=True).values("rating")[:1]
    counts = (_packages(filters).filter(awarded_at__gte=filters.moments[0], awarded_at__lt=filters.moments[1])
              .annotate(rating=Subquery(current_rating)).values("rating").annotate(n=Count("pk")))
    found = Counter({(Rating(r["rating"]).label if r["rating"] else RATING_ORDER[-1]): r["n"] for r in counts})
    rows = [[label, found[label]] for label in RATING_ORDER if label in found]
    return Chart(
        "awards-by-rating", "Packages awarded by the service's quality rating",
        f"Packages awarded this year {_filters_said(filters)}, by the rating now of the service awarded.",
        ["Rating", "Packages awarded"], rows,
        charts.bars([{"rating": r[0], "awards": r[1]} for r in rows], category="rating", category_title="Rating",
                    value="awards", value_title="Packages awarded", description="Packages awarded by rating"),
    )


def spend_against_budget(filters: Filters) -> Chart:
    periods = list(PaymentPeriod.objects.filter(council=filters.council, financial_year__start_year=filters.year)
                   .order_by("number"))
    lines = PaymentLine.objects.filter(run__period__in=periods, run__status="posted")
    if filters.area or filters.service_type:
        lines = lines.filter(package__in=_packages(filters))
    spent = {r["run__period"]: r["pence"] for r in
             lines.values("run__period").annotate(pence=Sum("amount_pence"))}
    budgets = {b.period_id: b.amount_pence for b in SpendBudget.objects.filter(period__in=periods)}
    show_budget = not (filters.area or filters.service_type)  # the budget is the council's, not an area's
    rows, data = [], []
    for period in periods:
        if period.start_date > filters.last_day:
            break
        paid, budget = spent.get(period.pk, 0), budgets.get(period.pk) if show_budget else None
        rows.append([f"Period {period.number}", to_pounds(paid), to_pounds(budget) if budget is not None else ""])
        data.append({"period": f"P{period.number}", "series": "Paid", "pounds": to_pounds(paid)})
        if budget is not None:
            data.append({"period": f"P{period.number}", "series": "Budget", "pounds": to_pounds(budget)})
    said = _filters_said(filters) if not show_budget else "for all care"
    return Chart(
        "spend-against-budget", "Spend against budget by payment period",
        f"What each posted payment run paid {said}" + (", beside the period's budget." if show_budget else
                                                      " (budgets are set for all care, so none is shown)."),
        ["Payment period", "Paid (£)", "Budget (£)"], rows,
        charts.bars_and_line(data, category="period", category_title="Payment period", value="pounds",
                             value_title="Pounds", bar_series="Paid", line_series="Budget", series="series",
                             description="Spend against budget by payment period"),
    )


def waiting_requirements(filters: Filters) -> Chart:
    waiting = _chosen(CareRequirement.objects.filter(status__in=WAITING), filters)
    labels = dict(CareRequirement.Status.choices)
    counts = waiting.values(area_name=F("area__name"), state=F("status")).annotate(n=Count("pk"))
    table = defaultdict(Counter)
    for row in counts:
        table[row["area_name"]][row["state"]] += row["n"]
    rows = [[area] + [table[area][s] for s in WAITING] + [sum(table[area].values())] for area in sorted(table)]
    data = [{"area": area, "state": labels[s], "requirements": table[area][s]}
            for area in sorted(table) for s in WAITING if table[area][s]]
    return Chart(
        "waiting-requirements", "Requirements waiting and unmet, by area",
        f"Care requirements not yet placed today {_filters_said(filters)}, by where they stand. "
        "No offers means the tender closed unmet and the brokerage team has it.",
        ["Area"] + [labels[s] for s in WAITING] + ["All waiting"], rows,
        charts.stacked_bars(data, category="area", category_title="Area", value="requirements",
                            value_title="Requirements", series="state", series_title="Where it stands",
                            series_order=[labels[s] for s in WAITING],
                            description="Requirements waiting by area and where they stand"),
    )


CHARTS = {
    "hours-by-area": hours_by_area,
    "services-by-size-and-rating": services_by_size_and_rating,
    "hand-backs-and-exits": hand_backs_and_exits,
    "time-to-award-and-start": time_to_award_and_start,
    "offers-per-tender": offers_per_tender,
    "awards-by-rating": awards_by_rating,
    "spend-against-budget": spend_against_budget,
    "waiting-requirements": waiting_requirements,
}


def dashboard(filters: Filters) -> list[Chart]:
    return [chart(filters) for chart in CHARTS.values()]
