"""What a change to a care package may be. Pure: values in, the problems by field out.

A change applies from a day (payments split at exactly that day): new hours or a new weekly
price, a suspension for some days (a hospital stay), or the end (the day is the last day care
was given: the date of death, or of the move). Someone other than the person who asked for a
change approves it (four eyes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

PRICE, SUSPENSION, END = "price", "suspension", "end"
MOST_HOURS_A_WEEK = 168
FOUR_EYES = "Someone other than the person who asked for a change must approve it"


def problems(*, kind: str, start_on: dt.date, end_on: dt.date | None, effective_from: dt.date | None,
             effective_to: dt.date | None, weekly_hours: Decimal | None, weekly_price_pence: int | None,
             hourly_rate_pence: int | None, end_cause: str, end_causes, reason: str) -> dict[str, str]:
    """What is wrong with a requested change to a package that started on ``start_on`` (and
    ended on ``end_on``, if it has), by the field to correct; empty when it may be asked for."""
    errors = {}
    if effective_from is None:
        errors["effective_from"] = "Enter the date the change applies from"
    elif effective_from < start_on:
        errors["effective_from"] = f"The change cannot apply before the package started on {start_on:%d %B %Y}"
    elif end_on and effective_from > end_on:
        errors["effective_from"] = f"The package ended on {end_on:%d %B %Y}"
    if kind == SUSPENSION:
        if effective_to is None:
            errors["effective_to"] = "Enter the last day of the suspension"
        elif effective_from and effective_to < effective_from:
            errors["effective_to"] = "The suspension cannot end before it starts"
    if kind == PRICE:
        if weekly_hours is None and weekly_price_pence is None:
            errors["weekly_hours"] = "Enter the new hours a week or the new weekly price"
        if weekly_hours is not None and not 0 < weekly_hours <= MOST_HOURS_A_WEEK:
            errors["weekly_hours"] = f"Hours a week must be more than 0 and at most {MOST_HOURS_A_WEEK}"
        if weekly_price_pence is not None and weekly_price_pence <= 0:
            errors["weekly_price_pence"] = "The weekly price must be more than £0"
        if weekly_price_pence is None and weekly_hours is not None and not hourly_rate_pence:
            errors["weekly_price_pence"] = "This package has no hourly rate: enter the new weekly price"
    if kind == END and end_cause not in end_causes:
        errors["end_cause"] = "Say why the package ended"
    if not reason.strip():
        errors["reason"] = "Say why the package is changing"
    return errors


def may_decide(requested_by_id: int, decider_id: int) -> bool:
    return requested_by_id != decider_id


BIG_CHANGE_PERCENT = 25  # a new weekly price this far from the old one is checked twice


def approval_warnings(*, kind: str, effective_from: dt.date, today: dt.date, end_on: dt.date | None = None,
                      weekly_price_pence: int | None = None, current_weekly_pence: int | None = None) -> list[str]:
    """What the person approving a change should know before they do: approval is what makes
    it paid, and days already paid are put right in the next run."""
    found = []
    if effective_from < today:
        found.append(f"It applies from {effective_from.day} {effective_from:%B %Y}, in the past: days already paid "
                     "are put right (arrears or a recovery) in the next payment run.")
    if kind == END:
        found.append(f"The package ends: nothing is paid for care after {effective_from.day} {effective_from:%B %Y}.")
    if kind == PRICE and weekly_price_pence and current_weekly_pence:
        change = abs(weekly_price_pence - current_weekly_pence) * 100 / current_weekly_pence
        if change > BIG_CHANGE_PERCENT:
            found.append(f"The weekly price changes by {change:.0f}%, more than {BIG_CHANGE_PERCENT}%.")
    return found
