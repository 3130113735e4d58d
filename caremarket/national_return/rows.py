"""One CLD row from the facts of a care package or a carer's support, through the council's
mapping. Pure: facts and mapping in, the row and what could not be mapped out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import to_pounds

from .specification import WITH_DELIVERY_MECHANISM, Quarter

Mapping = dict[str, dict[str, str]]  # kind → {our value: the return's code}


@dataclass(frozen=True)
class Council:
    code: str
    name: str


@dataclass(frozen=True)
class PackageFacts:
    reference: str
    person_id: str
    nhs_number: str
    born_on: dt.date
    died_on: dt.date | None
    service_type: str  # our code
    service_name: str
    route: str
    start_on: dt.date
    end_on: dt.date | None
    end_cause: str  # our end cause, "" while live
    cqc_location_id: str
    weekly_price_pence: int
    hourly_rate_pence: int | None
    weekly_hours: Decimal | None


@dataclass(frozen=True)
class CarerFacts:
    reference: str  # an assessment's or a voucher's
    register_number: str
    event_type: str  # Assessment or Service
    on: dt.date
    amount_pence: int | None = None


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _common(council: Council, quarter: Quarter) -> dict[str, str]:
    return {"LA_Code": council.code, "LA_Name": council.name,
            "Reporting_Period_Start_Date": _day(quarter.starts_on), "Reporting_Period_End_Date": _day(quarter.ends_on)}


def _mapped(mapping: Mapping, kind: str, ours: str, missing: list[tuple[str, str]], field: str, what: str) -> str:
    theirs = mapping.get(kind, {}).get(ours, "")
    if not theirs:
        missing.append((field, f"No code for {what}"))
    return theirs


def service_event(facts: PackageFacts, mapping: Mapping, council: Council,
                  quarter: Quarter) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The package as a service event in the quarter, and what could not be mapped."""
    missing: list[tuple[str, str]] = []
    service_type = _mapped(mapping, "service_type", facts.service_type, missing, "Service_Type",
                           f"the service type '{facts.service_name}'")
    component = _mapped(mapping, "service_component", facts.service_type, missing, "Service_Component",
                        f"the service component of '{facts.service_name}'")
    delivery = ""
    if service_type in WITH_DELIVERY_MECHANISM:
        delivery = _mapped(mapping, "delivery_mechanism", facts.route, missing, "Delivery_Mechanism",
                           f"care placed by the route '{facts.route}'")
    ended = facts.end_on is not None and facts.end_on <= quarter.ends_on
    outcome = _mapped(mapping, "event_outcome", facts.end_cause or "ended", missing, "Event_Outcome",
                      f"care that ended because '{facts.end_cause or 'it ended'}'") if ended else ""
    hourly = facts.hourly_rate_pence is not None and facts.weekly_hours is not None
    frequency = _mapped(mapping, "cost_frequency", "hourly" if hourly else "weekly", missing, "Cost_Frequency",
                        "an hourly price" if hourly else "a weekly price")
    row = _common(council, quarter) | {
        "Client_Type": "Service User", "LA_Person_Unique_Identifier": facts.person_id,
        "NHS_Number": facts.nhs_number, "Date_of_Birth": _day(facts.born_on), "Date_of_Death": _day(facts.died_on),
        "Event_Type": "Service", "Event_Reference": facts.reference, "Event_Start_Date": _day(facts.start_on),
        "Event_End_Date": _day(facts.end_on) if ended else "", "Event_Outcome": outcome,
        "Service_Type": service_type, "Service_Component": component, "Delivery_Mechanism": delivery,
        "Provider_CQC_Location_ID": facts.cqc_location_id,
        "Unit_Cost": str(to_pounds(facts.hourly_rate_pence if hourly else facts.weekly_price_pence)),
        "Cost_Frequency": frequency,
        "Planned_Units_Per_Week": f"{facts.weekly_hours:.2f}" if hourly else "1"}
    return row, missing


def carer_event(facts: CarerFacts, mapping: Mapping, council: Council,
                quarter: Quarter) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A carer's assessment, or their Time for Me break, known by register number alone."""
    missing: list[tuple[str, str]] = []
    row = _common(council, quarter) | {
        "Client_Type": "Carer", "LA_Person_Unique_Identifier": facts.register_number,
        "Event_Type": facts.event_type, "Event_Reference": facts.reference,
        "Event_Start_Date": _day(facts.on), "Event_End_Date": _day(facts.on)}
    if facts.event_type == "Assessment":
        row["Event_Outcome"] = "Progress to Support Planning / Services"
        return row, missing
    support = {key: _mapped(mapping, "carer_support", key, missing, field, f"carers' support ({key.replace('_', ' ')})")
               for key, field in (("service_type", "Service_Type"), ("service_component", "Service_Component"),
                                  ("delivery_mechanism", "Delivery_Mechanism"), ("cost_frequency", "Cost_Frequency"))}
    row |= {"Event_Outcome": "Service ended as planned", "Service_Type": support["service_type"],
            "Service_Component": support["service_component"], "Delivery_Mechanism": support["delivery_mechanism"],
            "Unit_Cost": str(to_pounds(facts.amount_pence or 0)), "Cost_Frequency": support["cost_frequency"]}
    return row, missing
