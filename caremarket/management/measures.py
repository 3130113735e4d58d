"""A provider's performance measures (``performance``) for recent months, from its call
monitoring visits and its packages."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from caremarket.accounts.permissions import council_acted_for
from caremarket.core import clock
from caremarket.organisations.councils import first_council
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import Visit

from . import performance
from .models import PerformanceTarget


def targets_council(user) -> int:
    """Whose targets: a council person's own council's; a provider, working for several councils,
    sees its work for them all against the install's first council's."""
    return council_acted_for(user) or first_council()


def targets_for(organisation, council_id: int) -> dict[str, Decimal]:
    """The council's targets: its default for each measure, and its own for this provider."""
    theirs = PerformanceTarget.objects.filter(council=council_id)
    found = {t.measure: t.value for t in theirs.filter(organisation__isnull=True)}
    found.update({t.measure: t.value for t in theirs.filter(organisation=organisation)})
    return found


def _minutes(start, end) -> int:
    return int((end - start).total_seconds() // 60)


def for_month(organisation, first: dt.date, last: dt.date, targets, council_id: int | None = None
              ) -> list[performance.Result]:
    """The month's measures of the provider's work (for one council, when ``council_id`` is said)."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=clock.LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=clock.LONDON)
    ours = {"council": council_id} if council_id else {}
    visits = [performance.VisitFacts(_minutes(ps, pe), None if a_s is None else _minutes(ps, a_s),
                                     None if a_s is None or a_e is None else _minutes(a_s, a_e))
              for ps, pe, a_s, a_e in Visit.objects.filter(organisation=organisation, planned_start__gte=start,
                                                           planned_start__lt=end, **ours)
              .values_list("planned_start", "planned_end", "actual_start", "actual_end").iterator(chunk_size=5000)]
    awarded = [max((start_on - clock.local(at).date()).days, 0) for at, start_on in CarePackage.objects.filter(
        organisation=organisation, awarded_at__gte=start, awarded_at__lt=end, **ours).values_list(
        "awarded_at", "start_on")]
    hand_backs = PackageChange.objects.filter(
        package__organisation=organisation, end_cause=PackageChange.EndCause.HANDED_BACK, **ours,
        status=PackageChange.Status.APPROVED, effective_from__range=(first, last)).count()
    return performance.month(visits, awarded, hand_backs, targets)


def recent_months(organisation, user, count: int = 6) -> list[tuple[dt.date, list[performance.Result]]]:
    """The last ``count`` months to this one, newest last: (its first day, results), as ``user``
    sees them: a council person, the provider's work for their council alone."""
    today, targets, found = clock.today(), targets_for(organisation, targets_council(user)), []
    year, month = today.year, today.month
    for _ in range(count):
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        found.append((first, for_month(organisation, first, last, targets, council_acted_for(user))))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]
