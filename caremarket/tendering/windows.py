"""How long providers have to respond to a micro-tender, and where it goes next when nobody does.

Pure: the response windows and the widening rule come from the evaluation policy
(tendering.models.TenderPolicy), which commissioners keep as data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    urgent_hours: int
    standard_hours: int

    def closes_at(self, opens_at: dt.datetime, *, urgent: bool) -> dt.datetime:
        return opens_at + dt.timedelta(hours=self.urgent_hours if urgent else self.standard_hours)


@dataclass(frozen=True)
class NextStep:
    action: str  # "widen", "reissue" or "refer" (the council decides)
    areas: frozenset[str]
    reason: str


def after_no_offers(*, areas_tried: frozenset[str], borders: dict[str, frozenset[str]], rounds_so_far: int,
                    max_rounds: int) -> NextStep:
    """Nobody offered: widen to the areas next to those tried, else re-issue, else refer to the council."""
    if rounds_so_far >= max_rounds:
        return NextStep("refer", areas_tried, f"No offers after {rounds_so_far} rounds: the brokerage team "
                                              "must find a provider directly")
    neighbours = frozenset().union(*(borders.get(a, frozenset()) for a in areas_tried)) - areas_tried
    if neighbours:
        return NextStep("widen", areas_tried | neighbours,
                        "No offers: widened to the neighbouring areas " + ", ".join(sorted(neighbours)))
    return NextStep("reissue", areas_tried, "No offers and no further areas to widen to: re-issued")
