"""The carers register's rules: who is a young carer, which registrations are likely the same
person, and who may have a Time for Me voucher. Pure.

- **Young carers** are those under 18 on the day in question; the register shows them only
  to those who may safeguard them.
- **Likely the same carer**: two registrations with the same date of birth and either the
  same name, or the same postcode, the same family name and given names that begin alike
  (Jo and Joanne). Names are compared without case, accents, spaces, hyphens or apostrophes;
  postcodes without case or spaces. A likely duplicate is shown to a person to merge, never
  merged by the machine.
- **Held back**: until a person merges the pair or dismisses it (with a reason), the later
  registration of a likely duplicate pair is held back from everything that counts or pays
  per carer: KPI figures, the member's new-carer payment, the year's performance share and a
  voucher. One person is counted and paid for once, whoever registered them first.
- **Time for Me vouchers**: a carer giving more than a set number of hours of care a week
  (10 in the seed) may have a voucher of a set amount (£150) once a year; while the period's
  budget has room for it the voucher is granted, and after that the carer waits in turn.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import format_gbp

ADULT_AGE = 18


def age_on(born: dt.date, day: dt.date) -> int:
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def is_young_carer(born: dt.date, day: dt.date) -> bool:
    return age_on(born, day) < ADULT_AGE


def name_key(name: str) -> str:
    """A name as compared: no case, accents, spaces, hyphens or apostrophes."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.casefold() if c.isalnum())


def postcode_key(postcode: str) -> str:
    return "".join(postcode.split()).upper()


@dataclass(frozen=True)
class CarerFacts:
    key: str  # the register's id, or anything the caller knows the record by
    given_name: str
    family_name: str
    born: dt.date
    postcode: str


def why_the_same(a: CarerFacts, b: CarerFacts) -> str:
    """Why ``a`` and ``b`` are likely the same carer, or "" if they are not."""
    if a.born != b.born:
        return ""
    given_a, given_b = name_key(a.given_name), name_key(b.given_name)
    family_a, family_b = name_key(a.family_name), name_key(b.family_name)
    if (given_a, family_a) == (given_b, family_b) or (given_a, family_a) == (family_b, given_b):
        return "The same name and date of birth"
    alike = given_a and given_b and (given_a.startswith(given_b) or given_b.startswith(given_a))
    if family_a == family_b and alike and postcode_key(a.postcode) == postcode_key(b.postcode):
        return "The same date of birth, postcode and family name, and given names that begin alike"
    return ""


def likely_duplicates(new: CarerFacts, existing: list[CarerFacts]) -> list[tuple[str, str]]:
    """The existing registrations ``new`` is likely the same carer as: (key, why), in their order."""
    return [(other.key, why) for other in existing if other.key != new.key and (why := why_the_same(new, other))]


def held_back(registrations: list[CarerFacts], dismissed: set[frozenset[str]]) -> dict[str, tuple[str, str]]:
    """The registrations held back as likely duplicates: ``{later key: (earlier key, why)}``, each
    held for the first earlier registration it is likely the same carer as, unless a person
    dismissed that pair. ``registrations`` in the order they were made."""
    found = {}
    for i, later in enumerate(registrations):
        for earlier in registrations[:i]:
            if frozenset((earlier.key, later.key)) not in dismissed and (why := why_the_same(earlier, later)):
                found[later.key] = (earlier.key, why)
                break
    return found


@dataclass(frozen=True)
class VoucherTerms:
    amount_pence: int = 15_000
    more_than_hours: Decimal = Decimal(10)
    # Time for Me is for adult carers (the seed's offer); young carers have their own.
    from_age: int = ADULT_AGE


@dataclass(frozen=True)
class VoucherDecision:
    outcome: str  # "granted", "waiting" or "not eligible"
    reason: str


def _hours(hours: Decimal) -> str:
    """Hours as people write them: 10, 12.5 (never 10.0)."""
    return f"{hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours:f}"


def voucher_decision(terms: VoucherTerms, hours_a_week: Decimal, had_one_this_year: bool,
                     budget_left_pence: int, age: int) -> VoucherDecision:
    if age < terms.from_age:
        return VoucherDecision("not eligible", f"A voucher is for carers aged {terms.from_age} or over; this carer "
                                               f"is {age}: young carers have their own offer")
    if hours_a_week <= terms.more_than_hours:
        return VoucherDecision("not eligible", f"A voucher is for carers giving more than "
                                               f"{_hours(terms.more_than_hours)} hours of care a week; this carer "
                                               f"gives {_hours(hours_a_week)}")
    if had_one_this_year:
        return VoucherDecision("not eligible", "This carer has had a voucher this year")
    if budget_left_pence < terms.amount_pence:
        return VoucherDecision("waiting", f"This period's budget has {format_gbp(max(budget_left_pence, 0))} left, "
                                          f"less than a voucher's {format_gbp(terms.amount_pence)}: the carer "
                                          "waits in turn for the next budget")
    return VoucherDecision("granted", f"A voucher of {format_gbp(terms.amount_pence)}: more than "
                                      f"{_hours(terms.more_than_hours)} hours of care a week")
