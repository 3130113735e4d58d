"""When negative intelligence calls for a focussed inspection (2018 strategy, rule 8).

Intelligence is dated events about a provider (concerns, safeguarding alerts, complaints,
CQC notices, credit alerts, reviews showing outcomes not met, breaches). A threshold says
how many of one kind within a rolling window trigger a focussed inspection; thresholds
are data the council sets (quality.models.TriggerThreshold).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ROLLING_DAYS = 91  # a rolling three months


@dataclass(frozen=True)
class Intelligence:
    kind: str
    on: dt.date


@dataclass(frozen=True)
class Threshold:
    kind: str
    label: str  # plural, for the reason: "safeguarding alerts"
    count: int
    window_days: int = ROLLING_DAYS


@dataclass(frozen=True)
class Trigger:
    kind: str
    count: int
    reason: str


def triggered(events, thresholds, as_of: dt.date) -> list[Trigger]:
    """The thresholds met or passed in the window ending on ``as_of``, each with its reason."""
    found = []
    for threshold in thresholds:
        since = as_of - dt.timedelta(days=threshold.window_days - 1)
        count = sum(1 for e in events if e.kind == threshold.kind and since <= e.on <= as_of)
        if count >= threshold.count:
            found.append(Trigger(threshold.kind, count, (
                f"{count} {threshold.label} between {since:%d %B %Y} and {as_of:%d %B %Y} "
                f"(the threshold is {threshold.count} in {threshold.window_days} days)")))
    return found
