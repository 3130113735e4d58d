"""Applying a council's retention schedule: each kind's records whose period has passed, found
in the database and removed or anonymised a block at a time, each block in its own transaction.

A council's schedule governs its own records (its citizens, who looked at them). What is not
one council's (copies of e-mails, the carers register, events' details) is kept for the longest
period any council's schedule sets, and not removed at all while a council has set none.

Safe to re-run: what a run anonymised is marked and never found again, and what it deleted is
gone, so a second run (or one after a failure half-way) does only what is left. Money is never
touched: packages, visits, invoices, payment lines and payments due are kept, with the person
they were about anonymised, so every total adds up as before. The audit trail is never touched
either (it holds no personal details: ``audit.trail.PERSONAL``), so its chain still verifies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from caremarket.accounts.models import SentEmail
from caremarket.audit.trail import record
from caremarket.citizens.models import Assessment, Citizen, RecordAccess, WaitingChange
from caremarket.core import clock
from caremarket.events.models import Delivery, Event
from caremarket.geography.postcodes import PostcodeError, district
from caremarket.organisations.councils import council_of
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import Booking, Carer, CarerSignIn
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.payments.models import PaymentQuery, Visit
from caremarket.tendering.models import CareRequirement

from .models import LegalHold, RetentionRule, RetentionRun
from .retention_rules import cut_off

BLOCK = 500  # records changed in one transaction: a failure loses at most one block's work

ANONYMISED_GIVEN_NAME, ANONYMISED_FAMILY_NAME = "Anonymised", "record"


def _outward(postcode: str) -> str:
    try:
        return district(postcode)
    except PostcodeError:
        return ""


def _before_the_day_after(last_day: dt.date) -> dt.datetime:
    """Midnight after ``last_day`` in the UK: what was made before it was made by that day."""
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.LONDON)


# --- Citizens ---------------------------------------------------------------------------------

def citizens_due(last_day: dt.date, council_id: int) -> QuerySet:
    """Citizens not yet anonymised whose last service (retention_rules.last_service) was on or
    before ``last_day``: every package ended by then, no assessment after it, and at least one
    of either (a person nothing is known of has no date to count from)."""
    packages = CarePackage.objects.filter(requirement__citizen=OuterRef("pk"))
    assessments = Assessment.objects.filter(citizen=OuterRef("pk"))
    return (Citizen.objects.filter(council=council_id, anonymised_on__isnull=True)
            .filter(Exists(packages) | Exists(assessments))
            .exclude(Exists(packages.filter(Q(end_on__isnull=True) | Q(end_on__gt=last_day))))
            .exclude(Exists(assessments.filter(assessed_on__gt=last_day))))


def anonymise_citizens(ids: list[int], today: dt.date) -> None:
    """Remove what names these citizens and what their assessments and requirements say of them.
    What the money rests on (packages, visits' times and amounts, payment lines) is kept."""
    citizens = list(Citizen.objects.filter(pk__in=ids))
    references = [citizen.reference for citizen in citizens]
    for citizen in citizens:
        citizen.given_name, citizen.family_name = ANONYMISED_GIVEN_NAME, ANONYMISED_FAMILY_NAME
        citizen.date_of_birth = citizen.date_of_birth.replace(month=1, day=1)
        citizen.nhs_number, citizen.address, citizen.postcode = "", "", _outward(citizen.postcode)
        citizen.died_on, citizen.anonymised_on = None, today
    Citizen.objects.bulk_update(citizens, ["given_name", "family_name", "date_of_birth", "nhs_number", "address",
                                           "postcode", "died_on", "anonymised_on"])
    Assessment.objects.filter(citizen_id__in=ids).update(eligible_needs="", outcomes="")
    WaitingChange.objects.filter(assessment__citizen_id__in=ids).update(values={})
    CareRequirement.objects.filter(citizen_id__in=ids).update(
        eligible_needs="", outcomes="", preferences="", visit_pattern="", accommodation="", routing_reason="",
        cancelled_reason="")
    packages = CarePackage.objects.filter(requirement__citizen_id__in=ids).values("pk")
    PackageChange.objects.filter(package__in=packages).update(reason="", decision_reason="")
    Visit.objects.filter(package__in=packages).exclude(query="").update(query="")
    PaymentQuery.objects.filter(visit__package__in=packages).update(answer="", resolution="")
    Event.objects.filter(citizen__person_id__in=references).update(citizen=None)
    for citizen in citizens:
        record("retention schedule", "citizen.anonymised", citizen, after={"anonymised_on": today.isoformat()},
               reason="Kept for the period the retention schedule sets after their last service")


# --- Carers -----------------------------------------------------------------------------------

def carers_due(last_day: dt.date, council_id=None) -> QuerySet:
    return Carer.objects.filter(anonymised_on__isnull=True, left_on__lte=last_day)


def anonymise_carers(ids: list[int], today: dt.date, *, reason: str, actor="retention schedule") -> None:
    """Remove what names these carers and the e-mails sent to them; what they did and were paid
    (wellbeing scores, responses, vouchers, bookings) is kept for the consortium's figures."""
    carers = list(Carer.objects.filter(pk__in=ids))
    addresses = [carer.email for carer in carers if carer.email]
    for carer in carers:
        carer.given_name, carer.family_name = ANONYMISED_GIVEN_NAME, ANONYMISED_FAMILY_NAME
        carer.born_on = carer.born_on.replace(month=1, day=1)
        carer.postcode, carer.email, carer.cared_for = _outward(carer.postcode), "", ""
        carer.anonymised_on = today
        carer.left_on = carer.left_on or today
    Carer.objects.bulk_update(carers, ["given_name", "family_name", "born_on", "postcode", "email", "cared_for",
                                       "anonymised_on", "left_on"])
    Booking.objects.filter(voucher__carer_id__in=ids).update(needs_shared="")
    CarerSignIn.objects.filter(carer_id__in=ids).delete()
    SentEmail.objects.filter(to_address__in=addresses, recipient__isnull=True).delete()
    for carer in carers:
        record(actor, "carer.anonymised", carer, after={"anonymised_on": today.isoformat()}, reason=reason)


# --- The rest: deleted, or details removed ----------------------------------------------------

def access_log_due(last_day: dt.date, council_id: int) -> QuerySet:
    return RecordAccess.objects.filter(person__organisation=council_id, at__lt=_before_the_day_after(last_day))


def emails_due(last_day: dt.date, council_id=None) -> QuerySet:
    return SentEmail.objects.filter(sent_at__lt=_before_the_day_after(last_day))


def event_details_due(last_day: dt.date, council_id=None) -> QuerySet:
    pending = Delivery.objects.filter(event=OuterRef("pk"), status=Delivery.Status.PENDING)
    return (Event.objects.filter(citizen__isnull=False, occurred_at__lt=_before_the_day_after(last_day))
            .exclude(Exists(pending)))


def _delete(model):
    def remove(ids: list[int], today: dt.date) -> None:
        model.objects.filter(pk__in=ids).delete()
    return remove


def _remove_event_details(ids: list[int], today: dt.date) -> None:
    Event.objects.filter(pk__in=ids).update(citizen=None)


@dataclass(frozen=True)
class Step:
    due: Callable[[dt.date, int], QuerySet]  # the records due by a day, of a council where they are its
    act: Callable[[list[int], dt.date], None]
    held: Callable[[QuerySet], QuerySet] | None = None  # the part of ``due`` a legal hold keeps
    councils: bool = False  # each council's own records, by its own schedule


def _held(person: str) -> Callable[[QuerySet], QuerySet]:
    """The part of the people due that a legal hold in force on ``person`` keeps."""
    def held(due: QuerySet) -> QuerySet:
        return due.filter(Exists(LegalHold.objects.filter(**{person: OuterRef("pk")}, lifted_at__isnull=True)))
    return held


# In this order: the plain deletions first, so that what a dry run counts for them is what a run
# removes (anonymising a person then also takes what is left of theirs in them).
STEPS = {
    "access_log": Step(access_log_due, _delete(RecordAccess), councils=True),
    "email": Step(emails_due, _delete(SentEmail)),
    "event_details": Step(event_details_due, _remove_event_details),
    "citizen": Step(citizens_due, anonymise_citizens, _held("citizen"), councils=True),
    "carer": Step(carers_due, lambda ids, today: anonymise_carers(
        ids, today, reason="Kept for the period the retention schedule sets after they left the register"),
        _held("carer")),
}


def start_schedule(sender, instance, created, raw=False, **kwargs):
    """A council set up after the first starts from the first council's schedule, for its data
    protection officer to change: a council with none would keep everything for ever."""
    if not created or raw or instance.kind != Organisation.Kind.COUNCIL:
        return
    if RetentionRule.objects.filter(council=instance).exists():
        return  # the first council: it adopted the schedule the install was loaded with
    first = RetentionRule.objects.exclude(council=instance).order_by("council_id").values_list(
        "council_id", flat=True).first()
    RetentionRule.objects.bulk_create(
        RetentionRule(council=instance, kind=rule.kind, years=rule.years, months=rule.months,
                      legal_reason=rule.legal_reason, source=rule.source)
        for rule in RetentionRule.objects.filter(council=first))


def _longest(kind: str, today: dt.date) -> dt.date | None:
    """The earliest cut-off any council's schedule sets for a kind no council owns alone; None
    while a council has set none for it (nothing goes that a council may still want)."""
    councils = set(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True))
    rules = list(RetentionRule.objects.filter(kind=kind, council__in=councils))
    if not rules or {rule.council_id for rule in rules} != councils:
        return None
    return min(cut_off(today, rule.years, rule.months) for rule in rules)


def apply(*, today: dt.date | None = None, dry_run: bool = False, by=None, council_id: int | None = None,
          progress: Callable[[str], None] = lambda line: None) -> RetentionRun:
    """Run a council's schedule (the person's, else the install's only council's) as of
    ``today``: each kind's records past their period, less those a legal hold keeps, removed or
    anonymised (a dry run only counts them)."""
    today, council_id = today or clock.today(), council_of(by, council_id)
    run = RetentionRun.objects.create(council_id=council_id, started_at=clock.now(), as_of=today, dry_run=dry_run,
                                      started_by=by)
    rules = {rule.kind: rule for rule in RetentionRule.objects.filter(council=council_id)}
    for kind, step in STEPS.items():
        if (rule := rules.get(kind)) is None:
            continue
        last_day = cut_off(today, rule.years, rule.months) if step.councils else _longest(kind, today)
        if last_day is None:
            continue
        due = step.due(last_day, council_id)
        held = step.held(due).values("pk") if step.held else due.none().values("pk")
        going = due.exclude(pk__in=held)
        run.held[rule.kind] = held.count()
        if dry_run:
            run.removed[rule.kind] = going.count()
        else:
            run.removed[rule.kind], after = 0, 0
            while ids := list(going.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BLOCK]):
                with transaction.atomic():
                    step.act(ids, today)
                run.removed[rule.kind], after = run.removed[rule.kind] + len(ids), ids[-1]
                progress(f"{rule.get_kind_display()}: {run.removed[rule.kind]:,} so far")
        progress(f"{rule.get_kind_display()}: {run.removed[rule.kind]:,} "
                 f"{'would go' if dry_run else 'done'}, {run.held[rule.kind]:,} kept by a legal hold")
    run.finished_at = clock.now()
    with transaction.atomic():
        run.save()
        if not dry_run:
            record(by or "retention schedule", "retention.applied", run,
                   after={"as of": today.isoformat(), "removed": run.removed, "held": run.held})
    return run
