"""How urgent a piece of work is: one rule for each kind of deadline, so that a dashboard's
"Overdue" and "Soon" mean the same everywhere. Pure.

- Work with a **due date** (an invoice, a review, a plan, a document's expiry) is overdue once
  the date has passed, soon when it falls within the kind's warning days, and otherwise to do.
- Work that **waits on someone** with no date of its own (an application to decide, a change
  to approve, an answered query to settle) has the time the council expects it to take: it is
  overdue once the longest-waiting item has waited longer than that, soon in the last quarter of
  it, and otherwise to do. Nothing is "soon" only because it exists.
"""

from __future__ import annotations

import datetime as dt

OVERDUE, SOON, TO_DO = 0, 1, 2  # the order of a dashboard


def by_due_date(due: dt.date, today: dt.date, *, warn_days: int) -> int:
    if due < today:
        return OVERDUE
    return SOON if (due - today).days <= warn_days else TO_DO


def by_waiting(since: dt.date, today: dt.date, *, expected_days: int) -> int:
    waited = (today - since).days
    if waited > expected_days:
        return OVERDUE
    return SOON if waited >= expected_days * 3 / 4 else TO_DO
