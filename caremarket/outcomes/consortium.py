"""Paying a consortium by results: the council to its lead organisation (the integrator), and
the integrator to its members. Pure.

**Council → integrator** (``ContractTerms``): the contract's value for the year is split into
a block share (90% in the seed) and a performance share (10%).

- The block share is paid in four equal quarterly instalments in arrears (the pennies left
  over go to the last quarters, so the four add up to the block share exactly). A quarter's
  instalment is released only when its performance return has arrived. A return received
  after its due date costs a penalty for each month or part of a month it is late, a share of
  the instalment (data), never more than the instalment.
- The performance share is paid against the year's targets (year 1: carers registered and
  assessed; later years: improvement in carers' wellbeing): in proportion to how much of the
  target was achieved, capped at all of it; below the floor (data) nothing.

**Integrator → member** (``MemberTerms``): a block payment for core services, activity
payments on a stepped schedule (a carers' group paid by its attendance band), and a
performance payment for each new carer the member registered on the central register: once
for each carer, to the member that registered the carer first, even when two members
register the same person.

Amounts are whole pence; shares are ``Decimal``; each amount worked out from them is rounded
once (``core.money``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from caremarket.core.money import allocate, format_gbp, round_pence


class TermsError(ValueError):
    """Terms that cannot be paid on (a share above 1, bands that overlap, say)."""


@dataclass(frozen=True)
class Payment:
    amount_pence: int
    reason: str


# --- Council → integrator ------------------------------------------------------------------

@dataclass(frozen=True)
class ContractTerms:
    annual_value_pence: int
    block_share: Decimal = Decimal("0.9")
    penalty_per_month_late: Decimal = Decimal("0.05")  # of the quarter's instalment
    performance_floor: Decimal = Decimal("0.5")  # below this share of the target, nothing

    def check(self) -> None:
        if self.annual_value_pence < 0:
            raise TermsError("The contract's value cannot be negative")
        for name, value in (("block share", self.block_share), ("penalty", self.penalty_per_month_late),
                            ("performance floor", self.performance_floor)):
            if not 0 <= value <= 1:
                raise TermsError(f"The {name} must be from 0 to 1")

    @property
    def block_pence(self) -> int:
        return round_pence(self.annual_value_pence * self.block_share)

    @property
    def performance_pence(self) -> int:
        return self.annual_value_pence - self.block_pence


def instalments(terms: ContractTerms) -> list[int]:
    """The four quarterly instalments of the block share, adding up to it exactly."""
    terms.check()
    return allocate(terms.block_pence, [1, 1, 1, 1])[::-1]  # any penny left over goes to the later quarters


def months_late(due_on: dt.date, received_on: dt.date) -> int:
    """Whole months or part months after the due date (received on the due date: none)."""
    if received_on <= due_on:
        return 0
    months = (received_on.year - due_on.year) * 12 + received_on.month - due_on.month
    if received_on.day > due_on.day:
        months += 1
    return max(months, 1)


def is_complete(figures: dict[str, int], kpi_codes) -> bool:
    """Whether a return is complete: a figure for every KPI, and not all of them nought. A return
    of noughts is a placeholder, not the quarter's performance: its arrival does not count as
    the return arriving (a real return sent later is as late as it is)."""
    return all(code in figures for code in kpi_codes) and any(figures[code] for code in kpi_codes)


def quarter_payment(terms: ContractTerms, quarter: int, due_on: dt.date,
                    received_on: dt.date | None) -> Payment:
    """A quarter's block instalment: held until its complete return arrives, less any lateness
    penalty counted from the day it did."""
    if quarter not in (1, 2, 3, 4):
        raise TermsError("A quarter is 1, 2, 3 or 4")
    instalment = instalments(terms)[quarter - 1]
    if received_on is None:
        return Payment(0, f"Quarter {quarter}'s complete performance return has not arrived: its "
                          f"{format_gbp(instalment)} is held until it does")
    late = months_late(due_on, received_on)
    penalty = min(round_pence(instalment * terms.penalty_per_month_late * late), instalment)
    if not late:
        return Payment(instalment, f"Quarter {quarter}'s block payment: its return arrived on time")
    return Payment(instalment - penalty, f"Quarter {quarter}'s block payment of {format_gbp(instalment)}, less "
                                         f"{format_gbp(penalty)} because its return was {late} month"
                                         f"{'s' if late > 1 else ''} late")


def performance_payment(terms: ContractTerms, achieved: int, target: int, measure: str) -> Payment:
    """The year's performance share against its target."""
    terms.check()
    if target <= 0 or achieved < 0:
        raise TermsError("A target is more than nothing, and what was achieved cannot be negative")
    share = min(Decimal(achieved) / target, Decimal(1))
    if share < terms.performance_floor:
        return Payment(0, f"{achieved:,} {measure} against a target of {target:,} ({_percent(share)}): below the "
                          f"{terms.performance_floor:.0%} at which the performance share starts")
    amount = round_pence(terms.performance_pence * share)
    return Payment(amount, f"{achieved:,} {measure} against a target of {target:,}: {_percent(share)} of the "
                           f"performance share of {format_gbp(terms.performance_pence)}")


def _percent(share: Decimal) -> str:
    """The share as people read it, never rounded up to a whole it did not reach (2,999 of 3,000
    is 99.96%, not 100%): to two places, cut down, and without them when whole."""
    percent = (share * 100).quantize(Decimal("0.01"), ROUND_DOWN)
    return f"{percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent}%"


# --- Integrator → member -------------------------------------------------------------------

@dataclass(frozen=True)
class Band:
    """An attendance band of a stepped schedule: from ``at_least`` attending, ``pence`` a session."""
    at_least: int
    pence: int


@dataclass(frozen=True)
class MemberTerms:
    block_pence: int = 0  # for the period
    bands: tuple[Band, ...] = ()  # ascending by at_least
    per_new_carer_pence: int = 3000  # the seed's £30

    def check(self) -> None:
        starts = [b.at_least for b in self.bands]
        if starts != sorted(set(starts)) or any(b.pence < 0 or b.at_least < 0 for b in self.bands):
            raise TermsError("Attendance bands start at different numbers, in order, and pay nothing negative")


def session_pence(terms: MemberTerms, attending: int) -> int:
    """What a session pays for its attendance: the highest band it reaches (none: nothing)."""
    terms.check()
    reached = [b.pence for b in terms.bands if attending >= b.at_least]
    return reached[-1] if reached else 0


def first_registrations(registrations: list[tuple[str, str, dt.datetime]]) -> dict[str, str]:
    """Each carer (by register id) to the member that registered the carer first. ``registrations``:
    (carer, member, when); on the same moment, the member named first in the list."""
    first: dict[str, tuple[dt.datetime, int, str]] = {}
    for order, (carer, member, when) in enumerate(registrations):
        if carer not in first or (when, order) < first[carer][:2]:
            first[carer] = (when, order, member)
    return {carer: member for carer, (_, _, member) in first.items()}


def member_statement(terms: MemberTerms, member: str, attendance: list[int],
                     registrations: list[tuple[str, str, dt.datetime]]) -> list[Payment]:
    """A member's payments for the period: block, activity (each session by its band) and one
    performance payment for each carer it registered first."""
    terms.check()
    lines = []
    if terms.block_pence:
        lines.append(Payment(terms.block_pence, "Block payment for core services"))
    if attendance:
        lines.append(Payment(sum(session_pence(terms, n) for n in attendance),
                             f"{len(attendance)} session{'s' if len(attendance) != 1 else ''} by attendance "
                             f"({sum(attendance):,} attending in all)"))
    new_carers = [carer for carer, first in first_registrations(registrations).items() if first == member]
    if new_carers:
        lines.append(Payment(len(new_carers) * terms.per_new_carer_pence,
                             f"{len(new_carers)} new carer{'s' if len(new_carers) != 1 else ''} registered, "
                             f"{format_gbp(terms.per_new_carer_pence)} each"))
    return lines
