"""What the council's client record system (Mosaic, Liquidlogic, Eclipse…) sends Caremarket:
people and their assessments, one row each, keyed by the sender's own ids. Each row is checked
field by field before anything is stored, and every problem names its field. Pure: the row and
what the service knows (its service types, need groups, wards and social workers by the codes the
sender uses) go in; the values to store, or the problems, come out.

A person: ``person_id`` (the council's person id: Caremarket's council record number),
``given_name``, ``family_name``, ``date_of_birth``, ``nhs_number`` (optional; ten digits whose
last is the modulus 11 check digit), ``address``, ``postcode``, ``ward`` (optional: the ward's
ONS code), ``social_worker`` (optional: their e-mail address), ``date_of_death`` (optional).

An assessment: ``assessment_id`` (the sender's), ``person_id``, ``assessed_on``,
``service_type`` and ``need_groups`` (codes; need groups separated by ``;``),
``eligible_needs``, ``outcomes``, ``weekly_hours`` or ``weekly_budget`` (pounds, optional),
``status`` (assessed, awaiting_service, receiving_service or closed).

Dates are written as the ISO standard does (2026-11-23), the way systems exchange them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from caremarket.core import cleaning
from caremarket.core.money import MoneyError, to_pence
from caremarket.geography.postcodes import PostcodeError, normalise

PERSON_FIELDS = ("person_id", "given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode",
                 "ward", "social_worker", "date_of_death")
ASSESSMENT_FIELDS = ("assessment_id", "person_id", "assessed_on", "service_type", "need_groups", "eligible_needs",
                     "outcomes", "weekly_hours", "weekly_budget", "status")
STATUSES = ("assessed", "awaiting_service", "receiving_service", "closed")
LONGEST = {"person_id": 20, "assessment_id": 40, "given_name": 100, "family_name": 100, "address": 500,
           "eligible_needs": 5000, "outcomes": 5000}
MOST_HOURS = Decimal(168)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


@dataclass(frozen=True)
class Problem:
    row: int  # counted from 1, as a person reading the file or the list would
    field: str
    message: str

    def __str__(self):
        return f"Row {self.row:,}, {self.field}: {self.message}"


@dataclass(frozen=True)
class Known:
    """What the service holds that a row may name, by the code the sender uses."""

    service_types: dict[str, int]  # code → id
    need_groups: dict[str, int]
    wards: dict[str, int]  # ONS code → id
    social_workers: dict[str, int]  # e-mail address (lower case) → id


def nhs_number_problem(number: str) -> str | None:
    """Why this is not an NHS number, or None: ten digits, the last the modulus 11 check digit
    of the first nine (weighted 10 down to 2; a check of 10 is never issued)."""
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return "must be 10 digits"
    check = 11 - sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(number[9]):
        return f"{number} fails the NHS number's check digit: check it was copied correctly"
    return None


class _Row:
    """Reads one row's fields, collecting a problem for each that is wrong."""

    def __init__(self, number: int, raw: dict):
        self.number, self.raw, self.problems = number, raw, []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.number, field, message))

    def text(self, field: str, *, required: bool = True, multiline: bool = False) -> str:
        value = self.raw.get(field)
        value = "" if value is None else value
        if not isinstance(value, str):
            value = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
            if value is None:
                self.fail(field, "must be text")
                return ""
        value = value.strip()
        if not value:
            if required:
                self.fail(field, "is missing")
            return ""
        if why := cleaning.problem(value, multiline=multiline):
            self.fail(field, why)
        elif len(value) > LONGEST.get(field, 200):
            self.fail(field, f"is longer than {LONGEST.get(field, 200):,} characters")
        return value

    def date(self, field: str, *, required: bool = True) -> dt.date | None:
        value = self.text(field, required=required)
        if not value:
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"'{value[:20]}' is not a real date written like 2026-11-23")
            return None

    def code(self, field: str, codes: dict[str, int], what: str, *, required: bool = True) -> int | None:
        value = self.text(field, required=required)
        if value and value.lower() not in codes:
            self.fail(field, f"'{value[:40]}' is not one of the {what} Caremarket knows")
        return codes.get(value.lower()) if value else None


def read_person(number: int, raw: dict, known: Known, today: dt.date) -> tuple[dict, list[Problem]]:
    """A person's values to store (keyed as the Citizen's fields), and the row's problems."""
    row = _Row(number, raw)
    values = {"reference": row.text("person_id"), "given_name": row.text("given_name"),
              "family_name": row.text("family_name"), "date_of_birth": row.date("date_of_birth"),
              "address": row.text("address", multiline=True), "nhs_number": row.text("nhs_number", required=False),
              "ward_id": row.code("ward", known.wards, "wards", required=False),
              "social_worker_id": row.code("social_worker", known.social_workers, "council staff",
                                           required=False),
              "died_on": row.date("date_of_death", required=False)}
    if values["nhs_number"] and (why := nhs_number_problem(values["nhs_number"].replace(" ", ""))):
        row.fail("nhs_number", why)
    values["nhs_number"] = values["nhs_number"].replace(" ", "")
    postcode = row.text("postcode")
    try:
        values["postcode"] = normalise(postcode) if postcode else ""
    except PostcodeError as error:
        row.fail("postcode", str(error))
    born, died = values["date_of_birth"], values["died_on"]
    if born and born > today:
        row.fail("date_of_birth", "is in the future")
    if died and died > today:
        row.fail("date_of_death", "is in the future")
    if born and died and died < born:
        row.fail("date_of_death", "is before the date of birth")
    return values, row.problems


def read_assessment(number: int, raw: dict, known: Known, today: dt.date) -> tuple[dict, list[Problem]]:
    """An assessment's values to store (keyed as the Assessment's fields, with ``person_id``
    and ``need_group_ids``), and the row's problems."""
    row = _Row(number, raw)
    values = {"source_id": row.text("assessment_id"), "person_id": row.text("person_id"),
              "assessed_on": row.date("assessed_on"),
              "service_type_id": row.code("service_type", known.service_types, "service types"),
              "eligible_needs": row.text("eligible_needs", multiline=True),
              "outcomes": row.text("outcomes", multiline=True)}
    groups = [code.strip() for code in row.text("need_groups", required=False).split(";") if code.strip()]
    unknown = [code for code in groups if code.lower() not in known.need_groups]
    if unknown:
        row.fail("need_groups", f"'{unknown[0][:40]}' is not one of the need groups Caremarket knows")
    values["need_group_ids"] = sorted({known.need_groups[c.lower()] for c in groups if c.lower() in known.need_groups})
    hours = row.text("weekly_hours", required=False)
    values["weekly_hours"] = None
    if hours:
        try:
            values["weekly_hours"] = Decimal(hours) if hours.isascii() else Decimal("nan")
            if not values["weekly_hours"].is_finite() or not 0 <= values["weekly_hours"] <= MOST_HOURS \
                    or values["weekly_hours"] != values["weekly_hours"].quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            row.fail("weekly_hours", f"'{hours[:20]}' is not a number of hours from 0 to 168, to two places")
            values["weekly_hours"] = None
    budget = row.text("weekly_budget", required=False)
    values["weekly_budget_pence"] = None
    if budget:
        try:
            values["weekly_budget_pence"] = to_pence(budget)
            if values["weekly_budget_pence"] < 0:
                raise MoneyError("a budget cannot be less than nothing")
        except MoneyError as error:
            row.fail("weekly_budget", str(error))
            values["weekly_budget_pence"] = None
    status = row.text("status", required=False) or "assessed"
    if status not in STATUSES:
        row.fail("status", f"'{status[:30]}' is not one of {', '.join(STATUSES)}")
    values["status"] = status
    if values["assessed_on"] and values["assessed_on"] > today:
        row.fail("assessed_on", "is in the future")
    return values, row.problems


def repeated_keys(keys: list[str]) -> dict[int, int]:
    """Rows whose key an earlier row of the same batch already has: row → the earlier row."""
    first, repeated = {}, {}
    for number, key in enumerate(keys, start=1):
        if key in first:
            repeated[number] = first[key]
        elif key:
            first[key] = number
    return repeated
