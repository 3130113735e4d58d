"""Pages for contracts paid by results.

Members keep the carers register (their own carers); the integrator sees the consortium's,
merges duplicates, sends the quarterly returns and runs members' statements; the council sees
each contract's figures and payments, never a carer, and releases the payments into its runs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.core.cleaning import whole_number
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv
from caremarket.organisations.models import Organisation
from caremarket.periods.calendar import financial_year_label, financial_year_of

from . import contracts, kpis, register, wellbeing
from .filters import ActivityFilter, CarerFilter
from .forms import ActivityForm, CarerForm, DismissDuplicateForm, ReturnFileForm, WellbeingForm
from .models import Carer, CarerActivity, CarerMerge, ConsortiumContract, ContractYear

# --- the carers register (members and the integrator) -----------------------------------------

CARER_COLUMNS = [
    Column("Register number", lambda c: c.reference),
    Column("Given name", lambda c: c.given_name),
    Column("Family name", lambda c: c.family_name),
    Column("Date of birth", lambda c: c.born_on),
    Column("Postcode", lambda c: c.postcode),
    Column("Registered by", lambda c: c.registered_by.name),
    Column("Registered on", lambda c: c.registered_on),
    Column("Needs assessed on", lambda c: c.assessed_on or ""),
    Column("Hours of care a week", lambda c: c.hours_a_week),
    Column("Left on", lambda c: c.left_on or ""),
    Column("Merged into", lambda c: c.merged_into.reference if c.merged_into_id else ""),
]


@login_required
def carer_list(request):
    require(request.user, "keep_carers_register")
    carers = visible(Carer.objects.select_related("registered_by", "merged_into"), request.user)
    found = CarerFilter(request.GET, carers, request=request)
    if wants_csv(request):
        return csv_download(found.qs, CARER_COLUMNS, "carers.csv")
    today = clock.today()
    return render(request, "outcomes/carers.html", {
        "filter": found, "page": page_of(request, found.qs), "young_before": kpis.eighteen_years_before(today),
        "may_merge": can(request.user, "merge_carers"),
        "integrator": request.user.role == Role.CONSORTIUM_INTEGRATOR})


def _carer(request, pk) -> Carer:
    require(request.user, "keep_carers_register")
    return get_visible_or_404(Carer.objects.select_related("registered_by", "merged_into"), request.user, pk=pk)


@login_required
def carer_add(request):
    require(request.user, "keep_carers_register")
    consortium = register.consortium_of(request.user.organisation)
    if consortium is None:
        raise PermissionDenied("Your organisation is not a member of a consortium")
    form = CarerForm(request.POST or None, initial={"registered_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        carer = form.save(commit=False)
        carer.consortium, carer.registered_by = consortium, request.user.organisation
        try:
            register.register(request.user, carer)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{carer.name} is registered as {carer.reference}")
            return redirect("carer", pk=carer.pk)
    return render(request, "outcomes/carer_form.html", {"form": form, "carer": None})


@login_required
def carer_change(request, pk):
    carer = _carer(request, pk)
    before = carer.audit_facts()
    form = CarerForm(request.POST or None, instance=carer)
    if request.method == "POST" and form.is_valid():
        try:
            register.update(request.user, form.save(commit=False), before)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{carer.reference} is changed")
            return redirect("carer", pk=carer.pk)
    return render(request, "outcomes/carer_form.html", {"form": form, "carer": carer})


@login_required
def carer_detail(request, pk):
    carer = _carer(request, pk)
    assessments = list(carer.wellbeing.select_related("assessed_by"))
    baseline = next((a for a in assessments if a.kind == "baseline"), None)
    latest = next((a for a in reversed(assessments) if a.kind == "follow_up"), None)
    merges = CarerMerge.objects.filter(Q(kept=carer) | Q(merged=carer)).select_related("kept", "merged", "merged_by")
    return render(request, "outcomes/carer.html", {
        "carer": carer, "assessments": assessments, "domains": wellbeing.DOMAINS,
        "change": wellbeing.change(baseline.total, latest.total if latest else None) if baseline else None,
        "young": carer.born_on > kpis.eighteen_years_before(clock.today()),
        "activities": carer.activities.select_related("member")[:20], "merges": merges,
        "merged": visible(Carer.objects.filter(merged_into=carer), request.user),
        "vouchers": carer.vouchers.select_related("booking__listing")})


@login_required
def carer_wellbeing(request, pk):
    carer = _carer(request, pk)
    has_baseline = carer.wellbeing.filter(kind="baseline").exists()
    form = WellbeingForm(request.POST or None, initial={"kind": "follow_up" if has_baseline else "baseline",
                                                        "assessed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            register.assess_wellbeing(request.user, carer, form.cleaned_data["kind"], form.cleaned_data["assessed_on"],
                                      form.scores())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The wellbeing assessment of {carer.reference} is recorded")
            return redirect("carer", pk=carer.pk)
    return render(request, "outcomes/wellbeing_form.html", {"form": form, "carer": carer, "scale": wellbeing.SCALE})


@login_required
def duplicates(request):
    require(request.user, "merge_carers")
    pairs = register.likely_duplicates(visible(Carer.objects.all(), request.user))
    return render(request, "outcomes/duplicates.html", {"pairs": pairs})


def _pair(request, first: str, second: str) -> tuple[Carer, Carer]:
    """The two registrations a merge or dismissal page is about, named in its query or form."""
    require(request.user, "merge_carers")
    data = request.POST if request.method == "POST" else request.GET
    try:
        return tuple(get_visible_or_404(Carer, request.user, pk=int(data.get(name, ""))) for name in (first, second))
    except ValueError:
        raise Http404("Not found") from None


@login_required
def merge_carers(request):
    """The check page before a merge, and the merge."""
    kept, merged = _pair(request, "kept", "merged")
    errors = []
    if request.method == "POST":
        try:
            register.merge(request.user, kept, merged)
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(request, f"{merged.reference} is merged into {kept.reference}")
            return redirect("carer", pk=kept.pk)
    return render(request, "outcomes/merge.html", {"kept": kept, "merged": merged, "errors": errors})


@login_required
def dismiss_duplicate(request):
    """The check page for saying a likely duplicate pair are two carers, with why, and doing it."""
    first, second = _pair(request, "first", "second")
    form = DismissDuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register.dismiss(request.user, first, second, form.cleaned_data["why"])
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"{first.reference} and {second.reference} are recorded as two carers: "
                                      "both count from today")
            return redirect("carer-duplicates")
    return render(request, "outcomes/dismiss.html", {"first": first, "second": second, "form": form})


# --- activity -----------------------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column("Date", lambda a: a.happened_on),
    Column("What happened", lambda a: a.get_kind_display()),
    Column("Member", lambda a: a.member.name),
    Column("Carer", lambda a: a.carer.reference if a.carer_id else ""),
    Column("Group, network or practice", lambda a: a.name),
    Column("Attending", lambda a: a.attending or ""),
]


@login_required
def activity(request):
    require(request.user, "keep_carers_register")
    form = ActivityForm(request.POST or None, initial={"happened_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        carer = None
        if data["carer"]:
            carer = visible(Carer.objects.all(), request.user).filter(reference__iexact=data["carer"].strip()).first()
            if carer is None:
                form.add_error("carer", "No carer on your register has that number")
        if not form.errors:
            try:
                register.record_activity(request.user, CarerActivity(
                    member=request.user.organisation, kind=data["kind"], happened_on=data["happened_on"], carer=carer,
                    name=data["name"], attending=data["attending"] or 0, recorded_by=request.user))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "The activity is recorded")
                return redirect("carer-activity")
    found = ActivityFilter(request.GET, visible(CarerActivity.objects.select_related("member", "carer"), request.user),
                           request=request)
    if wants_csv(request):
        return csv_download(found.qs, ACTIVITY_COLUMNS, "carer-activity.csv")
    return render(request, "outcomes/activity.html", {"form": form, "filter": found,
                                                      "page": page_of(request, found.qs)})


# --- consortium contracts -------------------------------------------------------------------------

def _contract(request, pk) -> ConsortiumContract:
    require(request.user, "view_consortium_contracts")
    return get_visible_or_404(ConsortiumContract.objects.select_related("consortium").distinct(), request.user, pk=pk)


def _year(contract, start_year) -> ContractYear:
    year = contract.years.filter(start_year=start_year).first()
    if year is None:
        raise Http404("Not found")
    return year


@login_required
def contract_list(request):
    require(request.user, "view_consortium_contracts")
    found = visible(ConsortiumContract.objects.select_related("consortium"), request.user).distinct()
    return render(request, "outcomes/contracts.html", {"contracts": found})


@login_required
def contract_detail(request, pk):
    contract = _contract(request, pk)
    integrator = contracts.integrator_of(contract)
    sees_money = request.user.is_council or request.user.organisation_id == (integrator and integrator.pk)
    years = []
    if sees_money:
        for year in contract.years.all():
            year_ends = kpis.year_periods(year.start_year)["year"][0].end
            years.append({"year": year, "label": financial_year_label(year.start_year),
                          "quarters": contracts.standing(year),
                          "performance": (None if year.performance_released_at or clock.today() <= year_ends
                                          else contracts.performance_due(year))})
    agreements = visible(contract.agreements.select_related("member"), request.user)
    return render(request, "outcomes/contract.html", {
        "contract": contract, "integrator": integrator, "years": years, "agreements": agreements,
        "today": clock.today(),
        "may_send": can(request.user, "send_quarterly_returns") and sees_money and not request.user.is_council,
        "may_release": can(request.user, "release_consortium_payments"),
        "may_manage_budgets": can(request.user, "manage_voucher_budgets"),
        "duplicates": register.duplicates_to_check(request.user),
    })


def _chosen_periods(request, contract) -> tuple[int, str, list[kpis.Period]]:
    """The year (this one by default, else the contract's latest) and the periods it is shown by."""
    years = list(contract.years.values_list("start_year", flat=True)) or [financial_year_of(clock.today())]
    this_year = financial_year_of(clock.today())
    asked = whole_number(request.GET.get("year"))
    start_year = asked if asked in years else (this_year if this_year in years else years[-1])
    by = request.GET.get("by") if request.GET.get("by") in ("month", "quarter", "year") else "quarter"
    return start_year, by, kpis.year_periods(start_year)[by]


def _chosen_members(request, contract, start_year: int) -> tuple[str, list[int], list[int]]:
    """(the member asked for, or "", whose figures to count, everyone the person may see): the
    members during the year shown."""
    members = contracts.members_seen_by(request.user, contract, kpis.year_periods(start_year)["year"][0])
    member = whole_number(request.GET.get("member"))
    if member in members:
        return str(member), [member], members
    return "", members, members


@login_required
def contract_kpis(request, pk):
    contract = _contract(request, pk)
    start_year, by, periods = _chosen_periods(request, contract)
    member, chosen, members = _chosen_members(request, contract, start_year)
    names = dict(Organisation.objects.filter(pk__in=members).values_list("pk", "name"))
    figures = kpis.by_period(periods, chosen, clock.today())
    rows = []
    for kpi in kpis.KPIS:
        values = [found[kpi.code]["all"] if found else None for found in figures]  # None: not begun
        top = max(v or 0 for v in values) or 1
        rows.append({"kpi": kpi, "cells": [{"value": v, "period": p, "height": 60 * (v or 0) // top,
                                            "top": 62 - 60 * (v or 0) // top} for v, p in zip(values, periods)]})
    whole_year = kpis.year_periods(start_year)["year"][0]
    return render(request, "outcomes/kpis.html", {
        "contract": contract, "rows": rows, "periods": periods, "by": by, "start_year": start_year,
        "wellbeing": wellbeing.cohort(contracts.wellbeing_pairs(chosen, whole_year)), "year_label": whole_year.label,
        "by_choices": [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        "years": [(y, financial_year_label(y)) for y in contract.years.values_list("start_year", flat=True)],
        "members": [(m, names.get(m, "")) for m in members], "member": member,
        "chosen_name": names.get(chosen[0], "") if len(chosen) == 1 else "",
        "drill_down": not request.user.is_council,
    })


@login_required
def kpi_records(request, pk, code):
    """The records behind a KPI's figure. Not for the council: it sees figures, never a carer."""
    contract = _contract(request, pk)
    if request.user.is_council:
        raise PermissionDenied("The council sees the register's figures, not the carers on it")
    kpi = kpis.BY_CODE.get(code)
    if kpi is None:
        raise Http404("Not found")
    start_year, by, periods = _chosen_periods(request, contract)
    asked = whole_number(request.GET.get("period")) or 0
    period = periods[asked] if asked < len(periods) else periods[0]
    member, chosen, _ = _chosen_members(request, contract, start_year)
    records = kpi.records(period, chosen)
    if kpi.of == "carers":
        records = visible(records.select_related("registered_by"), request.user).order_by("family_name", "given_name")
    else:
        records = visible(records.select_related("member", "carer"), request.user).order_by("-happened_on", "pk")
    return render(request, "outcomes/kpi_records.html", {
        "contract": contract, "kpi": kpi, "period": period, "page": page_of(request, records),
        "back": f"{reverse('consortium-kpis', args=[contract.pk])}?year={start_year}&by={by}&member={member}"})


@login_required
def send_return(request, pk, start_year, quarter):
    require(request.user, "send_quarterly_returns")
    contract = _contract(request, pk)
    year = _year(contract, start_year)
    if quarter not in (1, 2, 3, 4):
        raise Http404("Not found")
    form = ReturnFileForm(request.POST or None, request.FILES or None)
    figures, errors = None, []
    if request.method == "POST":
        if "file" in request.FILES:
            if form.is_valid():
                figures, errors = contracts.figures_from_file(form.cleaned_data["file"].read())
        elif request.POST.get("send") == "figures":
            figures = contracts.quarter_figures(year, quarter)
        if figures:
            try:
                sent = contracts.send_return(request.user, year, quarter, figures)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, f"Quarter {quarter}'s return is sent" + (
                    " (late)" if sent.late else "" if sent.received_on else
                    ", but every figure in it is nought: the quarter's payment waits for a complete return"))
                return redirect("consortium-contract", pk=contract.pk)
    period = contracts.quarter(year, quarter)
    return render(request, "outcomes/send_return.html", {
        "contract": contract, "year": year, "quarter": quarter, "period": period, "form": form, "errors": errors,
        "due_on": contracts.due_on(year, quarter), "ended": clock.today() > period.end,
        "figures": [(kpi, figures[kpi.code]) for figures in [contracts.quarter_figures(year, quarter)]
                    for kpi in kpis.KPIS],
        "today": clock.today()})


@login_required
def release_quarter(request, pk, start_year, quarter):
    """The check page before a quarter's block payment goes into the next payment run."""
    require(request.user, "release_consortium_payments")
    contract = _contract(request, pk)
    year = _year(contract, start_year)
    sent = year.returns.filter(quarter=quarter).first()
    if sent is None:
        raise Http404("Not found")
    standing = contracts.standing(year)[quarter - 1]
    errors = []
    if request.method == "POST":
        try:
            contracts.release_quarter(request.user, sent)
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(request, f"Quarter {quarter}'s payment is released: the next payment run pays it")
            return redirect("consortium-contract", pk=contract.pk)
    return render(request, "outcomes/release.html", {
        "contract": contract, "year": year, "what": f"Quarter {quarter}'s block payment", "payment": standing.payment,
        "sent": sent, "payee": contracts.integrator_of(contract), "errors": errors,
        "done": bool(sent.released_at), "held_back": contracts.held_back(contract)})


@login_required
def release_performance(request, pk, start_year):
    require(request.user, "release_consortium_payments")
    contract = _contract(request, pk)
    year = _year(contract, start_year)
    errors, payment = [], None
    try:
        payment = contracts.performance_due(year)
    except ValidationError as refused:
        errors = refused.messages
    if request.method == "POST" and not errors:
        try:
            contracts.release_performance(request.user, year)
        except ValidationError as refused:
            errors = refused.messages
        else:
            messages.success(request, "The performance share is released: the next payment run pays it")
            return redirect("consortium-contract", pk=contract.pk)
    return render(request, "outcomes/release.html", {
        "contract": contract, "year": year, "what": f"The {financial_year_label(year.start_year)} performance share",
        "payment": payment, "payee": contracts.integrator_of(contract), "errors": errors,
        "done": bool(year.performance_released_at), "held_back": contracts.held_back(contract)})


@login_required
def statements(request, pk):
    """Members' statements for a quarter: the integrator sees every member's, a member its own."""
    contract = _contract(request, pk)
    start_year, _, _ = _chosen_periods(request, contract)
    quarters = kpis.year_periods(start_year)["quarter"]
    number = whole_number(request.GET.get("quarter"))
    if number is None or not 1 <= number <= len(quarters):
        number = 1
    period = quarters[number - 1]
    agreements = visible(contract.agreements.select_related("member", "contract"), request.user)
    if request.user.is_council:
        raise PermissionDenied("Members' statements are between the integrator and its members")
    rows = [{"agreement": a, "lines": lines, "total_pence": sum(p.amount_pence for p in lines)}
            for a in agreements for lines in [contracts.member_statement(a, period)]]
    return render(request, "outcomes/statements.html", {
        "contract": contract, "rows": rows, "period": period, "number": number, "start_year": start_year,
        "integrator": request.user.role == Role.CONSORTIUM_INTEGRATOR,
        "years": [(y, financial_year_label(y)) for y in contract.years.values_list("start_year", flat=True)],
        "duplicates": register.duplicates_to_check(request.user)})

