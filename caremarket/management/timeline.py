"""One provider's record as a timeline: everything the council holds about it, newest first,
each entry linking to its source.

Each kind of entry comes from its own records (``SOURCES``): a function that gives a
provider's entries between two days, newest first, at most ``MOST`` of them. The timeline
asks only the kinds chosen, and merges what they give; when a kind has ``MOST`` entries in
the window the timeline says it may be cut short, so nothing is left out without a word. No entry names a
citizen: packages and offers are shown by their references.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.framework.models import Application
from caremarket.incidents.models import Incident
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import Invoice, PaymentQuery
from caremarket.quality.models import (
    FocussedInspectionRequest,
    ImprovementPlan,
    Inspection,
    Intelligence,
    QualityRating,
)
from caremarket.tendering.models import Offer

from .models import Action, ContactEntry, ContractReview

MOST = 200  # entries of one kind in one window


@dataclass(frozen=True)
class Entry:
    on: dt.date
    kind: str
    title: str
    detail: str = ""
    href: str = ""


def _day(moment: dt.datetime | None) -> dt.date | None:
    return clock.local(moment).date() if moment else None


def _enrolment(org, since, until, council) -> Iterable[Entry]:
    for a in (Application.objects.filter(organisation=org, council=council).select_related("framework")
              .order_by("-started_at")[:MOST]):
        href = reverse("application-detail", args=[a.pk])
        if a.decided_at and since <= _day(a.decided_at) <= until:
            yield Entry(_day(a.decided_at), "enrolment",
                        f"Application to the framework {a.get_status_display().lower()}", a.decision_reason, href)
        if a.submitted_at and since <= _day(a.submitted_at) <= until:
            yield Entry(_day(a.submitted_at), "enrolment", "Application to the framework submitted", "", href)


def _ratings(org, since, until, council) -> Iterable[Entry]:
    for r in (QualityRating.objects.filter(council=council, location__organisation=org,
                                           effective_from__range=(since, until))
              .select_related("location").order_by("-effective_from", "-pk")[:MOST]):
        yield Entry(r.effective_from, "quality", f"{r.location.name} rated {r.get_rating_display() or 'not rated'}",
                    "Suspended from new placements" if r.suspended else "",
                    reverse("service-quality", args=[r.location_id]))


def _inspections(org, since, until, council) -> Iterable[Entry]:
    for i in (Inspection.objects.filter(Q(council=council) | Q(council__isnull=True), location__organisation=org,
                                        inspected_on__range=(since, until))
              .select_related("location").order_by("-inspected_on", "-pk")[:MOST]):
        yield Entry(i.inspected_on, "quality", f"{i.get_source_display()} {i.get_kind_display().lower()} of "
                                               f"{i.location.name}: {i.outcome}", "",
                    reverse("service-quality", args=[i.location_id]))
    for f in (FocussedInspectionRequest.objects.filter(council=council, location__organisation=org,
                                                       raised_on__range=(since, until))
              .select_related("location").order_by("-raised_on", "-pk")[:MOST]):
        yield Entry(f.raised_on, "quality", f"Focussed inspection of {f.location.name} called for",
                    "; ".join(f.reasons), reverse("inspection-request", args=[f.pk]))
    for p in (ImprovementPlan.objects.filter(council=council, location__organisation=org,
                                             opened_on__range=(since, until))
              .select_related("location").order_by("-opened_on", "-pk")[:MOST]):
        yield Entry(p.opened_on, "quality", f"Improvement plan opened for {p.location.name}",
                    f"Due {p.due_on:%-d %B %Y}; {p.get_status_display().lower()}",
                    reverse("service-quality", args=[p.location_id]))


def _intelligence(org, since, until, council) -> Iterable[Entry]:
    for i in (Intelligence.objects.filter(location__organisation=org, occurred_on__range=(since, until))
              .select_related("location").order_by("-occurred_on", "-pk")[:MOST]):
        yield Entry(i.occurred_on, "concerns", f"{i.get_kind_display()} about {i.location.name}", i.description,
                    reverse("service-quality", args=[i.location_id]))


def _incidents(org, since, until, council) -> Iterable[Entry]:
    for i in (Incident.objects.filter(council=council, location__organisation=org, occurred_on__range=(since, until))
              .select_related("location").order_by("-occurred_on", "-pk")[:MOST]):
        yield Entry(i.occurred_on, "concerns", f"{i.get_kind_display()} {i.reference} at {i.location.name}",
                    i.get_status_display(), reverse("incident", args=[i.pk]))


def _offers(org, since, until, council) -> Iterable[Entry]:
    for o in (Offer.objects.filter(council=council, organisation=org, submitted_at__date__range=(since, until))
              .select_related("tender__requirement").order_by("-submitted_at", "-pk")[:MOST]):
        yield Entry(_day(o.submitted_at), "tenders", f"Offer on {o.tender.requirement.reference}: "
                                                     f"{o.get_status_display().lower()}",
                    f"{format_gbp(o.weekly_price_pence)} a week from {o.start_on:%-d %B %Y}",
                    reverse("requirement-detail", args=[o.tender.requirement_id]))


def _packages(org, since, until, council) -> Iterable[Entry]:
    for p in (CarePackage.objects.filter(council=council, organisation=org, awarded_at__date__range=(since, until))
              .order_by("-awarded_at", "-pk")[:MOST]):
        yield Entry(_day(p.awarded_at), "packages", f"Awarded {p.reference}",
                    f"{format_gbp(p.weekly_price_pence)} a week from {p.start_on:%-d %B %Y}",
                    reverse("care-package", args=[p.pk]))
    for c in (PackageChange.objects.filter(council=council, package__organisation=org,
                                           status=PackageChange.Status.APPROVED, effective_from__range=(since, until))
              .select_related("package").order_by("-effective_from", "-pk")[:MOST]):
        kind = "hand_backs" if c.end_cause == PackageChange.EndCause.HANDED_BACK else "packages"
        title = (f"{c.package.reference} handed back" if kind == "hand_backs"
                 else f"{c.package.reference}: {c.get_kind_display().lower()}")
        yield Entry(c.effective_from, kind, title, c.reason[:200], reverse("package-changes", args=[c.package_id]))


def _payments(org, since, until, council) -> Iterable[Entry]:
    for i in (Invoice.objects.filter(council=council, organisation=org, received_at__date__range=(since, until))
              .select_related("period").order_by("-received_at", "-pk")[:MOST]):
        yield Entry(_day(i.received_at), "payments", f"Invoice {i.reference} received",
                    f"{i.period}; {'paid ' + format(i.paid_on, '%-d %B %Y') if i.paid_on else 'not yet paid'}",
                    reverse("invoice", args=[i.pk]))
    for q in (PaymentQuery.objects.filter(council=council, visit__organisation=org,
                                          answered_at__date__range=(since, until))
              .select_related("visit").order_by("-answered_at", "-pk")[:MOST]):
        yield Entry(_day(q.answered_at), "payments", f"Payment query on visit {q.visit.visit_id} answered",
                    q.get_status_display(), reverse("payment-query", args=[q.pk]))


def _contact(org, since, until, council) -> Iterable[Entry]:
    for c in (ContactEntry.objects.filter(council=council, organisation=org, happened_on__range=(since, until))
              .select_related("recorded_by").order_by("-happened_on", "-pk")[:MOST]):
        yield Entry(c.happened_on, "contact", f"{c.get_kind_display()}: {c.summary}",
                    f"Logged by {c.recorded_by}", reverse("contact-entry", args=[org.pk, c.pk]))
    for r in (ContractReview.objects.filter(council=council, organisation=org, due_on__range=(since, until))
              .order_by("-due_on", "-pk")[:MOST]):
        yield Entry(r.held_on or r.due_on, "contact", f"Quarter {r.quarter} contract review "
                                                      f"{'held' if r.held_on else 'due'}", "",
                    reverse("contract-review", args=[org.pk, r.pk]))
    for a in (Action.objects.filter(council=council, organisation=org, due_on__range=(since, until))
              .select_related("owner")
              .order_by("-due_on", "-pk")[:MOST]):
        state = f"done {a.done_on:%-d %B %Y}" if a.done_on else "overdue" if a.due_on < clock.today() else "open"
        yield Entry(a.due_on, "contact", f"Action due: {a.description}", f"{a.owner}; {state}",
                    reverse("provider-record", args=[org.pk]) + "#actions")


KINDS = {
    "enrolment": "Enrolment and decisions",
    "quality": "Ratings and inspections",
    "concerns": "Concerns, alerts and complaints",
    "tenders": "Offers on tenders",
    "packages": "Packages awarded and changed",
    "hand_backs": "Hand-backs",
    "payments": "Invoices and payment queries",
    "contact": "Meetings, visits, reviews and actions",
}
SOURCES: dict[str, list[Callable]] = {
    "enrolment": [_enrolment], "quality": [_ratings, _inspections], "concerns": [_intelligence, _incidents],
    "tenders": [_offers], "packages": [_packages], "hand_backs": [_packages], "payments": [_payments],
    "contact": [_contact],
}


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    cut_short: bool  # a kind had more entries in the window than are shown: narrow the dates


def timeline(organisation, council_id: int, since: dt.date, until: dt.date,
             kinds: Iterable[str] = KINDS) -> Timeline:
    """The provider's entries of these kinds between two days, newest first: its work for this
    council, with the ratings its rating system gave, and the CQC's findings and concerns (which
    every council shares)."""
    kinds = [k for k in KINDS if k in set(kinds)]
    sources = list(dict.fromkeys(source for kind in kinds for source in SOURCES[kind]))
    streams = [sorted((e for e in source(organisation, since, until, council_id) if e.kind in kinds),
                      key=lambda e: e.on, reverse=True) for source in sources]
    return Timeline(list(heapq.merge(*streams, key=lambda e: e.on, reverse=True)),
                    any(len(stream) >= MOST for stream in streams))
