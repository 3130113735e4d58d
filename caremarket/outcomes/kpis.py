"""The consortium's key performance indicators (the carers consortium's Box 5), counted in the
database from the register and the activity records.

Each KPI is defined once, as the records it counts; the figure is how many there are, and
the drill-down lists the same records. The definitions:

- A carer **counts** at a period's end when registered by then, not merged into another
  registration, not held back as a likely duplicate of another (``carers.held_back``: until a
  person merges or dismisses the pair), and not left the register by then. A carer is **assessed** when their needs
  assessment is on or before the period's end, and **young** when under 18 on that day.
- Register KPIs (1 to 7) are of carers who count at the period's end; activity KPIs (8 to 10)
  of what happened within the period; KPI 11 of GP practices identified by the period's end.
- A consortium's figure for a KPI that counts distinct groups or practices counts each once,
  however many members record it; so it can be less than its members' figures added up.

There is no KPI 6: the consortium's numbering has none.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.db.models import Count, Q, QuerySet

from caremarket.periods.calendar import financial_year_bounds, financial_year_label, financial_year_of

from .models import Carer, CarerActivity

OVER_HOURS = 50


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


def year_periods(start_year: int) -> dict[str, list[Period]]:
    """A financial year's months, quarters and the year itself."""
    first, last = financial_year_bounds(start_year)
    months = []
    for i in range(12):
        year, month = (first.year, first.month + i) if first.month + i <= 12 else (first.year + 1, first.month + i - 12)
        months.append(Period(dt.date(year, month, 1).strftime("%B %Y"), dt.date(year, month, 1),
                             dt.date(year, month, calendar.monthrange(year, month)[1])))
    quarters = [Period(f"Quarter {q + 1}", months[3 * q].start, months[3 * q + 2].end) for q in range(4)]
    return {"month": months, "quarter": quarters, "year": [Period(financial_year_label(start_year), first, last)]}


def quarter_of(day: dt.date) -> Period:
    """The financial-year quarter a day falls in."""
    return next(q for q in year_periods(financial_year_of(day))["quarter"] if q.start <= day <= q.end)


def eighteen_years_before(day: dt.date) -> dt.date:
    """The latest birthday of someone 18 on ``day`` (29 February counts from 28 February)."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:
        return dt.date(day.year - 18, 2, 28)


def counting(end: dt.date) -> Q:
    return (Q(registered_on__lte=end, merged_into__isnull=True, held_back_for__isnull=True)
            & (Q(left_on__isnull=True) | Q(left_on__gt=end)))


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    definition: str
    of: str  # "carers" or "activity"
    where: Callable[[Period], Q]  # the records it counts, besides ``counting`` for carers
    distinct: str = ""  # count distinct values of this field, not records

    def records(self, period: Period, members: list[int]) -> QuerySet:
        """The records behind the figure (the drill-down)."""
        if self.of == "carers":
            return Carer.objects.filter(counting(period.end), self.where(period), registered_by__in=members)
        return CarerActivity.objects.filter(self.where(period), member__in=members)


def _assessed(p: Period) -> Q:
    return Q(assessed_on__lte=p.end)


def _heavy(p: Period) -> Q:
    return Q(hours_a_week__gt=OVER_HOURS)


def _within(kind) -> Callable[[Period], Q]:
    return lambda p: Q(kind=kind, happened_on__gte=p.start, happened_on__lte=p.end)


KPIS = (
    Kpi("1", "Active carers registered and assessed", "Carers of all ages on the register at the period's end whose "
        "needs were assessed by then", "carers", _assessed),
    Kpi("1a", "Active young carers registered and assessed", "Of KPI 1, carers under 18 at the period's end",
        "carers", lambda p: _assessed(p) & Q(born_on__gt=eighteen_years_before(p.end))),
    Kpi("2", "Carers giving over 50 hours of care a week", "Carers on the register at the period's end who give "
        f"more than {OVER_HOURS} hours of unpaid care a week", "carers", _heavy),
    Kpi("3", "… and living alone with the person cared for", "Of KPI 2, carers living alone with the person they "
        "care for", "carers", lambda p: _heavy(p) & Q(lives_alone_with_cared_for=True)),
    Kpi("4", "… and with significant health problems of their own", "Of KPI 2, carers who themselves have "
        "significant health problems or a disability", "carers", lambda p: _heavy(p) & Q(has_own_health_problems=True)),
    Kpi("5", "… and caring for someone who cannot or will not co-operate", "Of KPI 2, carers whose person cared for "
        "cannot or will not co-operate with care (through learning disability, mental health problems, dementia)",
        "carers", lambda p: _heavy(p) & Q(cared_for_will_not_cooperate=True)),
    Kpi("7", "Carers registered for emergency response", "Carers on the register at the period's end who are "
        "registered for emergency response", "carers", lambda p: Q(emergency_response=True)),
    Kpi("8", "Emergency responses", "Emergency responses made within the period", "activity",
        _within(CarerActivity.Kind.EMERGENCY_RESPONSE)),
    Kpi("9", "Planned (sitting) responses", "Planned (sitting) responses made within the period", "activity",
        _within(CarerActivity.Kind.PLANNED_RESPONSE)),
    Kpi("10", "Support networks supported", "Support networks for carers with a record of support within the "
        "period, each counted once", "activity", _within(CarerActivity.Kind.SUPPORT_NETWORK), distinct="name"),
    Kpi("11", "GP practices identifying a carers' champion", "GP practices identifying a carers' champion by the "
        "period's end, each counted once", "activity",
        lambda p: Q(kind=CarerActivity.Kind.GP_CHAMPION, happened_on__lte=p.end), distinct="name"),
)
BY_CODE = {kpi.code: kpi for kpi in KPIS}


def by_period(periods: list[Period], members: list[int], today: dt.date) -> list[dict | None]:
    """``figures`` for each period, None for one not yet begun."""
    return [figures(period, members) if period.start <= today else None for period in periods]


def figures(period: Period, members: list[int]) -> dict[str, dict]:
    """Each KPI's figure for the period: ``{code: {"all": n, member_id: n, …}}``, the ``"all"``
    figure for the members together. Two queries for the carers, two for the activity."""
    found: dict[str, dict] = {kpi.code: dict.fromkeys(members, 0) for kpi in KPIS}
    for of, model, member_field in (("carers", Carer, "registered_by"), ("activity", CarerActivity, "member")):
        chosen = [kpi for kpi in KPIS if of == kpi.of]
        counts = {f"kpi_{kpi.code}": Count(kpi.distinct or "pk", filter=kpi.where(period), distinct=bool(kpi.distinct))
                  for kpi in chosen}
        rows = model.objects.filter(**{f"{member_field}__in": members})
        if of == "carers":
            rows = rows.filter(counting(period.end))
        for row in rows.values(member_field).annotate(**counts).order_by():
            for kpi in chosen:
                found[kpi.code][row[member_field]] = row[f"kpi_{kpi.code}"]
        together = rows.aggregate(**counts)
        for kpi in chosen:
            found[kpi.code]["all"] = together[f"kpi_{kpi.code}"]
    return found
