"""A provider's performance for a month, from the data already held, against its targets. Pure.

The measures (each with the direction that is good):

- **Late visits**: of the visits delivered (those with a check-in), the share that started
  more than ``LATE_AFTER`` minutes (15) after the planned start (lower is better). A visit
  checked in and never checked out counts: when it started is known.
- **Missed visits**: of the visits planned, the share with no check-in (lower is better). A
  visit checked in and never checked out is not missed: the carer arrived.
- **Time delivered**: the minutes delivered (check-in to check-out) as a share of the minutes
  planned, over the visits with both a check-in and a check-out (higher is better). A visit
  with no check-out is left out, neither as no time nor as the time planned: how long it
  lasted is not known. How many were left out is said beside the figure.
- **Days from award to start**: the median, over the packages awarded in the month (lower is
  better).
- **Hand-backs**: packages the provider handed back that ended in the month (lower is better).

Targets are data (a council-wide default, or one set for a provider). A measure with nothing
to measure (no visits in the month) has no figure and is neither met nor missed. Shares are
``Decimal`` to one decimal place of a percentage, rounded half up once.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

LATE_AFTER = 15  # minutes


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    unit: str  # "%" or "days" or "packages"
    lower_is_better: bool


MEASURES = (
    Measure("late", "Late visits", "%", True),
    Measure("missed", "Missed visits", "%", True),
    Measure("delivered", "Time delivered against planned", "%", False),
    Measure("award_to_start", "Days from award to start (median)", "days", True),
    Measure("hand_backs", "Packages handed back", "packages", True),
)
BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class VisitFacts:
    planned_minutes: int
    late_by_minutes: int | None  # None: not delivered
    delivered_minutes: int | None


@dataclass(frozen=True)
class Result:
    measure: Measure
    value: Decimal | None
    target: Decimal | None
    note: str = ""  # what the figure leaves out, when it leaves something out

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target if self.measure.lower_is_better else self.value >= self.target


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month(visits: list[VisitFacts], award_to_start_days: list[int], hand_backs: int,
          targets: dict[str, Decimal]) -> list[Result]:
    delivered = [v for v in visits if v.late_by_minutes is not None]
    timed = [v for v in delivered if v.delivered_minutes is not None]
    open_ended = len(delivered) - len(timed)
    values = {
        "late": _percent(sum(1 for v in delivered if v.late_by_minutes > LATE_AFTER), len(delivered)),
        "missed": _percent(len(visits) - len(delivered), len(visits)),
        "delivered": _percent(sum(v.delivered_minutes for v in timed), sum(v.planned_minutes for v in timed)),
        "award_to_start": (Decimal(statistics.median(award_to_start_days)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                           if award_to_start_days else None),
        "hand_backs": Decimal(hand_backs),
    }
    notes = {"delivered": f"{open_ended} visit{'s' if open_ended != 1 else ''} with a check-in and no check-out "
                          "left out" if open_ended else ""}
    return [Result(m, values[m.key], targets.get(m.key), notes.get(m.key, "")) for m in MEASURES]
