"""The Adult Social Care Client Level Data (CLD) return, Release 1 (mandatory since April 2023):
the fields Caremarket fills, the code lists it checks them against, and the check of one row.
Pure: values in, problems out.

Where the code lists come from. The field names, and the lists of client types, event types,
service types, delivery mechanisms and event outcomes, are those NHS England's published CLD
processing code (its SALT and ASCOF replication scripts, which name "the Defined List in CLD
spec") filters on. The lists of service components and of cost frequencies were not found in
any published source we could read: the values below are Caremarket's reading of the
specification, a council checks them against the specification it is sent, and both are only
ever reached through the council's own editable mapping (models.CodeMapping). docs/integration.md
says the same."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from caremarket.citizens.client_records import nhs_number_problem

CLIENT_TYPES = frozenset({"Service User", "Carer", "Carer known by association"})
EVENT_TYPES = frozenset({"Request", "Assessment", "Service", "Review"})
SERVICE_TYPES = frozenset({
    "Long Term Support: Nursing Care", "Long Term Support: Residential Care", "Long Term Support: Community",
    "Long Term Support: Prison", "Short Term Support: ST-Max", "Short Term Support: Ongoing Low Level",
    "Short Term Support: Other Short Term", "Carer Support: Direct to Carer",
    "Carer Support: Support involving the person cared-for"})
DELIVERY_MECHANISMS = frozenset({"Direct Payment", "CASSR Managed Personal Budget", "CASSR Commissioned Support"})
EVENT_OUTCOMES = frozenset({
    "Progress to Reablement/ST-Max", "Progress to Assessment", "Admitted to hospital",
    "Progress to Re-assessment / Unplanned Review", "Progress to Support Planning / Services",
    "Progress to End of Life Care", "No change in package", "Service ended as planned",
    "NFA - Moved to another LA", "NFA - 100% NHS funded care", "NFA - Self-funded client (Inc. 12wk disregard)",
    "NFA - Support declined", "NFA - Information & Advice / Signposting only", "NFA - Deceased",
    "NFA - No services offered: Other reason", "NFA - Support ended: Other reason",
    "Progress to financial assessment", "Provision of service", "NFA- Other"})
# Not found published (see above): Caremarket's reading, reached only through the council's mapping.
SERVICE_COMPONENTS = frozenset({
    "Home Support", "Reablement", "Residential Care", "Nursing Care", "Supported Living", "Carer Respite",
    "Short Break", "Day Care", "Equipment", "Other"})
COST_FREQUENCIES = frozenset({"Hourly", "Daily", "Weekly", "Fortnightly", "4-Weekly", "Monthly", "Annually",
                              "One-off"})
# Where a delivery mechanism is expected: NHS England's processing blanks it for bed-based care.
WITH_DELIVERY_MECHANISM = frozenset({"Long Term Support: Community", "Long Term Support: Prison",
                                     "Carer Support: Direct to Carer"})


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = False
    kind: str = "text"  # text, date, code, money, units, nhs_number, cqc_location
    codes: frozenset | None = None
    max_length: int = 100


FIELDS = (
    Field("LA_Code", True, max_length=3),
    Field("LA_Name", True),
    Field("Reporting_Period_Start_Date", True, "date"),
    Field("Reporting_Period_End_Date", True, "date"),
    Field("Client_Type", True, "code", CLIENT_TYPES),
    Field("LA_Person_Unique_Identifier", True, max_length=50),
    Field("NHS_Number", kind="nhs_number"),
    Field("Date_of_Birth", kind="date"),
    Field("Date_of_Death", kind="date"),
    Field("Event_Type", True, "code", EVENT_TYPES),
    Field("Event_Reference", True, max_length=50),
    Field("Event_Start_Date", True, "date"),
    Field("Event_End_Date", kind="date"),
    Field("Event_Outcome", kind="code", codes=EVENT_OUTCOMES),
    Field("Service_Type", kind="code", codes=SERVICE_TYPES),
    Field("Service_Component", kind="code", codes=SERVICE_COMPONENTS),
    Field("Delivery_Mechanism", kind="code", codes=DELIVERY_MECHANISMS),
    Field("Provider_CQC_Location_ID", kind="cqc_location", max_length=15),
    Field("Unit_Cost", kind="money"),
    Field("Cost_Frequency", kind="code", codes=COST_FREQUENCIES),
    Field("Planned_Units_Per_Week", kind="units"),
)
HEADER = [f.name for f in FIELDS]
CQC_LOCATION = re.compile(r"1-\d{9,11}")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _field_problem(field: Field, value: str) -> str | None:
    if not value:
        return "is required" if field.required else None
    if len(value) > field.max_length:
        return f"is longer than {field.max_length} characters"
    if field.kind == "date" and _date(value) is None:
        return "must be a real date, written YYYY-MM-DD"
    if field.kind == "code" and value not in field.codes:
        return f"'{value[:60]}' is not on the specification's list"
    if field.kind == "nhs_number" and nhs_number_problem(value):  # its words name the number: not on a page
        return "is not an NHS number: 10 digits, the last a modulus 11 check digit"
    if field.kind == "cqc_location" and not CQC_LOCATION.fullmatch(value):
        return "must be a CQC location id, like 1-123456789"
    if field.kind in ("money", "units"):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return "must be a number"
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
            return "must be a number of at least 0, to 2 decimal places"
        if field.kind == "units" and amount > 168:
            return "is more than the 168 hours in a week"
    return None


def problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """What is wrong with one row, each as (field, message); empty when it meets the rules."""
    found = [(f.name, message) for f in FIELDS if (message := _field_problem(f, row.get(f.name, "")))]
    bad = {name for name, _ in found}
    dates = {name: _date(row.get(name, "")) for name in (
        "Reporting_Period_Start_Date", "Reporting_Period_End_Date", "Event_Start_Date", "Event_End_Date",
        "Date_of_Birth", "Date_of_Death")}
    period_start, period_end = dates["Reporting_Period_Start_Date"], dates["Reporting_Period_End_Date"]
    start, end = dates["Event_Start_Date"], dates["Event_End_Date"]
    if period_start and period_end and period_end < period_start:
        found.append(("Reporting_Period_End_Date", "is before the reporting period starts"))
    if start and end and end < start:
        found.append(("Event_End_Date", "is before the event starts"))
    if start and period_end and start > period_end:
        found.append(("Event_Start_Date", "is after the reporting period ends"))
    if end and period_start and end < period_start:
        found.append(("Event_End_Date", "is before the reporting period starts"))
    if dates["Date_of_Birth"] and dates["Date_of_Death"] and dates["Date_of_Death"] < dates["Date_of_Birth"]:
        found.append(("Date_of_Death", "is before the date of birth"))
    if end and not row.get("Event_Outcome") and "Event_Outcome" not in bad:
        found.append(("Event_Outcome", "is required for an event that has ended"))
    if row.get("Event_Type") == "Service":
        for name in ("Service_Type", "Service_Component"):
            if not row.get(name) and name not in bad:
                found.append((name, "is required for a service event"))
    if row.get("Delivery_Mechanism") and row.get("Service_Type") not in WITH_DELIVERY_MECHANISM:
        found.append(("Delivery_Mechanism", "is only given for community, prison and direct carer support"))
    return found


@dataclass(frozen=True)
class Quarter:
    """A quarter of the financial year: the first runs from April to June."""
    start_year: int
    number: int

    @property
    def starts_on(self) -> dt.date:
        month = 3 * self.number + 1
        return dt.date(self.start_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self) -> dt.date:
        following = Quarter(self.start_year + (self.number == 4), self.number % 4 + 1)
        return following.starts_on - dt.timedelta(days=1)

    @property
    def due_on(self) -> dt.date:
        """The return is due by the end of the month after the quarter."""
        month_after = self.ends_on + dt.timedelta(days=1)
        return (month_after.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return (f"{self.start_year}/{(self.start_year + 1) % 100:02d} quarter {self.number}: "
                f"{self.starts_on:%B} to {self.ends_on:%B %Y}")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        start_year = day.year if day.month >= 4 else day.year - 1
        return cls(start_year, (day.month - 4) % 12 // 3 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.start_year - (self.number == 1), (self.number - 2) % 4 + 1)
