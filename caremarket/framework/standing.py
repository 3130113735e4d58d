"""Read what the eligibility rule (framework.eligibility) needs to know of providers for one
piece of care: their approval for the matching sections, any suspension there, and their
lapsed compliance evidence. Ratings of the service that would deliver the care are added by
the caller once the service is known (at the offer)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from caremarket.organisations.models import Organisation

from .compliance import lapsed_evidence
from .eligibility import Standing
from .models import SectionApproval


def section_standings(organisation_ids, *, frameworks, service_type, areas, need_groups,
                      as_of: dt.date, names: dict[int, str] | None = None) -> dict[int, Standing]:
    """Each organisation's standing on the sections for this service in these areas (or
    city-wide) and need groups (or all needs) under these frameworks. ``frameworks``, ``areas`` and ``need_groups``
    may be querysets or expressions, read inside the one query; ``names`` saves reading
    the organisations' names when the caller has them."""
    approvals = (SectionApproval.objects
                 .filter(Q(section__area__in=areas) | Q(section__area__isnull=True),
                         Q(section__need_group__in=need_groups) | Q(section__need_group__isnull=True),
                         organisation_id__in=organisation_ids, section__framework__in=frameworks,
                         section__service_type=service_type)
                 .exclude(status=SectionApproval.Status.REMOVED)
                 .values_list("organisation_id", "status", "status_reason"))
    approved, suspended = set(), {}
    for organisation_id, status, reason in approvals:
        if status == SectionApproval.Status.APPROVED:
            approved.add(organisation_id)
        else:
            suspended.setdefault(organisation_id, reason or "suspended by the council")
    lapsed = lapsed_evidence(organisation_ids, service_type.setting, as_of)
    if names is None:
        names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    return {pk: Standing(provider=names.get(pk, ""), approved=pk in approved or pk in suspended,
                         suspension="" if pk in approved else suspended.get(pk, ""),
                         lapsed_evidence=lapsed.get(pk, ()))
            for pk in organisation_ids}


def delivers_home_support(organisation_id: int | None) -> bool:
    """Whether an organisation is on the framework for care in people's homes (it sends visits
    and states spare hours); a care home or a carers' charity is not."""
    return bool(organisation_id) and SectionApproval.objects.filter(
        organisation=organisation_id, section__service_type__setting="home").exclude(status=SectionApproval.Status.REMOVED).exists()
