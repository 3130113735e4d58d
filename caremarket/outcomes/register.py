"""Keeping the carers register: registering a carer, finding and merging duplicates, recording
wellbeing assessments and activity. Each write is checked first and stored whole or not at
all, with its audit event; the audit trail keeps a carer's register number, never a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from caremarket.accounts.permissions import can, visible
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.events import outbox as events
from caremarket.core.references import with_reference
from caremarket.periods.calendar import financial_year_bounds, financial_year_of

from . import carers, kpis, wellbeing
from .models import (
    Carer,
    CarerActivity,
    CarerMerge,
    DuplicateDismissal,
    MemberAgreement,
    StatementAdjustment,
    Voucher,
    WellbeingAssessment,
)


def _facts(carer: Carer) -> carers.CarerFacts:
    return carers.CarerFacts(carer.pk, carer.given_name, carer.family_name, carer.born_on, carer.postcode)


def consortium_of(member) -> object | None:
    """The consortium a member keeps the register for (its first, if it is in several)."""
    membership = member.consortium_memberships.select_related("consortium").order_by("pk").first()
    return membership.consortium if membership else None


def check_dates(carer: Carer, today: dt.date) -> dict[str, str]:
    found = {}
    if carer.born_on and carer.born_on > today:
        found["born_on"] = "Date of birth must be in the past"
    elif carer.born_on and carers.age_on(carer.born_on, today) > 120:
        found["born_on"] = "Date of birth must be within the last 120 years"
    if carer.registered_on and carer.registered_on > today:
        found["registered_on"] = "The registration date cannot be in the future"
    if carer.born_on and carer.registered_on and carer.registered_on < carer.born_on:
        found["registered_on"] = "The registration date must be after the carer's date of birth"
    if carer.left_on and carer.registered_on and carer.left_on < carer.registered_on:
        found["left_on"] = "The date the carer left must be on or after the registration date"
    if carer.assessed_on and carer.assessed_on > today:
        found["assessed_on"] = "The assessment date cannot be in the future"
    elif carer.assessed_on and carer.registered_on and carer.assessed_on < carer.registered_on:
        found["assessed_on"] = "The assessment date must be on or after the registration date"
    return found


def own_duplicate(carer: Carer) -> Carer | None:
    """The member's own registration this carer is likely the same person as (refused: registered twice)."""
    same_day = Carer.objects.filter(registered_by=carer.registered_by_id, born_on=carer.born_on,
                                    merged_into__isnull=True).exclude(pk=carer.pk)
    for other in same_day:
        if carers.why_the_same(_facts(carer), _facts(other)):
            return other
    return None


def merged_before(carer: Carer) -> Carer | None:
    """A registration on the consortium's register, since merged into another, that this carer
    is likely the same person as: whoever registers them again finds the record they count on."""
    merged = Carer.objects.filter(consortium=carer.consortium_id, born_on=carer.born_on,
                                  merged_into__isnull=False).select_related("merged_into").exclude(pk=carer.pk)
    return next((other for other in merged if carers.why_the_same(_facts(carer), _facts(other))), None)


def _dismissed(born_on: list[dt.date]) -> set[frozenset]:
    """The pairs of registrations, born on these days, that a person judged two carers."""
    return {frozenset(pair) for pair in DuplicateDismissal.objects.filter(second__born_on__in=born_on)
            .values_list("first_id", "second_id")}


def _on_open_statement(day: dt.date, today: dt.date) -> bool:
    """Whether a payment falling due on ``day`` is on a statement whose quarter has not ended."""
    return kpis.quarter_of(day).end >= today


def hold_back_duplicates(actor, consortium_id: int, born_on: list[dt.date] | None = None) -> None:
    """Hold back (or release) the consortium's registrations by the likely-duplicate rule
    (``carers.held_back``), for the given dates of birth or all. A registration held back before
    its quarter's statement ends is not paid for; one released is paid for on its release day."""
    rows = Carer.objects.filter(consortium=consortium_id, merged_into__isnull=True).order_by("registered_on", "pk")
    if born_on is not None:
        rows = rows.filter(born_on__in=born_on)
    by_birthday: dict[dt.date, list[Carer]] = {}
    for carer in rows:
        by_birthday.setdefault(carer.born_on, []).append(carer)
    dismissed = _dismissed(list(by_birthday))
    today = clock.today()
    for group in by_birthday.values():
        held = carers.held_back([_facts(c) for c in group], dismissed) if len(group) > 1 else {}
        for carer in group:
            earlier, why = held.get(carer.pk, (None, ""))
            if carer.held_back_for_id == earlier:
                continue
            carer.held_back_for_id = earlier
            if earlier and carer.payable_on and _on_open_statement(carer.payable_on, today):
                carer.payable_on = None
            elif earlier is None and carer.payable_on is None:
                carer.payable_on = today
            carer.save(update_fields=["held_back_for", "payable_on"])
            record(actor, "carer.held_back" if earlier else "carer.released", carer,
                   after={"register number": carer.reference, "why": why or "No longer a likely duplicate",
                          "likely the same as": next((c.reference for c in group if c.pk == earlier), None)})


def register(actor, carer: Carer) -> Carer:
    """Store a new registration (``carer`` unsaved, with its member and consortium set)."""
    problems = check_dates(carer, clock.today())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        # One member registering the same person twice at once: the second waits, then finds the first.
        type(carer.registered_by).objects.select_for_update().filter(pk=carer.registered_by_id).first()
        if twin := own_duplicate(carer):
            raise ValidationError({"__all__": f"You registered this carer already, as {twin.reference} on "
                                              f"{twin.registered_on:%d %B %Y}: open that record to change it"})
        if earlier := merged_before(carer):
            raise ValidationError({"__all__": f"This carer is on the register already: {earlier.reference} was "
                                              f"merged into {earlier.merged_into.reference}, which counts for them. "
                                              "Ask the consortium's lead if their details have changed"})
        today = clock.today()
        carer.payable_on = carer.registered_on if _on_open_statement(carer.registered_on, today) else today
        with_reference(carer, "C", separator="", digits=7)
        record(actor, "carer.registered", carer, after=carer.audit_facts())
        # The council never sees a carer by name, so neither do its systems: the register number.
        events.write("carer.registered", f"carer {carer.reference}", {
            "carer": carer.reference, "consortium_id": carer.consortium_id, "registered_by_id": carer.registered_by_id,
            "registered_on": carer.registered_on.isoformat(), "hours_a_week": str(carer.hours_a_week)},
            council=None)  # the consortium's register serves every council it contracts with
        hold_back_duplicates(actor, carer.consortium_id, [carer.born_on])
    return carer


def update(actor, carer: Carer, before: dict) -> Carer:
    problems = check_dates(carer, clock.today())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if twin := own_duplicate(carer):
            raise ValidationError({"__all__": f"This would make the carer the same as {twin.reference}, "
                                              "whom you registered already"})
        born_before = Carer.objects.filter(pk=carer.pk).values_list("born_on", flat=True).first()
        carer.save()
        record(actor, "carer.changed", carer, before=before, after=carer.audit_facts())
        hold_back_duplicates(actor, carer.consortium_id, list({carer.born_on, born_before or carer.born_on}))
    return carer


@dataclass(frozen=True)
class LikelyPair:
    first: Carer
    second: Carer
    why: str


def likely_duplicates(queryset) -> list[LikelyPair]:
    """Pairs of registrations among ``queryset`` that are likely the same carer, to be merged or
    dismissed by a person (a dismissed pair is not offered again). Only carers sharing a date of
    birth are compared (an index finds them)."""
    shared = (queryset.filter(merged_into__isnull=True).values("born_on").order_by()
              .annotate(n=Count("pk")).filter(n__gt=1)
              .values("born_on"))
    by_birthday: dict[dt.date, list[Carer]] = {}
    for carer in (queryset.filter(merged_into__isnull=True, born_on__in=shared)
                  .select_related("registered_by").order_by("born_on", "registered_on", "pk")):
        by_birthday.setdefault(carer.born_on, []).append(carer)
    dismissed = _dismissed(list(by_birthday))
    pairs = []
    for group in by_birthday.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if frozenset((first.pk, second.pk)) in dismissed:
                    continue
                if why := carers.why_the_same(_facts(first), _facts(second)):
                    pairs.append(LikelyPair(first, second, why))
    return pairs


def duplicates_to_check(user) -> int:
    """How many likely duplicate pairs wait for this person to merge (none unless they merge)."""
    if not can(user, "merge_carers"):
        return 0
    return len(likely_duplicates(visible(Carer.objects.all(), user)))


def merge(actor, kept: Carer, merged: Carer) -> CarerMerge:
    """Merge ``merged`` into ``kept``: the kept record counts from then on; the merged one stays,
    pointing to it, so that what was recorded against it is kept and the first registration
    is still known (it decides who is paid for registering the carer)."""
    with transaction.atomic():
        kept, merged = (Carer.objects.select_for_update().get(pk=kept.pk),
                        Carer.objects.select_for_update().get(pk=merged.pk))
        if kept.pk == merged.pk:
            raise ValidationError("A registration cannot be merged into itself")
        if kept.consortium_id != merged.consortium_id:
            raise ValidationError("Only registrations on the same consortium's register can be merged")
        if kept.merged_into_id or merged.merged_into_id:
            done = merged if merged.merged_into_id else kept
            raise ValidationError(f"{done.reference} was merged already, into {done.merged_into.reference}")
        why = carers.why_the_same(_facts(kept), _facts(merged)) or "Judged the same carer by the person merging"
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        assessed = [d for d in (kept.assessed_on, merged.assessed_on) if d]
        if assessed and kept.assessed_on != min(assessed):
            kept.assessed_on = max(min(assessed), kept.registered_on)
            kept.save(update_fields=["assessed_on"])
        Carer.objects.filter(merged_into=merged).update(merged_into=kept)
        done = CarerMerge.objects.create(kept=kept, merged=merged, why=why, merged_by=actor, merged_at=clock.now())
        record(actor, "carer.merged", done, after={"kept": kept.reference, "merged": merged.reference, "why": why})
        _take_back_payment(actor, kept, merged, done)
        _cancel_second_vouchers(actor, kept)
        hold_back_duplicates(actor, kept.consortium_id, list({kept.born_on, merged.born_on}))
    return done


def _take_back_payment(actor, kept: Carer, merged: Carer, done: CarerMerge) -> None:
    """If both registrations were paid for and the later one's statement has ended, take that
    payment back on its member's statement now (an ended statement is never rewritten; within
    a statement's quarter the merged registrations are simply paid for once)."""
    earlier, later = sorted((kept, merged), key=lambda c: (c.registered_on, c.pk))
    today = clock.today()
    if not (earlier.payable_on and later.payable_on) or _on_open_statement(later.payable_on, today):
        return
    agreement = MemberAgreement.objects.filter(contract__consortium=later.consortium_id,
                                               member=later.registered_by_id).order_by("-pk").first()
    if agreement is None or not agreement.per_new_carer_pence:
        return
    adjustment = StatementAdjustment.objects.create(
        agreement=agreement, on=today, amount_pence=-agreement.per_new_carer_pence, merge=done,
        reason=f"Taken back: {later.reference}, paid for as a new carer on {later.payable_on:%-d %B %Y}, was the same "
               f"carer as {earlier.reference}, registered first")
    record(actor, "statement.adjusted", adjustment, after={"member": later.registered_by_id,
                                                           "amount pence": adjustment.amount_pence,
                                                           "why": adjustment.reason})


def _cancel_second_vouchers(actor, kept: Carer) -> None:
    """A merged carer has one voucher a year: any other unspent one of theirs that year (granted
    or waiting) is cancelled, and its amount goes back to the budget."""
    today = clock.today()
    first, last = financial_year_bounds(financial_year_of(today))
    theirs = Voucher.objects.select_for_update().filter(Q(carer=kept) | Q(carer__merged_into=kept)) \
        .filter(Q(granted_at__date__range=(first, last)) | Q(status=Voucher.Status.WAITING)) \
        .exclude(status=Voucher.Status.CANCELLED).order_by("granted_at", "asked_at", "pk")
    # The one to keep: a spent one if there is one, else the first granted, else the first asked.
    ranked = sorted(theirs, key=lambda v: (v.status != Voucher.Status.SPENT, v.status != Voucher.Status.GRANTED))
    for voucher in ranked[1:]:
        if voucher.status == Voucher.Status.SPENT:
            continue  # spent already: it cannot be taken back from the activity it paid for
        before = voucher.status
        voucher.status = Voucher.Status.CANCELLED
        voucher.reason = f"Cancelled when {voucher.carer.reference} was merged into {kept.reference}: " \
                         "one voucher a year for each carer"
        voucher.save(update_fields=["status", "reason"])
        record(actor, "voucher.cancelled", voucher, before={"status": before},
               after={"status": voucher.status, "why": voucher.reason})


def dismiss(actor, first: Carer, second: Carer, why: str) -> DuplicateDismissal:
    """Record that a likely duplicate pair are two carers: the pair is not offered again, and the
    later registration is released to count and be paid for."""
    why = " ".join(why.split())
    if not why:
        raise ValidationError({"why": "Say why these are two different carers"})
    first, second = sorted((first, second), key=lambda c: (c.registered_on, c.pk))
    with transaction.atomic():
        first, second = (Carer.objects.select_for_update().get(pk=first.pk),
                         Carer.objects.select_for_update().get(pk=second.pk))
        if first.pk == second.pk or first.consortium_id != second.consortium_id:
            raise ValidationError("Only two registrations on the same consortium's register can be dismissed as a pair")
        if first.merged_into_id or second.merged_into_id:
            raise ValidationError("One of these registrations was merged already")
        if DuplicateDismissal.objects.filter(first=first, second=second).exists():
            raise ValidationError(f"{first.reference} and {second.reference} were judged two carers already")
        done = DuplicateDismissal.objects.create(first=first, second=second, why=why[:300], dismissed_by=actor,
                                                 dismissed_at=clock.now())
        record(actor, "carer.duplicate_dismissed", done,
               after={"first": first.reference, "second": second.reference, "why": done.why})
        hold_back_duplicates(actor, first.consortium_id, [first.born_on, second.born_on])
    return done


def assess_wellbeing(actor, carer: Carer, kind: str, assessed_on: dt.date, scores: dict) -> WellbeingAssessment:
    problems = wellbeing.problems(scores)
    if assessed_on > clock.today():
        problems["assessed_on"] = "The assessment date cannot be in the future"
    elif assessed_on < carer.registered_on:
        problems["assessed_on"] = "The assessment date must be on or after the carer's registration"
    with transaction.atomic():
        baseline = carer.wellbeing.filter(kind=WellbeingAssessment.Kind.BASELINE).first()
        if kind == WellbeingAssessment.Kind.BASELINE and baseline:
            problems["kind"] = f"This carer's baseline was assessed on {baseline.assessed_on:%d %B %Y}: " \
                               "later assessments are follow-ups"
        elif kind == WellbeingAssessment.Kind.FOLLOW_UP and not baseline:
            problems["kind"] = "A follow-up needs a baseline first"
        elif kind == WellbeingAssessment.Kind.FOLLOW_UP and assessed_on <= baseline.assessed_on:
            problems["assessed_on"] = f"A follow-up comes after the baseline of {baseline.assessed_on:%d %B %Y}"
        if problems:
            raise ValidationError(problems)
        found = WellbeingAssessment.objects.create(carer=carer, kind=kind, assessed_on=assessed_on, assessed_by=actor,
                                                   scores=scores, total=wellbeing.total(scores))
        record(actor, "carer.wellbeing_assessed", found, after={"carer": carer.reference, "kind": kind,
                                                                "assessed on": assessed_on.isoformat(),
                                                                "total": found.total})
    return found


def record_activity(actor, activity: CarerActivity) -> CarerActivity:
    problems = {}
    if activity.happened_on > clock.today():
        problems["happened_on"] = "The date cannot be in the future"
    if activity.kind in CarerActivity.FOR_A_CARER and activity.carer is None:
        problems["carer"] = "Choose the carer the response was for"
    if activity.kind not in CarerActivity.FOR_A_CARER and not activity.name.strip():
        problems["name"] = "Give the name of the group, support network or GP practice"
    if activity.kind == CarerActivity.Kind.GROUP_SESSION and activity.attending < 1:
        problems["attending"] = "Give how many carers attended"
    if activity.carer and activity.happened_on < activity.carer.registered_on:
        problems["happened_on"] = "The date must be on or after the carer's registration"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        activity.save()
        record(actor, "carer_activity.recorded", activity,
               after={"kind": activity.kind, "on": activity.happened_on.isoformat(), "name": activity.name,
                      "carer": activity.carer.reference if activity.carer else None, "attending": activity.attending})
    return activity
