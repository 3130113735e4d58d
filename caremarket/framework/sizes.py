"""Home-support provider size and lot limits (2018 strategy, Tables 1 and 1a)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

LARGE_OVER = Decimal(2000)
SMALL_UNDER = Decimal(1000)


class Size(enum.StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class LotLimits:
    may_apply_for: int
    may_be_awarded: int


LOT_LIMITS = {Size.LARGE: LotLimits(5, 3), Size.MEDIUM: LotLimits(4, 3), Size.SMALL: LotLimits(3, 1)}


def _text(hours: Decimal) -> str:
    """2,100.5 and 600, not 2,100.50 and 600.00."""
    text = f"{hours:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def size_for(weekly_hours: Decimal | int | None, *, new_to_council: bool = False) -> tuple[Size, str]:
    """The size class from council-funded weekly hours, with the reason."""
    if new_to_council or weekly_hours is None:
        return Size.SMALL, "Small: new to the council, so counted as small until it has delivered work"
    hours = Decimal(weekly_hours)
    if not hours.is_finite():
        raise ValueError(f"weekly hours must be a number, not {weekly_hours}")
    if hours < 0:
        raise ValueError("weekly hours cannot be negative")
    if hours > LARGE_OVER:
        return Size.LARGE, f"Large: {_text(hours)} council-funded hours a week is over {LARGE_OVER:,}"
    if hours >= SMALL_UNDER:
        return Size.MEDIUM, (f"Medium: {_text(hours)} council-funded hours a week is between {SMALL_UNDER:,} and "
                             f"{LARGE_OVER:,}")
    return Size.SMALL, f"Small: {_text(hours)} council-funded hours a week is under {SMALL_UNDER:,}"


def check_lot_count(size: Size, count: int, *, awarded: bool) -> str | None:
    """Why ``count`` lots are too many for a provider of this size, or None when they are allowed."""
    limits = LOT_LIMITS[size]
    most = limits.may_be_awarded if awarded else limits.may_apply_for
    if count > most:
        verb = "be awarded" if awarded else "apply for"
        return f"A {size.value} provider may {verb} at most {most} lot{'s' if most != 1 else ''}, not {count}"
    return None
