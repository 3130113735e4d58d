"""A micro-tender as Open Contracting Data Standard 1.1 releases: plain facts in, release dicts out.

One contracting process (one ``ocid``) per care requirement that was tendered, linked to the
framework it was tendered under. Its releases, each dated when it happened:

- each round of the tender when it opened (``tender``; a later, widened round ``tenderUpdate``),
- a round that closed with no offer, when the requirement went unmet (``tenderUpdate``,
  unsuccessful), or the tender's cancellation (``tenderCancellation``),
- the award and its contract together (``award``, ``contract``),
- each approved change to the contract (``contractAmendment``, naming the release it amends)
  and its end (``contractTermination``).

**What is published cannot point at the person cared for.** Never the citizen, the assessment,
the requirement's own words, a ward, a postcode, or why a package ended (unless the provider
handed it back, which is about the provider), nor why it was suspended. What a neighbour could
know is published only coarsely, and a release only once enough processes share it:

- hours a week in bands (``HOURS_BANDS``: under 5, 5 to under 10 … 30 or more);
- every date by its month: a day is the first of its month (an end, the last);
- amounts to the next ``VALUE_STEP_PENCE`` (£10,000): exact amounts with the published hourly
  fee would give the exact hours back;
- a release is held back until at least *k* contracting processes (a setting, 10 by default)
  share every one of its published facts (``facts``: its dates, amounts, descriptions and
  statuses; not identifiers, the buyer or the supplier). This is k-anonymity: whoever knows
  everything a release says about someone's care still finds at least k processes it could be.

**Values** are totals, not one week's: a package is valued at its first year (52 weeks at its
weekly price), or up to its end when that comes sooner; a tender at 52 weeks of the fixed fee
for the hours asked, where the service has one. Amounts are pounds as JSON numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CPV_WITH_ACCOMMODATION = ("85311000", "Social work services with accommodation")
CPV_WITHOUT_ACCOMMODATION = ("85312000", "Social work services without accommodation")
HANDED_BACK = "handed_back"
LONDON = ZoneInfo("Europe/London")

HOURS_BANDS = (5, 10, 15, 20, 30)  # each band runs up to (not including) the next bound
VALUE_STEP_PENCE = 10_000_00
VALUED_DAYS = 364  # an open-ended package is valued at its first 52 weeks
K_DEFAULT = 10


def hours_band(hours: Decimal) -> str:
    """Hours a week as published: the band they fall in."""
    lower = 0
    for upper in HOURS_BANDS:
        if hours < upper:
            return f"under {upper} hours a week" if lower == 0 else f"{lower} to under {upper} hours a week"
        lower = upper
    return f"{lower} hours a week or more"


def published_pence(pence: int) -> int:
    """An amount as published: up to the next step (never nothing for something)."""
    steps = (Decimal(pence) / VALUE_STEP_PENCE).to_integral_value(ROUND_CEILING)
    return int(steps) * VALUE_STEP_PENCE


def first_year_pence(weekly_pence: int, start_on: dt.date, end_on: dt.date | None) -> int:
    """A package's value: its first 52 weeks at the weekly price, or up to its end if sooner
    (whole pence, half a penny up)."""
    days = VALUED_DAYS if end_on is None else max(min((end_on - start_on).days + 1, VALUED_DAYS), 0)
    return int((Decimal(weekly_pence) * days / 7).to_integral_value("ROUND_HALF_UP"))


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    companies_house_number: str = ""
    cqc_provider_id: str = ""
    street_address: str = ""
    postcode: str = ""
    identifier: tuple[str, str] | None = None  # (scheme, id) where it is not Companies House: a council's

    def as_ocds(self, roles: list[str]) -> dict:
        party = {"id": self.id, "name": self.name, "roles": roles}
        scheme_id = ("GB-COH", self.companies_house_number) if self.companies_house_number else self.identifier
        if scheme_id:
            party["identifier"] = {"scheme": scheme_id[0], "id": scheme_id[1], "legalName": self.name}
        if self.cqc_provider_id:
            party["additionalIdentifiers"] = [{"scheme": "GB-CQC", "id": self.cqc_provider_id,
                                               "legalName": self.name}]
        if self.street_address or self.postcode:
            party["address"] = {"countryName": "United Kingdom"} | (
                {"streetAddress": self.street_address} if self.street_address else {}) | (
                {"postalCode": self.postcode} if self.postcode else {})
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
    fixed_weekly_pence: int | None = None  # the fee schedule's price for what was asked, where it has one


@dataclass(frozen=True)
class Publication:
    """Who publishes, and the framework every micro-tender is called off."""

    ocid_prefix: str
    buyer: Party
    framework_ocid: str
    framework_name: str


class Release(dict):
    """A release as published, knowing when it really happened (``at``: for choosing the
    releases of a window and their order; the published dates are months)."""

    at: dt.datetime


def ocid(publication: Publication, reference: str) -> str:
    return f"{publication.ocid_prefix}-{reference}"


def amount(pence: int) -> dict:
    """An amount as published (``published_pence``), in pounds."""
    pounds = Decimal(published_pence(pence)) / 100
    return {"amount": int(pounds) if pounds == pounds.to_integral_value() else float(pounds), "currency": "GBP"}


def moment(value: dt.datetime | dt.date) -> str:
    """An exact moment, for what is not about anyone's care (when a package was published)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.astimezone(LONDON).date() if isinstance(value, dt.datetime) else value


def month(value: dt.datetime | dt.date) -> str:
    """A day of someone's care as published: the first of its month."""
    return f"{_day(value).replace(day=1).isoformat()}T00:00:00Z"


def month_end(value: dt.date) -> str:
    """The end of a period as published: the last day of its month."""
    day = _day(value)
    return f"{day.replace(day=calendar.monthrange(day.year, day.month)[1]).isoformat()}T00:00:00Z"


def _items(process: Process) -> list[dict]:
    code, description = CPV_WITH_ACCOMMODATION if process.bed_based else CPV_WITHOUT_ACCOMMODATION
    what = f"{process.service_type} in {process.area}"
    if process.weekly_hours is not None and not process.bed_based:
        what += f", {hours_band(process.weekly_hours)}"
    return [{"id": "1", "description": what, "quantity": 1, "unit": {"name": "Care package"},
             "classification": {"scheme": "CPV", "id": code, "description": description}}]


def _tender(publication: Publication, process: Process, round_: Round, status: str) -> dict:
    tender = {
        "id": process.reference,
        "title": _items(process)[0]["description"],
        "description": f"Care for one person, {_items(process)[0]['description'][:1].lower()}"
                       f"{_items(process)[0]['description'][1:]}, called off the framework by micro-tender",
        "status": status,
        "procuringEntity": publication.buyer.reference(),
        "items": _items(process),
        "procurementMethod": "selective",
        "procurementMethodDetails": "Micro-tender: a call-off among the framework's approved providers"
                                    + (f" (round {round_.number}, wider area)" if round_.number > 1 else ""),
        "mainProcurementCategory": "services",
        "tenderPeriod": {"startDate": month(round_.opens_at), "endDate": month_end(_day(round_.closes_at))},
        "numberOfTenderers": round_.offers,
    }
    if process.fixed_weekly_pence:
        tender["value"] = amount(first_year_pence(process.fixed_weekly_pence, _day(round_.opens_at), None))
    return tender


def _release(publication: Publication, process: Process, suffix: str, on: dt.datetime, tags: list[str],
             **parts) -> Release:
    parties = [publication.buyer.as_ocds(["buyer", "procuringEntity"])]
    if "awards" in parts:
        parties.append(process.award.supplier.as_ocds(["supplier", "payee"]))
    release = Release({
        "ocid": ocid(publication, process.reference),
        "id": f"{process.reference}-{suffix}",
        "date": month(on),
        "language": "en",
        "tag": tags,
        "initiationType": "tender",
        "parties": parties,
        "buyer": publication.buyer.reference(),
        "relatedProcesses": [{"id": "framework", "relationship": ["framework"], "title": publication.framework_name,
                              "scheme": "ocid", "identifier": publication.framework_ocid}],
        **parts,
    })
    release.at = on
    return release


def _contract(process: Process, award: Award, status: str, *, changes: list[Change], end_on: dt.date | None,
              release_ids: list[str]) -> dict:
    latest = next((c for c in reversed(changes) if c.kind == "price"), None)
    price = latest.weekly_price_pence if latest and latest.weekly_price_pence is not None else award.weekly_price_pence
    end_on = end_on or award.end_on
    contract = {
        "id": award.reference,
        "awardID": award.reference,
        "status": status,
        "period": {"startDate": month(award.start_on)} | ({"endDate": month_end(end_on)} if end_on else {}),
        "value": amount(first_year_pence(price, award.start_on, end_on)),
        "items": _items(process),
        "dateSigned": month(award.awarded_at),
    }
    if changes:  # each names the release it amends (the one before it) and the release that made it
        contract["amendments"] = [{"id": str(c.id), "date": month(c.decided_at), "rationale": c.label,
                                   "amendsReleaseID": release_ids[i], "releaseID": release_ids[i + 1]}
                                  for i, c in enumerate(changes)]
    return contract


def releases(publication: Publication, process: Process) -> list[Release]:
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
    award_part = {"id": award.reference, "status": "active", "date": month(award.awarded_at),
                  "value": amount(first_year_pence(award.weekly_price_pence, award.start_on, award.end_on)),
                  "suppliers": [award.supplier.reference()], "items": _items(process),
                  "contractPeriod": {"startDate": month(award.start_on)}
                  | ({"endDate": month_end(award.end_on)} if award.end_on else {})}
    tender = _tender(publication, process, awarded_round, "complete")
    release_ids = [f"{process.reference}-award"] + [f"{process.reference}-change-{c.id}" for c in process.changes]
    found.append(_release(publication, process, "award", award.awarded_at, ["award", "contract"], tender=tender,
                          awards=[award_part],
                          contracts=[_contract(process, award, "active", changes=[], end_on=None,
                                               release_ids=release_ids)]))
    for number, change in enumerate(process.changes, start=1):
        ended = change.kind == "end"
        tags = ["contractTermination"] if ended else ["contractAmendment"]
        end_on = change.effective_from if ended else None  # an end's effective day is the package's last
        found.append(_release(publication, process, f"change-{change.id}", change.decided_at, tags, tender=tender,
                              awards=[award_part],
                              contracts=[_contract(process, award, "terminated" if ended else "active",
                                                   changes=process.changes[:number], end_on=end_on,
                                                   release_ids=release_ids)]))
    return sorted(found, key=lambda release: release.at)


def change_label(kind_label: str, end_cause: str, end_cause_label: str) -> str:
    """What a published amendment says: its kind, and the cause of an end only when the provider
    handed the package back (any other cause is about the person cared for)."""
    return f"{kind_label}: {end_cause_label}" if end_cause == HANDED_BACK else kind_label


# --- k-anonymity ------------------------------------------------------------------------------

NOT_FACTS = {"ocid", "id", "awardID", "amendsReleaseID", "releaseID", "numberOfTenderers", "parties", "buyer",
             "procuringEntity", "suppliers", "relatedProcesses"}  # identifiers, the market, who bought and supplies


def facts(release: dict) -> str:
    """Everything a release says about the care it is for: its dates, amounts, descriptions and
    statuses, without identifiers, the buyer or the supplier. Releases that say the same thing
    about two people's care have the same facts."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in NOT_FACTS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return json.dumps(strip(release), sort_keys=True, separators=(",", ":"))


def sharing(processes_facts) -> dict[str, int]:
    """How many processes share each set of facts (``processes_facts``: each process's releases'
    facts, one iterable per process)."""
    counts: dict[str, int] = {}
    for one in processes_facts:
        for found in set(one):
            counts[found] = counts.get(found, 0) + 1
    return counts


def may_publish(release: dict, counts: dict[str, int], k: int) -> bool:
    """A release is published once at least ``k`` processes share its facts."""
    return counts.get(facts(release), 0) >= k
