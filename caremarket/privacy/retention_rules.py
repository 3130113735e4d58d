"""How long personal data is kept: a pure rule.

A kind of record is kept for a period after an event (a citizen's record eight years after
their last service ended); the council sets the period, the kinds and their events are these.
Nothing here reads the database: ``privacy.retention`` finds the records whose event fell on or
before ``cut_off`` and does what the kind says.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MOST_YEARS = 100  # longer than anyone's record is kept: a mistyped period, not a policy


@dataclass(frozen=True)
class Kind:
    label: str
    after: str  # the event the period runs from, in words
    action: str  # what happens when it has passed, in words
    holdable: bool  # a legal hold on the person stops it


KINDS = {
    "citizen": Kind("A citizen's record", "their last service ended, or their last assessment if care was never "
                    "arranged (never while a care package is open)",
                    "Anonymised: name, NHS number, address and date of birth removed (the year of birth and the "
                    "postcode district kept for statistics), with what their assessments and requirements say of "
                    "them; their packages and payments kept", True),
    "carer": Kind("A carer on the carers register", "they left the register",
                  "Anonymised: name, e-mail, date of birth and who they care for removed (the year of birth and the "
                  "postcode district kept for the consortium's figures), the e-mails sent to them deleted; their "
                  "vouchers, bookings and payments kept", True),
    "access_log": Kind("Who looked at citizens' records", "the record was looked at", "Deleted", False),
    "email": Kind("Copies of e-mails the service sent", "the e-mail was sent", "Deleted", False),
    "event_details": Kind("A citizen's details sent to the council's other systems", "the event happened",
                          "The citizen's details removed from the event; the event itself kept", False),
}


def period_problems(years, months) -> list[str]:
    """What is wrong with a period, in words for the person setting it (none when it is fine)."""
    problems = []
    if not isinstance(years, int) or years < 0:
        problems.append("Years must be a whole number, 0 or more")
    elif years > MOST_YEARS:
        problems.append(f"Years must be {MOST_YEARS} or fewer")
    if not isinstance(months, int) or not 0 <= months <= 11:
        problems.append("Months must be a whole number from 0 to 11")
    if not problems and years == months == 0:
        problems.append("A period must be at least a month: a record is never deleted the day it is made")
    return problems


def cut_off(today: dt.date, years: int, months: int = 0) -> dt.date:
    """The last day an event may have happened for its record's period to have passed by
    ``today``: the same day of the month, ``years`` and ``months`` earlier (29 February, or a
    31st, falls back to the month's last day)."""
    if problems := period_problems(years, months):
        raise ValueError("; ".join(problems))
    month_index = today.year * 12 + today.month - 1 - years * 12 - months
    year, month = divmod(month_index, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def has_passed(event_on: dt.date | None, today: dt.date, years: int, months: int = 0) -> bool:
    """Whether a record whose event was on ``event_on`` has been kept its period by ``today``
    (never, while its event has not happened)."""
    return event_on is not None and event_on <= cut_off(today, years, months)


def last_service(package_ends: list[dt.date | None], assessed_on: list[dt.date]) -> dt.date | None:
    """The event a citizen's record is kept from: the day their last package ended, or their last
    assessment if that was later or care was never arranged; None while a package is open or
    nothing is known of them."""
    if any(end is None for end in package_ends):
        return None
    days = [day for day in package_ends + assessed_on if day is not None]
    return max(days) if days else None


def period_words(years: int, months: int) -> str:
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    parts += [f"{months} month{'s' if months != 1 else ''}"] if months else []
    return " and ".join(parts)
