"""Running an alliance contract: partners put their actual costs on the open book, the
commissioner scores the KPIs, and once a period has ended it is settled (``alliance.settle``,
pure) and each partner's payment goes into the council's next payment run.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.payments.models import PaymentDue

from . import alliance
from .models import AllianceCost, AllianceKpiScore, AlliancePartner, AlliancePeriod


@dataclass(frozen=True)
class Working:
    """A period's settlement as it stands (``settlement`` None while something is missing)."""

    settlement: alliance.Settlement | None
    missing: list[str]
    names: dict[str, str]  # partner key → organisation name


def working(period: AlliancePeriod) -> Working:
    contract = period.contract
    partners = list(contract.partners.select_related("organisation"))
    names = {str(p.pk): p.organisation.name for p in partners}
    costs = {str(c.partner_id): c.direct_costs_pence for c in period.costs.all()}
    scores = {s.kpi_id: s.score for s in period.scores.all()}
    kpis = list(contract.kpis.all())
    missing = [f"{p.organisation.name} has not shown its actual costs" for p in partners if str(p.pk) not in costs]
    missing += [f"The KPI \u201c{k.name}\u201d has no score" for k in kpis if k.pk not in scores]
    if missing or not partners or not kpis:
        return Working(None, missing or ["The alliance has no partners or no KPIs"], names)
    terms = alliance.Terms(period.target_cost_pence,
                           tuple(alliance.Partner(str(p.pk), p.share, p.allowance_pence) for p in partners),
                           contract.kpi_threshold, contract.gain_share, contract.pain_share)
    try:
        found = alliance.settle(terms, [alliance.Kpi(k.name, k.weight, scores[k.pk]) for k in kpis], costs)
    except alliance.TermsError as error:
        return Working(None, [str(error)], names)
    return Working(found, [], names)


def record_cost(actor, period: AlliancePeriod, partner: AlliancePartner, direct_costs_pence: int,
                note: str) -> AllianceCost:
    if period.settled_at:
        raise ValidationError(f"{period.label} is settled: its costs can no longer change")
    if direct_costs_pence < 0:
        raise ValidationError({"direct_costs": "Costs cannot be negative"})
    with transaction.atomic():
        found = AllianceCost.objects.select_for_update().filter(period=period, partner=partner).first()
        before = {"direct costs pence": found.direct_costs_pence, "note": found.note} if found else None
        found = found or AllianceCost(period=period, partner=partner)
        found.direct_costs_pence, found.note, found.entered_by, found.entered_at = (
            direct_costs_pence, note, actor, clock.now())
        found.save()
        record(actor, "alliance_cost.shown", found, before=before,
               after={"direct costs pence": direct_costs_pence, "note": note})
    return found


def record_score(actor, period: AlliancePeriod, kpi, score: Decimal, evidence: str) -> AllianceKpiScore:
    if period.settled_at:
        raise ValidationError(f"{period.label} is settled: its KPI scores can no longer change")
    if not 0 <= score <= 1:
        raise ValidationError({"score": "A score is from 0 to 1"})
    with transaction.atomic():
        found, _ = AllianceKpiScore.objects.update_or_create(
            period=period, kpi=kpi, defaults={"score": score, "evidence": evidence, "recorded_by": actor})
        record(actor, "alliance_kpi.scored", found, after={"kpi": kpi.name, "score": str(score), "evidence": evidence})
    return found


def settle(actor, period: AlliancePeriod) -> AlliancePeriod:
    """Settle an ended period: store the settlement and put each partner's payment in the run."""
    if clock.today() <= period.ends_on:
        raise ValidationError(f"{period.label} ends on {period.ends_on:%-d %B %Y}: settle it after that")
    with transaction.atomic():
        period = AlliancePeriod.objects.select_for_update().select_related("contract").get(pk=period.pk)
        if period.settled_at:
            raise ValidationError(f"{period.label} was settled already")
        found = working(period)
        if found.settlement is None:
            raise ValidationError(found.missing)
        settlement, contract = found.settlement, period.contract
        partners = {str(p.pk): p for p in contract.partners.all()}
        for line in settlement.lines:
            PaymentDue.objects.create(
                council_id=contract.council_id, reference=f"{contract.reference}-{period.label}-{line.partner}"[:40],
                organisation_id=partners[line.partner].organisation_id, service=f"{contract.name}: settlement",
                due_on=clock.today(), amount_pence=line.total_pence, decided_at=clock.now(),
                reason=(f"{period.label} settlement: direct costs {format_gbp(line.direct_costs_pence)} reimbursed, "
                        f"and {format_gbp(line.pool_pence)} of overheads, margin and shared gain or pain")[:300])
        period.settlement = as_record(settlement, found.names)
        period.settled_at, period.settled_by = clock.now(), actor
        period.save(update_fields=["settlement", "settled_at", "settled_by"])
        record(actor, "alliance_period.settled", period, after=period.settlement)
    return period


def as_record(settlement: alliance.Settlement, names: dict[str, str]) -> dict:
    """A settlement as stored and shown after: every figure, each partner's line, and why."""
    return {"kpi_score": str(settlement.kpi_score), "actual_cost_pence": settlement.actual_cost_pence,
            "under_run_pence": settlement.under_run_pence, "pool_before_pence": settlement.pool_before_pence,
            "gain_pence": settlement.gain_pence, "pain_pence": settlement.pain_pence,
            "pool_pence": settlement.pool_pence, "commissioner_pays_pence": settlement.commissioner_pays_pence,
            "lines": [{"partner": names[line.partner], "direct_costs_pence": line.direct_costs_pence,
                       "pool_pence": line.pool_pence, "total_pence": line.total_pence} for line in settlement.lines],
            "reasons": list(settlement.reasons)}
