"""The carers' wellbeing assessment: eight domains, each scored on one stated scale. Pure.

Each domain is scored from 1 (the carer has none of it: no time of their own, no control, …)
to 5 (the carer has all they want of it); a whole assessment is the sum, 8 to 40. A carer's
change is their latest follow-up's total less their baseline's; a carer whose change is more
than nothing has **improved** (the measure the year-2 performance payment reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LOWEST, HIGHEST = 1, 5
SCALE = {1: "None of it", 2: "A little", 3: "Some", 4: "Most of what they want", 5: "All they want"}


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    question: str


DOMAINS = (
    Domain("time", "Time and occupation", "How much time do you have to do the things you value and enjoy, such as "
                                          "work, seeing people or leisure?"),
    Domain("control", "Control", "How much control do you have over your daily life and your choices?"),
    Domain("social", "Social participation", "How much contact do you have with friends and family?"),
    Domain("emotional", "Emotional wellbeing", "Do you have the chances and ways of coping to manage your stress?"),
    Domain("accommodation", "Accommodation", "Is your home suitable and safe for your caring (adaptations, "
                                             "equipment, technology)?"),
    Domain("support", "Support", "Do you have the support you need in your caring role?"),
    Domain("safety", "Safety", "Do you feel safe, in your home and outside it?"),
    Domain("relationships", "Relationships", "Are you able to keep up the relationships that matter to you, "
                                             "including with the person you care for?"),
)
KEYS = tuple(d.key for d in DOMAINS)


def problems(scores: dict) -> dict[str, str]:
    """What is wrong with an assessment's scores, domain by domain (nothing: it can be stored)."""
    found = {}
    for domain in DOMAINS:
        value = scores.get(domain.key)
        if value is None or value == "":
            found[domain.key] = f"Choose a score for {domain.label.lower()}"
        elif not isinstance(value, int) or isinstance(value, bool) or not LOWEST <= value <= HIGHEST:
            found[domain.key] = (f"The score for {domain.label.lower()} must be a whole number from {LOWEST} "
                                 f"to {HIGHEST}")
    for extra in sorted(set(scores) - set(KEYS)):
        found[extra] = f"{extra!s} is not one of the eight domains"
    return found


def total(scores: dict) -> int:
    return sum(scores[key] for key in KEYS)


def change(baseline_total: int, latest_total: int | None) -> int | None:
    """The latest follow-up's total less the baseline's; None before any follow-up."""
    return None if latest_total is None else latest_total - baseline_total


def improved(baseline_total: int, latest_total: int | None) -> bool:
    return (change(baseline_total, latest_total) or 0) > 0


@dataclass(frozen=True)
class Cohort:
    assessed: int  # carers with a baseline
    followed_up: int  # of them, with a follow-up
    improved: int
    mean_change: str  # to one decimal place, "" when nobody was followed up


def cohort(pairs: list[tuple[int, int | None]]) -> Cohort:
    """A group of carers' change: ``pairs`` are (baseline total, latest follow-up total or None)."""
    changes = [latest - base for base, latest in pairs if latest is not None]
    mean = ""
    if changes:
        mean = f"{(Decimal(sum(changes)) / len(changes)).quantize(Decimal('0.1'), ROUND_HALF_UP):+}"
    return Cohort(len(pairs), len(changes), sum(1 for c in changes if c > 0), mean)
