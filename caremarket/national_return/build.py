"""A quarter's CLD return read from the packages and the carers' register, row by row: each row
checked against the specification, and what cannot be sent kept aside with its reasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterator

from django.db.models import OuterRef, Q, Subquery

from caremarket.organisations.councils import settings_of, the_only_council
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import Carer, ConsortiumContract, Voucher
from caremarket.packages.models import CarePackage, PackageChange

from . import specification
from .models import CodeMapping
from .rows import CarerFacts, Council, PackageFacts, carer_event, service_event
from .specification import Quarter

CHUNK = 5000


def council(council_id: int) -> Council:
    """The council the return is from, by its own code; an install's only council may take the
    code it was set up with."""
    found = settings_of(Organisation.objects.get(pk=council_id))
    return Council(found.la_code, found.name)


def mapping() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for kind, ours, theirs in CodeMapping.objects.values_list("kind", "ours", "theirs"):
        found.setdefault(kind, {})[ours] = theirs
    return found


def _care_in(quarter: Quarter, council_id: int):
    """The council's packages live at any time in the quarter."""
    return (CarePackage.objects.filter(council=council_id, start_on__lte=quarter.ends_on)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=quarter.starts_on)))


def _packages(quarter: Quarter, council_id: int) -> Iterator[PackageFacts]:
    approved = PackageChange.objects.filter(package=OuterRef("pk"), status=PackageChange.Status.APPROVED)
    price = approved.filter(kind=PackageChange.Kind.PRICE, effective_from__lte=quarter.ends_on).order_by(
        "-effective_from", "-pk")
    end = approved.filter(kind=PackageChange.Kind.END).order_by("-decided_at", "-pk")
    packages = (_care_in(quarter, council_id)
                .annotate(changed_price=Subquery(price.values("weekly_price_pence")[:1]),
                          changed_rate=Subquery(price.values("hourly_rate_pence")[:1]),
                          changed_hours=Subquery(price.values("weekly_hours")[:1]),
                          end_cause=Subquery(end.values("end_cause")[:1]))
                .order_by("pk")
                .values_list("reference", "requirement__citizen__reference", "requirement__citizen__nhs_number",
                             "requirement__citizen__date_of_birth", "requirement__citizen__died_on",
                             "requirement__service_type__code", "requirement__service_type__name", "route",
                             "start_on", "end_on", "status", "end_cause", "location__cqc_location_id",
                             "weekly_price_pence", "hourly_rate_pence", "weekly_hours",
                             "changed_price", "changed_rate", "changed_hours"))
    for (reference, person, nhs, born, died, service, name, route, start, end_on, status, end_cause, cqc,
         price_pence, rate, hours, changed_price, changed_rate, changed_hours) in packages.iterator(chunk_size=CHUNK):
        if status == CarePackage.Status.HANDED_BACK:
            end_cause = PackageChange.EndCause.HANDED_BACK
        yield PackageFacts(reference, person, nhs, born, died, service, name, route, start, end_on, end_cause or "",
                           cqc, changed_price if changed_price is not None else price_pence,
                           changed_rate if changed_price is not None else rate,
                           changed_hours if changed_price is not None else hours)


def _carers(quarter: Quarter, council_id: int) -> Iterator[CarerFacts]:
    """Carers on the registers of the consortia the council contracts with."""
    within = (quarter.starts_on, quarter.ends_on)
    consortia = ConsortiumContract.objects.filter(council=council_id).values("consortium")
    for reference, on in (Carer.objects.filter(consortium__in=consortia, assessed_on__range=within,
                                               merged_into__isnull=True)
                          .order_by("pk").values_list("reference", "assessed_on").iterator(chunk_size=CHUNK)):
        yield CarerFacts(f"{reference}-A", reference, "Assessment", on)
    for reference, carer, granted, amount in (
            Voucher.objects.filter(carer__consortium__in=consortia,
                                   status__in=[Voucher.Status.GRANTED, Voucher.Status.SPENT],
                                   granted_at__date__range=within)
            .order_by("pk").values_list("reference", "carer__reference", "granted_at", "amount_pence")
            .iterator(chunk_size=CHUNK)):
        yield CarerFacts(reference, carer, "Service", granted.date(), amount)


@dataclass
class Return:
    """What the quarter's return holds: how many rows pass, and why the others cannot be sent."""
    quarter: Quarter
    sent: int = 0
    carers: int = 0
    not_sent: int = 0
    held_back: Counter = field(default_factory=Counter)  # (field, reason) → rows
    examples: dict = field(default_factory=dict)  # (field, reason) → the first few event references

    @property
    def packages(self) -> int:
        return self.sent - self.carers

    @property
    def reasons(self) -> list[tuple[str, str, int, list[str]]]:
        """(field, why, rows, first few references), the commonest first."""
        return [(name.replace("_", " "), reason, count, self.examples[(name, reason)])
                for (name, reason), count in self.held_back.most_common()]


def rows(quarter: Quarter, found: Return | None = None, *, council_id: int | None = None) -> Iterator[list[str]]:
    """The council's file's rows (the install's only council unless said), the header first:
    only those meeting the specification. ``found`` counts them and collects what was held back
    and why."""
    found = found if found is not None else Return(quarter)
    council_id = council_id or the_only_council()
    codes, who = mapping(), council(council_id)
    yield specification.HEADER
    events = chain(((service_event(facts, codes, who, quarter), facts.reference, False)
                    for facts in _packages(quarter, council_id)),
                   ((carer_event(facts, codes, who, quarter), facts.reference, True)
                    for facts in _carers(quarter, council_id)))
    for (row, missing), reference, carer in events:
        wrong = missing or specification.problems(row)
        if wrong:
            found.not_sent += 1
            for key in dict.fromkeys(wrong):
                found.held_back[key] += 1
                if len(examples := found.examples.setdefault(key, [])) < 5:
                    examples.append(reference)
            continue
        found.sent += 1
        found.carers += carer
        yield [row.get(name, "") for name in specification.HEADER]


def check(quarter: Quarter, *, council_id: int | None = None) -> Return:
    """Read the whole quarter for its page: the counts and reasons, not the rows."""
    found = Return(quarter)
    for _ in rows(quarter, found, council_id=council_id):
        pass
    return found


def citizens_in(quarter: Quarter, *, council_id: int):
    """The citizens whose care the quarter's file carries (their reads are logged)."""
    return _care_in(quarter, council_id).values_list("requirement__citizen_id", flat=True).distinct()
