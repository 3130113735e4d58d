"""A posted payment run in the council's finance system's terms: one creditor payment for each
provider, and a general-ledger journal that charges each part of each line to its cost centre
and subjective code. Pure: the run's lines and the council's codes in, the rows out.

The council pays the provider the whole of each line and recovers the other funders' parts
(packages.funding), so each line is charged in its parts: the council's part to the code for
the kind of line, the NHS's share, the citizen's contribution and any third-party top-up each
to its own code, all under the cost centre for the line's service type and area. The journal's
debits and the creditors control account's credit are each the run's total, to the penny: the
parts add up to the line exactly, and nothing is rounded here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

FUNDER_CODES = {"nhs": "nhs_share", "client": "client_contribution", "top_up": "top_up"}
CONTROL = "creditors"


@dataclass(frozen=True)
class Line:
    provider_id: int
    kind: str  # payments.PaymentLine.Kind
    service_type: str  # its code; "" when the line is for no package
    area: str
    council: int  # pence; negative for a recovery
    nhs: int = 0
    client: int = 0
    top_up: int = 0

    @property
    def amount(self) -> int:
        return self.council + self.nhs + self.client + self.top_up


@dataclass(frozen=True)
class Codes:
    cost_centres: dict[tuple[str, str], str]  # (service type, area) → cost centre; "" in either: any
    subjective: dict[str, str]  # a kind of line, a funder's part or "creditors" → subjective code
    control_cost_centre: str


@dataclass(frozen=True)
class JournalRow:
    cost_centre: str
    subjective: str
    debit: int
    credit: int


@dataclass(frozen=True)
class Journal:
    rows: list[JournalRow]
    problems: list[str]

    @property
    def debits(self) -> int:
        return sum(row.debit for row in self.rows)

    @property
    def credits(self) -> int:
        return sum(row.credit for row in self.rows)


def cost_centre(codes: Codes, service_type: str, area: str) -> str | None:
    """The most particular rule: service type and area, then service type, then area, then the default."""
    for key in ((service_type, area), (service_type, ""), ("", area), ("", "")):
        if key in codes.cost_centres:
            return codes.cost_centres[key]
    return None


def journal(lines: list[Line], codes: Codes) -> Journal:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    problems = []
    for line in lines:
        centre = cost_centre(codes, line.service_type, line.area)
        if centre is None:
            problems.append(f"No cost centre for {line.service_type or 'lines with no package'} in "
                            f"{line.area or 'no area'}")
            continue
        for part, pence in (("council", line.council), ("nhs", line.nhs), ("client", line.client),
                            ("top_up", line.top_up)):
            if not pence:
                continue
            key = line.kind if part == "council" else FUNDER_CODES[part]
            if key not in codes.subjective:
                problems.append(f"No subjective code for {key.replace('_', ' ')}")
                continue
            totals[centre, codes.subjective[key]] += pence
    rows = [JournalRow(centre, subjective, max(pence, 0), max(-pence, 0))
            for (centre, subjective), pence in sorted(totals.items()) if pence]
    net = sum(row.debit - row.credit for row in rows)
    if CONTROL not in codes.subjective:
        problems.append("No subjective code for the creditors control account")
    elif net:
        rows.append(JournalRow(codes.control_cost_centre, codes.subjective[CONTROL], max(-net, 0), max(net, 0)))
    return Journal(rows, sorted(set(problems)))


@dataclass(frozen=True)
class CreditorPayment:
    provider_id: int
    amount: int  # pence; a provider owed less than nothing is recovered from its next payment


def creditor_payments(lines: list[Line]) -> list[CreditorPayment]:
    owed: dict[int, int] = defaultdict(int)
    for line in lines:
        owed[line.provider_id] += line.amount
    return [CreditorPayment(provider, pence) for provider, pence in sorted(owed.items())]
