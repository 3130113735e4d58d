"""A micro-tender as Open Contracting Data Standard 1.1 releases: plain facts in, release dicts out.

One contracting process (one ``ocid``) per care requirement that was tendered, linked to the
framework it was tendered under. Its releases, each dated when it happened:

- each round of the tender when it opened (``tender``; a later, widened round ``tenderUpdate``),
- a round that closed with no offer, when the requirement went unmet (``tenderUpdate``,
  unsuccessful), or the tender's cancellation (``tenderCancellation``),
- the award and its contract together (``award``, ``contract``),
- each approved change to the contract (``contractAmendment``) and its end
  (``contractTermination``).

What is published is what a market needs and nothing that could pick out the person cared for:
the service type, the area (one of five), the hours a week, the dates of the process, the
number of offers, the provider awarded and the price. Never the citizen, the assessment, the
requirement's own words, a ward, a postcode, or why a package ended (unless the provider
handed it back, which is about the provider).

Amounts are pounds as JSON numbers: whole pounds as integers, otherwise the two-decimal value
(exact pence in the database; printed to two places, a JSON number says the same).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CPV_WITH_ACCOMMODATION = ("85311000", "Social work services with accommodation")
CPV_WITHOUT_ACCOMMODATION = ("85312000", "Social work services without accommodation")
HANDED_BACK = "handed_back"


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    companies_house_number: str = ""

    def as_ocds(self, roles: list[str]) -> dict:
        party = {"id": self.id, "name": self.name, "roles": roles}
        if self.companies_house_number:
            party["identifier"] = {"scheme": "GB-COH", "id": self.companies_house_number, "legalName": self.name}
        return party

    def reference(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Round:
    number: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: str  # open, closed, cancelled
    closed_at: dt.datetime | None
    offers: int


@dataclass(frozen=True)
class Change:
    id: int
    kind: str  # price, suspension, end
    label: str
    decided_at: dt.datetime
    effective_from: dt.date
    end_cause: str = ""
    weekly_price_pence: int | None = None
    hourly_rate_pence: int | None = None
    weekly_hours: Decimal | None = None


@dataclass(frozen=True)
class Award:
    reference: str
    awarded_at: dt.datetime
    supplier: Party
    weekly_price_pence: int
    hourly_rate_pence: int | None
    weekly_hours: Decimal | None
    start_on: dt.date
    end_on: dt.date | None


@dataclass(frozen=True)
class Process:
    reference: str
    service_type: str
    bed_based: bool
    area: str
    weekly_hours: Decimal | None
    status: str  # the requirement's: tendering, no_offers, awarded, cancelled…
    rounds: list[Round]
    award: Award | None = None
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Publication:
    """Who publishes, and the framework every micro-tender is called off."""

    ocid_prefix: str
    buyer: Party
    framework_ocid: str
    framework_name: str


def ocid(publication: Publication, reference: str) -> str:
    return f"{publication.ocid_prefix}-{reference}"


def amount(pence: int) -> dict:
    pounds = Decimal(pence) / 100
    return {"amount": int(pounds) if pence % 100 == 0 else float(pounds.quantize(Decimal("0.01"))),
            "currency": "GBP"}


def moment(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _items(process: Process, *, weekly_price_pence: int | None = None, hourly_rate_pence: int | None = None,
           weekly_hours: Decimal | None = None) -> list[dict]:
    code, description = CPV_WITH_ACCOMMODATION if process.bed_based else CPV_WITHOUT_ACCOMMODATION
    item = {"id": "1", "description": f"{process.service_type} in {process.area}",
            "classification": {"scheme": "CPV", "id": code, "description": description}}
    hours = weekly_hours if weekly_hours is not None else process.weekly_hours
    if hours is not None and not process.bed_based:
        item |= {"quantity": _number(hours), "unit": {"name": "Hours a week"}}
        if hourly_rate_pence:
            item["unit"]["value"] = amount(hourly_rate_pence)
    else:
        item |= {"quantity": 1, "unit": {"name": "Week"}}
        if weekly_price_pence is not None:
            item["unit"]["value"] = amount(weekly_price_pence)
    return [item]


def _tender(publication: Publication, process: Process, round_: Round, status: str) -> dict:
    return {
        "id": process.reference,
        "title": f"{process.service_type}, {process.area}"
                 + (f", {process.weekly_hours.normalize():f} hours a week" if process.weekly_hours else ""),
        "status": status,
        "procuringEntity": publication.buyer.reference(),
        "items": _items(process),
        "procurementMethod": "selective",
        "procurementMethodDetails": "Micro-tender: a call-off among the framework's approved providers"
                                    + (f" (round {round_.number}, wider area)" if round_.number > 1 else ""),
        "mainProcurementCategory": "services",
        "tenderPeriod": {"startDate": moment(round_.opens_at), "endDate": moment(round_.closes_at)},
        "numberOfTenderers": round_.offers,
    }


def _release(publication: Publication, process: Process, suffix: str, on: dt.datetime, tags: list[str],
             **parts) -> dict:
    parties = [publication.buyer.as_ocds(["buyer", "procuringEntity"])]
    if "awards" in parts:
        parties.append(process.award.supplier.as_ocds(["supplier"]))
    return {
        "ocid": ocid(publication, process.reference),
        "id": f"{process.reference}-{suffix}",
        "date": moment(on),
        "tag": tags,
        "initiationType": "tender",
        "parties": parties,
        "buyer": publication.buyer.reference(),
        "relatedProcesses": [{"id": "framework", "relationship": ["framework"], "title": publication.framework_name,
                              "scheme": "ocid", "identifier": publication.framework_ocid}],
        **parts,
    }


def _contract(process: Process, award: Award, status: str, *, changes: list[Change], end_on: dt.date | None) -> dict:
    latest = next((c for c in reversed(changes) if c.kind == "price"), None)
    price = latest.weekly_price_pence if latest and latest.weekly_price_pence is not None else award.weekly_price_pence
    contract = {
        "id": award.reference,
        "awardID": award.reference,
        "status": status,
        "period": {"startDate": moment(award.start_on)} | ({"endDate": moment(end_on)} if end_on else {}),
        "value": amount(price),
        "items": _items(process, weekly_price_pence=price,
                        hourly_rate_pence=(latest.hourly_rate_pence if latest else None) or award.hourly_rate_pence,
                        weekly_hours=(latest.weekly_hours if latest else None) or award.weekly_hours),
        "dateSigned": moment(award.awarded_at),
    }
    if changes:
        contract["amendments"] = [{"id": str(c.id), "date": moment(c.decided_at), "rationale": c.label}
                                  for c in changes]
    return contract


def releases(publication: Publication, process: Process) -> list[dict]:
    """Every release of the process, oldest first."""
    found = []
    last = process.rounds[-1] if process.rounds else None
    for round_ in process.rounds:
        found.append(_release(publication, process, f"tender-{round_.number}", round_.opens_at,
                              ["tender"] if round_.number == 1 else ["tenderUpdate"],
                              tender=_tender(publication, process, round_, "active")))
    if last and last.closed_at and process.award is None:
        if last.status == "cancelled" or process.status == "cancelled":
            found.append(_release(publication, process, "cancelled", last.closed_at, ["tenderCancellation"],
                                  tender=_tender(publication, process, last, "cancelled")))
        elif process.status == "no_offers":
            found.append(_release(publication, process, "unsuccessful", last.closed_at, ["tenderUpdate"],
                                  tender=_tender(publication, process, last, "unsuccessful")))
    award = process.award
    if award is None:
        return found
    awarded_round = last or Round(1, award.awarded_at, award.awarded_at, "closed", award.awarded_at, 0)
    award_part = {"id": award.reference, "status": "active", "date": moment(award.awarded_at),
                  "value": amount(award.weekly_price_pence), "suppliers": [award.supplier.reference()],
                  "items": _items(process, weekly_price_pence=award.weekly_price_pence,
                                  hourly_rate_pence=award.hourly_rate_pence, weekly_hours=award.weekly_hours),
                  "contractPeriod": {"startDate": moment(award.start_on)}}
    tender = _tender(publication, process, awarded_round, "complete")
    found.append(_release(publication, process, "award", award.awarded_at, ["award", "contract"], tender=tender,
                          awards=[award_part],
                          contracts=[_contract(process, award, "active", changes=[], end_on=None)]))
    for number, change in enumerate(process.changes, start=1):
        so_far = process.changes[:number]
        ended = change.kind == "end"
        tags = ["contractTermination"] if ended else ["contractAmendment"]
        end_on = change.effective_from if ended else None  # an end's effective day is the package's last
        found.append(_release(publication, process, f"change-{change.id}", change.decided_at, tags, tender=tender,
                              awards=[award_part],
                              contracts=[_contract(process, award, "terminated" if ended else "active",
                                                   changes=so_far, end_on=end_on)]))
    return sorted(found, key=lambda release: release["date"])


def change_label(kind_label: str, end_cause: str, end_cause_label: str) -> str:
    """What a published amendment says: its kind, and the cause of an end only when the provider
    handed the package back (any other cause is about the person cared for)."""
    return f"{kind_label}: {end_cause_label}" if end_cause == HANDED_BACK else kind_label

