"""Alliance pages: the dashboard every partner and the commissioner sees (terms, the open book
of actual costs, KPI scores and the settlement as it stands or as settled), partners showing
their costs, the commissioner scoring the KPIs and settling a period after a check page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.core import clock

from . import alliances
from .forms import CostForm, ScoresForm
from .models import AllianceContract, AlliancePeriod


def _alliance(request, pk) -> AllianceContract:
    require(request.user, "view_alliances")
    return get_visible_or_404(AllianceContract.objects.distinct(), request.user, pk=pk)


def _period(contract, period_pk) -> AlliancePeriod:
    period = contract.periods.filter(pk=period_pk).select_related("contract").first()
    if period is None:
        raise Http404("Not found")
    return period


@login_required
def alliance_list(request):
    require(request.user, "view_alliances")
    found = visible(AllianceContract.objects.prefetch_related("partners__organisation"), request.user).distinct()
    return render(request, "outcomes/alliances.html", {"alliances": found})


@login_required
def alliance_detail(request, pk):
    contract = _alliance(request, pk)
    partners = list(contract.partners.select_related("organisation"))
    kpis = list(contract.kpis.all())
    mine = next((p for p in partners if p.organisation_id == request.user.organisation_id), None)
    periods = []
    for period in contract.periods.prefetch_related("costs__partner__organisation", "scores__kpi"):
        costs = {c.partner_id: c for c in period.costs.all()}
        scores = {s.kpi_id: s for s in period.scores.all()}
        working = None if period.settled_at else alliances.working(period)
        periods.append({"period": period, "working": working,
                        "settlement": (alliances.as_record(working.settlement, working.names)
                                       if working and working.settlement else None),
                        "book": [(p, costs.get(p.pk)) for p in partners],
                        "actual_pence": sum(c.direct_costs_pence for c in costs.values()),
                        "scores": [(k, scores.get(k.pk)) for k in kpis],
                        "ended": clock.today() > period.ends_on})
    return render(request, "outcomes/alliance.html", {
        "contract": contract, "partners": partners, "kpis": kpis, "periods": periods,
        "mine": mine, "may_score": can(request.user, "score_alliance_kpis"),
        "may_settle": can(request.user, "settle_alliances")})


@login_required
def show_costs(request, pk, period_pk):
    require(request.user, "show_alliance_costs")
    contract = _alliance(request, pk)
    period = _period(contract, period_pk)
    partner = contract.partners.filter(organisation=request.user.organisation_id).first()
    if partner is None:
        raise PermissionDenied("Only a partner shows its own costs")
    current = period.costs.filter(partner=partner).first()
    form = CostForm(request.POST or None, initial={"direct_costs": current.direct_costs_pence / 100,
                                                   "note": current.note} if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            alliances.record_cost(request.user, period, partner, form.cleaned_data["direct_costs"],
                                  form.cleaned_data["note"])
        except ValidationError as error:
            form.add_service_errors(error, {"direct_costs": "direct_costs"})
        else:
            messages.success(request, f"Your {period.label} costs are on the open book")
            return redirect("alliance", pk=contract.pk)
    return render(request, "outcomes/alliance_form.html", {
        "contract": contract, "period": period, "form": form, "heading": f"Your actual costs, {period.label}",
        "button": "Show them on the open book"})


@login_required
def score_kpis(request, pk, period_pk):
    require(request.user, "score_alliance_kpis")
    contract = _alliance(request, pk)
    period = _period(contract, period_pk)
    kpis = list(contract.kpis.all())
    scores = {s.kpi_id: s for s in period.scores.all()}
    initial = {}
    for kpi_id, found in scores.items():
        initial |= {f"kpi_{kpi_id}": found.score, f"evidence_{kpi_id}": found.evidence}
    form = ScoresForm(request.POST or None, kpis=kpis, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            for kpi in kpis:
                alliances.record_score(request.user, period, kpi, form.cleaned_data[f"kpi_{kpi.pk}"],
                                       form.cleaned_data[f"evidence_{kpi.pk}"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The {period.label} KPI scores are recorded")
            return redirect("alliance", pk=contract.pk)
    return render(request, "outcomes/alliance_form.html", {
        "contract": contract, "period": period, "form": form, "heading": f"KPI scores, {period.label}",
        "button": "Save the scores"})


@login_required
def settle_period(request, pk, period_pk):
    """The check page before a period is settled, and the settlement."""
    require(request.user, "settle_alliances")
    contract = _alliance(request, pk)
    period = _period(contract, period_pk)
    errors = []
    if request.method == "POST":
        try:
            alliances.settle(request.user, period)
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(request, f"{period.label} is settled: the next payment run pays each partner")
            return redirect("alliance", pk=contract.pk)
    found = None if period.settled_at else alliances.working(period)
    return render(request, "outcomes/alliance_settle.html", {
        "contract": contract, "period": period, "errors": errors, "ended": clock.today() > period.ends_on,
        "settlement": alliances.as_record(found.settlement, found.names) if found and found.settlement else None,
        "missing": found.missing if found else []})
