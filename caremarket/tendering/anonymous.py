"""The requirement as a provider sees it: where, how old (a band), what is needed and when;
never the citizen's name, date of birth, address, NHS number or council record number."""

from __future__ import annotations

from caremarket.citizens.anonymise import anonymised_requirement
from caremarket.core import clock

from .models import CareRequirement


def for_provider(requirement: CareRequirement) -> dict:
    view = anonymised_requirement(
        date_of_birth=requirement.citizen.date_of_birth, today=clock.today(), area=requirement.area.name,
        ward=requirement.ward.name if requirement.ward else None, service_type=requirement.service_type.name,
        need_groups=[n.name for n in requirement.need_groups.all()], eligible_needs=requirement.eligible_needs,
        outcomes=requirement.outcomes, weekly_hours=requirement.weekly_hours)
    return view | {
        "reference": requirement.reference,  # the requirement's own number, not the citizen's
        "preferences": requirement.preferences,
        "visit_pattern": requirement.visit_pattern,
        "accommodation": requirement.accommodation,
        "start_on": requirement.start_on,
        "urgency": requirement.get_urgency_display(),
    }
