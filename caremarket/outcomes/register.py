"""Keeping the carers register: registering a carer, finding and merging duplicates, recording
wellbeing assessments and activity. Each write is checked first and stored whole or not at
all, with its audit event; the audit trail keeps a carer's register number, never a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from caremarket.accounts.permissions import can, visible
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.references import with_reference

from . import carers, wellbeing
from .models import Carer, CarerActivity, CarerMerge, WellbeingAssessment


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
        with_reference(carer, "C", separator="", digits=7)
        record(actor, "carer.registered", carer, after=carer.audit_facts())
    return carer


def update(actor, carer: Carer, before: dict) -> Carer:
    problems = check_dates(carer, clock.today())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if twin := own_duplicate(carer):
            raise ValidationError({"__all__": f"This would make the carer the same as {twin.reference}, "
                                              "whom you registered already"})
        carer.save()
        record(actor, "carer.changed", carer, before=before, after=carer.audit_facts())
    return carer


@dataclass(frozen=True)
class LikelyPair:
    first: Carer
    second: Carer
    why: str


def likely_duplicates(queryset) -> list[LikelyPair]:
    """Pairs of registrations among ``queryset`` that are likely the same carer, to be merged by a
    person. Only carers sharing a date of birth are compared (an index finds them)."""
    shared = (queryset.filter(merged_into__isnull=True).values("born_on").order_by()
              .annotate(n=Count("pk")).filter(n__gt=1)
              .values("born_on"))
    by_birthday: dict[dt.date, list[Carer]] = {}
    for carer in (queryset.filter(merged_into__isnull=True, born_on__in=shared)
                  .select_related("registered_by").order_by("born_on", "registered_on", "pk")):
        by_birthday.setdefault(carer.born_on, []).append(carer)
    pairs = []
    for group in by_birthday.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
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
