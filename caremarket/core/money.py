"""Exact money.

Every amount is held as a whole number of pence (``int``), never a float.
Rates multiplied by quantities (hours, days, shares) are computed in
``Decimal`` and rounded **once, to the nearest penny, halves away from zero**
(``ROUND_HALF_UP``). That is Caremarket's one rounding rule.

Where a total must be split (joint funding, a period's payment across days),
``allocate`` shares it out so that the parts always add up to the total.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Sequence

ROUNDING = ROUND_HALF_UP
PENNY = Decimal("0.01")


class MoneyError(ValueError):
    """An amount that cannot be money (bad text, fractions of a penny in pence)."""


def to_pence(amount: Decimal | str | int) -> int:
    """Pounds (``Decimal`` or text like ``"1,234.56"`` or ``"£12.5"``) to pence.

    Amounts with more than two decimal places are refused rather than silently
    rounded: an amount someone typed or a file supplied must be exact.
    """
    if isinstance(amount, bool):
        raise MoneyError("an amount of money cannot be true or false")
    if isinstance(amount, int):
        return amount * 100
    if isinstance(amount, float):
        raise MoneyError("amounts of money are never floats; pass a Decimal or text")
    if isinstance(amount, str):
        text = amount.strip().replace(",", "").replace("£", "", 1)
        try:
            if not text.isascii():  # Decimal reads other scripts' digits; an amount is written 0-9
                raise InvalidOperation
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"'{amount.strip()}' is not an amount of money") from None
    if not amount.is_finite():
        raise MoneyError("an amount of money must be a finite number")
    if amount != amount.quantize(PENNY):
        raise MoneyError(f"{amount} has fractions of a penny")
    return int(amount * 100)


def to_pounds(pence: int) -> Decimal:
    """Pence to a ``Decimal`` number of pounds with two places."""
    return (Decimal(pence) / 100).quantize(PENNY)


def format_gbp(pence: int) -> str:
    """``123456`` → ``£1,234.56``; negative amounts as ``-£12.00``."""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"


def round_pence(value: Decimal) -> int:
    """A ``Decimal`` number of pence to whole pence under the one rounding rule."""
    return int(value.quantize(Decimal(1), rounding=ROUNDING))


def multiply(rate_pence: int, quantity: Decimal | int | str) -> int:
    """A rate in pence times a quantity (hours, days, weeks), rounded once."""
    return round_pence(Decimal(rate_pence) * Decimal(quantity))


def allocate(total_pence: int, weights: Sequence[Decimal | int]) -> list[int]:
    """Split ``total_pence`` in proportion to ``weights`` so the parts add up exactly.

    Largest-remainder method: each part is first rounded down, then the pennies
    left over go to the parts with the largest remainders (earlier parts first
    on a tie), so the result is deterministic.
    """
    weights = [Decimal(w) for w in weights]
    if not weights:
        raise MoneyError("cannot allocate money to nobody")
    if any(w < 0 for w in weights):
        raise MoneyError("allocation weights cannot be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise MoneyError("allocation weights cannot all be zero")
    sign = -1 if total_pence < 0 else 1
    magnitude = abs(total_pence)
    exact = [Decimal(magnitude) * w / weight_sum for w in weights]
    parts = [int(e) for e in exact]  # int() rounds towards zero
    leftover = magnitude - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return [sign * p for p in parts]


def total(amounts: Iterable[int]) -> int:
    """Sum of pence, refusing anything that is not a whole number of pence."""
    result = 0
    for amount in amounts:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise MoneyError(f"{amount!r} is not a whole number of pence")
        result += amount
    return result
