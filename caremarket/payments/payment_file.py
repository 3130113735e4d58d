"""The payment file for the council's finance system. Pure.

A CSV (UTF-8, comma-separated, a header row, CRLF line ends) with one row per payment line,
in this layout:

| column            | what it holds                                                      |
| ----------------- | ------------------------------------------------------------------ |
| run               | the payment run, e.g. ``2026/27-P08``                              |
| payment_date      | the date the money leaves, ``YYYY-MM-DD``                          |
| supplier_id       | Caremarket's organisation number (the supplier key to map on)      |
| supplier_name     | the provider's name                                                |
| line_id           | the payment line's number, unique and stable                       |
| line_type         | scheduled, arrears, recovery, adjustment, invoice or results       |
| package           | the care package reference (blank for an invoice)                  |
| invoice           | the invoice's reference, or a payment by results' (else blank)     |
| service           | the service type, or what a payment by results pays for            |
| first_day         | the first day paid for, ``YYYY-MM-DD``                             |
| last_day          | the last day paid for, ``YYYY-MM-DD``                              |
| amount            | pounds with two decimals, negative for a recovery                  |
| council_share     | the council's part of the amount                                   |
| nhs_share         | the NHS's part (joint funding), to recharge                        |
| client_share      | the citizen's assessed contribution, to collect                    |
| top_up_share      | the third-party top-up, to collect                                 |

Shares add up to the amount on every row, and the amounts add up to the run's total. Text
that a spreadsheet would read as a formula is prefixed with ``'`` (core.csv_out) so that it
never runs.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from caremarket.core import csv_out
from caremarket.core.money import to_pounds

COLUMNS = ("run", "payment_date", "supplier_id", "supplier_name", "line_id", "line_type", "package", "invoice",
           "service", "first_day", "last_day", "amount", "council_share", "nhs_share", "client_share",
           "top_up_share")


@dataclass(frozen=True)
class Row:
    line_id: int
    supplier_id: int
    supplier_name: str
    line_type: str
    package: str
    invoice: str
    service: str
    first_day: dt.date
    last_day: dt.date
    amount_pence: int
    council_pence: int
    nhs_pence: int
    client_pence: int
    top_up_pence: int


def write(run: str, payment_date: dt.date, rows) -> str:
    out = io.StringIO()
    writer = csv_out.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([
            run, payment_date.isoformat(), row.supplier_id, row.supplier_name, row.line_id, row.line_type,
            row.package, row.invoice, row.service, row.first_day.isoformat(), row.last_day.isoformat(),
            to_pounds(row.amount_pence), to_pounds(row.council_pence), to_pounds(row.nhs_pence),
            to_pounds(row.client_pence), to_pounds(row.top_up_pence)])
    return out.getvalue()
