"""What a provider may know about a citizen: no name, date of birth, address or record number."""

from __future__ import annotations

import datetime as dt

AGE_BANDS = ((18, 24), (25, 44), (45, 64), (65, 74), (75, 84), (85, None))


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_band(age: int) -> str:
    if age < 18:
        return "under 18"
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low} and over" if high is None else f"{low} to {high}"
    raise AssertionError("unreachable")


def anonymised_requirement(*, date_of_birth, today, area, ward, service_type, need_groups, eligible_needs,
                           outcomes, weekly_hours) -> dict:
    """The fields of an assessment a provider is shown. Free text is the social worker's
    responsibility to write without identifying details; it is passed through as written."""
    return {
        "area": area,
        "ward": ward,
        "age_band": age_band(age_on(date_of_birth, today)),
        "service_type": service_type,
        "need_groups": sorted(need_groups),
        "eligible_needs": eligible_needs,
        "outcomes": outcomes,
        "weekly_hours": None if weekly_hours is None else str(weekly_hours),
    }
