"""OCDS release packages of the micro-tenders, read from the database a block at a time and
written as a stream, so a year of tenders never sits in memory at once.

``release_package(since, until)`` yields the JSON text of one release package holding every
release dated from ``since`` to ``until`` (inclusive) that may be published. The same function
serves the yearly download and the API feed; the feed pages through processes with
``offset`` and ``limit``.

Each council publishes its own: a window names the council whose micro-tenders it holds (on
an install that runs one council, that council), under the council's own prefix and name.

A release is published only once ``settings.OPEN_DATA_K`` processes share its facts
(``ocds.may_publish``). Published dates are months, so the processes that could share a
release's facts are those with a release in the same months: the count is made over the
window widened to whole months, in a first pass that keeps only how many share each set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Q

from caremarket.core import clock
from caremarket.fees import services as fees
from caremarket.framework.councils import frameworks_of
from caremarket.geography.models import Area
from caremarket.organisations.councils import CouncilSettings, settings_of, the_only_council
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.periods.calendar import financial_year_of
from caremarket.reference.models import ServiceType
from caremarket.tendering.models import CareRequirement, Tender

from . import ocds

BLOCK = 1000  # processes read together: a handful of queries a block


@dataclass(frozen=True)
class Window:
    since: dt.date
    until: dt.date
    council_id: int | None = None  # None: the install's only council

    def council(self) -> int:
        return self.council_id or the_only_council()

    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.since, dt.time.min, tzinfo=clock.LONDON)

    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=clock.LONDON)

    def holds(self, release: ocds.Release) -> bool:
        return self.start() <= release.at < self.end()

    def whole_months(self) -> Window:
        last = (self.until.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return Window(self.since.replace(day=1), last, self.council_id)


def _party_id(prefix: str, organisation_pk: int) -> str:
    """An organisation's party id: the council's prefix and its record number (stable across releases)."""
    return f"{prefix}-org-{organisation_pk}"


def _address(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def council_settings(council_id: int) -> CouncilSettings:
    return settings_of(Organisation.objects.get(pk=council_id))


def publication(council_id: int) -> ocds.Publication:
    """The council's publication: its prefix, itself as the buyer, its framework."""
    council = Organisation.objects.get(pk=council_id)
    own = settings_of(council)
    framework = frameworks_of(council_id).order_by("-starts_on").first()
    identifier = (settings.COUNCIL_ID_SCHEME, own.register_id) if own.register_id else None
    return ocds.Publication(
        ocid_prefix=own.ocid_prefix,
        buyer=ocds.Party(_party_id(own.ocid_prefix, council.pk), council.name, street_address=_address(council.address),
                         postcode=council.postcode, identifier=identifier),
        framework_ocid=f"{own.ocid_prefix}-framework-{framework.pk if framework else 0}",
        framework_name=framework.name if framework else "The council's framework",
    )


def processes_touched(window: Window):
    """The requirements with a tender that have anything dated in the window: a round opened
    or closed, an award, or a change decided."""
    start, end = window.start(), window.end()
    tendered = Tender.objects.filter(Q(opens_at__gte=start, opens_at__lt=end)
                                     | Q(closed_at__gte=start, closed_at__lt=end)).values("requirement_id")
    awarded = CarePackage.objects.filter(awarded_at__gte=start, awarded_at__lt=end).values("requirement_id")
    changed = PackageChange.objects.filter(status=PackageChange.Status.APPROVED, decided_at__gte=start,
                                           decided_at__lt=end).values("package__requirement_id")
    return (CareRequirement.objects.filter(council=window.council(), tenders__isnull=False)
            .filter(Q(pk__in=tendered) | Q(pk__in=awarded) | Q(pk__in=changed))
            .distinct().order_by("pk").values_list("pk", flat=True))


def _processes(ids: list[int], services: dict, areas: dict, fees_of: dict, prefix: str) -> list[ocds.Process]:
    """The processes of a block of requirements, in four queries whatever the block's size."""
    requirements = CareRequirement.objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "reference", "service_type_id", "area_id", "weekly_hours", "status", "start_on",
        "citizen__date_of_birth")
    rounds = defaultdict(list)
    for row in (Tender.objects.filter(requirement_id__in=ids).order_by("requirement_id", "round")
                .annotate(offers_made=Count("offers", filter=Q(offers__status="submitted")))
                .values_list("requirement_id", "round", "opens_at", "closes_at", "status", "closed_at",
                             "offers_made")):
        rounds[row[0]].append(ocds.Round(*row[1:]))
    packages = {}
    for row in (CarePackage.objects.filter(requirement_id__in=ids).values_list(
            "requirement_id", "pk", "reference", "awarded_at", "organisation__pk", "organisation__name",
            "organisation__companies_house_number", "organisation__cqc_provider_id", "organisation__address",
            "organisation__postcode", "weekly_price_pence", "hourly_rate_pence", "weekly_hours", "start_on",
            "end_on")):
        supplier = ocds.Party(_party_id(prefix, row[4]), row[5], row[6], row[7], _address(row[8]), row[9])
        packages[row[0]] = (row[1], ocds.Award(row[2], row[3], supplier, *row[10:]))
    kinds = dict(PackageChange.Kind.choices)
    causes = dict(PackageChange.EndCause.choices)
    changes = defaultdict(list)
    for row in (PackageChange.objects.filter(package__requirement_id__in=ids, status=PackageChange.Status.APPROVED)
                .order_by("decided_at", "pk").values_list(
                    "package_id", "pk", "kind", "end_cause", "decided_at", "effective_from", "weekly_price_pence",
                    "hourly_rate_pence", "weekly_hours")):
        package_id, pk, kind, cause, decided_at, effective_from, *prices = row
        changes[package_id].append(ocds.Change(pk, kind, ocds.change_label(kinds[kind], cause, causes.get(cause, "")),
                                               decided_at, effective_from, cause, *prices))
    found = []
    for pk, reference, service_id, area_id, hours, status, start_on, born in requirements:
        package_pk, award = packages.get(pk, (None, None))
        service, bed_based = services[service_id]
        found.append(ocds.Process(reference, service.name, bed_based, areas[area_id], hours, status, rounds[pk], award,
                                  changes.get(package_pk, []), fees_of(service, born, start_on, hours)))
    return found


def _fee_finder(council_id: int):
    """The council's fixed weekly fee for what a requirement asked (the tender's estimated
    value), with each year's fee schedule read once."""
    schedules: dict[int, object] = {}

    def fee(service, born: dt.date, on: dt.date, hours) -> int | None:
        year = financial_year_of(on)
        if year not in schedules:
            schedules[year] = fees.schedule_rules(on, council_id)
        try:
            found = schedules[year] and fees.fixed_fee(service, born, on, hours, rules=schedules[year])
        except ValidationError:  # hours the schedule cannot price: no estimate
            return None
        return found.weekly_pence if found else None
    return fee


def _all_releases(window: Window, *, offset: int = 0, limit: int | None = None,
                  progress=None) -> Iterator[list[ocds.Release]]:
    """Each process's releases (all of them), block by block, for the processes the window touches."""
    services = {s.pk: (s, s.setting == ServiceType.Setting.BED_BASED) for s in ServiceType.objects.all()}
    areas = dict(Area.objects.values_list("pk", "name"))
    chosen, fee_of = publication(window.council()), _fee_finder(window.council())
    ids = list(processes_touched(window))
    ids = ids[offset:offset + limit] if limit is not None else ids[offset:]
    for start in range(0, len(ids), BLOCK):
        for process in _processes(ids[start:start + BLOCK], services, areas, fee_of, chosen.ocid_prefix):
            yield ocds.releases(chosen, process)
        if progress:
            progress(min(start + BLOCK, len(ids)), len(ids))


def sharing(window: Window) -> dict[str, int]:
    """How many processes share each set of published facts, among those that could share the
    window's (every process with a release in the window's months)."""
    widened = window.whole_months()
    return ocds.sharing([ocds.facts(r) for r in found if widened.holds(r)] for found in _all_releases(widened))


def releases(window: Window, *, offset: int = 0, limit: int | None = None, progress=None,
             held: dict | None = None) -> Iterator[dict]:
    """Each release in the window that may be published, process by process (a process's
    releases oldest first). ``held["releases"]`` counts those held back, when given."""
    counts, k = sharing(window), settings.OPEN_DATA_K
    for found in _all_releases(window, offset=offset, limit=limit, progress=progress):
        for release in found:
            if not window.holds(release):
                continue
            if ocds.may_publish(release, counts, k):
                yield release
            elif held is not None:
                held["releases"] = held.get("releases", 0) + 1


def count(window: Window) -> int:
    return processes_touched(window).count()


def package_head(uri: str, council_id: int) -> dict:
    """A release package's fields but its releases: the council's."""
    own = council_settings(council_id)
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": ocds.moment(clock.now()),
        "publisher": {"name": own.name},
        "license": ocds.OGL,
        "publicationPolicy": f"{own.site_url}/open-data/",
    }


def release_package(window: Window, *, uri: str, progress=None, held: dict | None = None) -> Iterator[str]:
    """The release package's JSON text, a piece at a time (the yearly download)."""
    yield json.dumps(package_head(uri, window.council()))[:-1] + ', "releases": ['
    for number, release in enumerate(releases(window, progress=progress, held=held)):
        yield ("," if number else "") + json.dumps(release, separators=(",", ":"))
    yield "]}"


def last_release_date(window: Window) -> dt.datetime | None:
    """When the data behind the window last changed (the open-data page's "updated")."""
    start, end, council = window.start(), window.end(), window.council()
    dates = [
        Tender.objects.filter(council=council, opens_at__gte=start, opens_at__lt=end).aggregate(d=Max("opens_at"))["d"],
        CarePackage.objects.filter(council=council, awarded_at__gte=start, awarded_at__lt=end,
                                   requirement__tenders__isnull=False).aggregate(d=Max("awarded_at"))["d"],
        PackageChange.objects.filter(council=council, status=PackageChange.Status.APPROVED, decided_at__gte=start,
                                     decided_at__lt=end).aggregate(d=Max("decided_at"))["d"],
    ]
    return max((d for d in dates if d), default=None)


def first_year(council_id: int) -> int | None:
    first = Tender.objects.filter(council=council_id).aggregate(d=Min("opens_at"))["d"]
    return None if first is None else financial_year_of(clock.local(first).date())


def years_published(council_id: int) -> list[int]:
    """This financial year back to the council's first with a micro-tender, newest first."""
    this_year = financial_year_of(clock.today())
    first = first_year(council_id)
    return list(range(this_year, (first if first is not None else this_year) - 1, -1))
