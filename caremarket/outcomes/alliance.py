"""Settling an alliance contract for a period: gain-share and pain-share. Pure.

An alliance is one contract between the commissioner and several equal partners, who share
the risk and the reward. Before it starts they agree the terms (``Terms``):

- a **target cost** for the alliance's direct costs in the period;
- each partner's **share** of delivery and funding (the shares add up to 1), and its
  **allowance** for overheads and margin: paid only as far as the KPIs allow;
- the **KPIs**, each with a weight (the weights add up to 1), scored from 0 to 1 for the
  period; the alliance's KPI score is the weighted sum;
- the **KPI threshold**: below it the KPIs are poor;
- the **gain share**: the part of an under-run the alliance keeps (the commissioner keeps the
  rest), and the **pain share**: the part of an over-run the alliance bears.

The settlement, in this order:

1. Every partner's actual direct costs (open book) are reimbursed in full.
2. Poor KPIs (a score below the threshold): no overheads and no margin, and no gain. Good
   KPIs: the overheads-and-margin pool is the allowances times the KPI score.
3. An under-run (actual direct costs below target) with good KPIs adds the gain share of it
   to the pool.
4. An over-run takes the pain share of it from the pool, down to nothing at most: direct
   costs are always reimbursed, and the alliance's loss is the overheads and margin it gives up.
5. The pool is divided among the partners by their shares, exactly to the penny
   (``core.money.allocate``).

Amounts are whole pence; the score, shares and splits are ``Decimal``; each amount worked
out from them is rounded once (``core.money``). The commissioner pays every partner's
direct costs and its part of the pool: the sum of the partners' lines, always.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from caremarket.core.money import allocate, format_gbp, round_pence

ONE = Decimal(1)


class TermsError(ValueError):
    """Terms that cannot be settled (shares or weights that do not add up to 1, say)."""


@dataclass(frozen=True)
class Partner:
    name: str
    share: Decimal  # of delivery and funding
    allowance_pence: int  # overheads and margin, at risk on the KPIs


@dataclass(frozen=True)
class Kpi:
    name: str
    weight: Decimal
    score: Decimal  # 0 to 1 for the period


@dataclass(frozen=True)
class Terms:
    target_cost_pence: int
    partners: tuple[Partner, ...]
    kpi_threshold: Decimal
    gain_share: Decimal
    pain_share: Decimal

    def check(self) -> None:
        if not self.partners:
            raise TermsError("An alliance has at least one partner")
        if sum(p.share for p in self.partners) != ONE:
            raise TermsError("The partners' shares must add up to 1")
        if any(p.share < 0 or p.allowance_pence < 0 for p in self.partners):
            raise TermsError("Shares and allowances cannot be negative")
        if self.target_cost_pence < 0:
            raise TermsError("The target cost cannot be negative")
        for name, value in (("KPI threshold", self.kpi_threshold), ("gain share", self.gain_share),
                            ("pain share", self.pain_share)):
            if not 0 <= value <= 1:
                raise TermsError(f"The {name} must be from 0 to 1")


@dataclass(frozen=True)
class PartnerLine:
    partner: str
    direct_costs_pence: int
    pool_pence: int  # its part of overheads, margin and any gain, after any pain
    total_pence: int


@dataclass(frozen=True)
class Settlement:
    kpi_score: Decimal
    actual_cost_pence: int
    under_run_pence: int  # negative for an over-run
    pool_before_pence: int  # overheads and margin the KPIs earned
    gain_pence: int
    pain_pence: int
    pool_pence: int
    lines: tuple[PartnerLine, ...]
    reasons: tuple[str, ...]

    @property
    def commissioner_pays_pence(self) -> int:
        return sum(line.total_pence for line in self.lines)


def kpi_score(kpis: list[Kpi]) -> Decimal:
    if sum(k.weight for k in kpis) != ONE:
        raise TermsError("The KPIs' weights must add up to 1")
    if any(not 0 <= k.score <= 1 or k.weight < 0 for k in kpis):
        raise TermsError("A KPI's score is from 0 to 1 and its weight cannot be negative")
    return sum((k.weight * k.score for k in kpis), Decimal(0))


def settle(terms: Terms, kpis: list[Kpi], actual_costs_pence: dict[str, int]) -> Settlement:
    """The period's settlement: what each partner is paid, and why."""
    terms.check()
    if set(actual_costs_pence) != {p.name for p in terms.partners}:
        raise TermsError("Every partner, and only the partners, must show its actual direct costs")
    if any(cost < 0 for cost in actual_costs_pence.values()):
        raise TermsError("Actual costs cannot be negative")
    score = kpi_score(kpis)
    actual = sum(actual_costs_pence.values())
    under_run = terms.target_cost_pence - actual
    allowances = sum(p.allowance_pence for p in terms.partners)
    good = score >= terms.kpi_threshold
    reasons = [f"Direct costs of {format_gbp(actual)} against a target of {format_gbp(terms.target_cost_pence)}: "
               + (f"an under-run of {format_gbp(under_run)}" if under_run > 0 else
                  f"an over-run of {format_gbp(-under_run)}" if under_run < 0 else "on target")
               + "; every partner's direct costs are reimbursed"]
    if good:
        pool_before = round_pence(allowances * score)
        reasons.append(f"KPI score {score:.2f} meets the threshold of {terms.kpi_threshold:.2f}: "
                       f"{format_gbp(pool_before)} of {format_gbp(allowances)} overheads and margin earned")
    else:
        pool_before = 0
        reasons.append(f"KPI score {score:.2f} is below the threshold of {terms.kpi_threshold:.2f}: no overheads, "
                       "no margin and no share of any under-run")
    gain = round_pence(under_run * terms.gain_share) if good and under_run > 0 else 0
    if gain:
        reasons.append(f"The alliance keeps {terms.gain_share:.0%} of the under-run: {format_gbp(gain)}")
    pain = min(round_pence(-under_run * terms.pain_share), pool_before + gain) if under_run < 0 else 0
    if under_run < 0:
        reasons.append(f"The alliance bears {terms.pain_share:.0%} of the over-run, {format_gbp(pain)} taken from "
                       "its overheads and margin" + (" (all of them)" if pain == pool_before + gain else ""))
    pool = pool_before + gain - pain
    parts = allocate(pool, [p.share for p in terms.partners])
    lines = tuple(PartnerLine(p.name, actual_costs_pence[p.name], part, actual_costs_pence[p.name] + part)
                  for p, part in zip(terms.partners, parts))
    return Settlement(score, actual, under_run, pool_before, gain, pain, pool, lines, tuple(reasons))
