"""The market intelligence dashboard: each chart with its table beside it and its own CSV."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from caremarket.accounts.permissions import council_acted_for, require
from caremarket.core import clock
from caremarket.organisations.councils import first_council
from caremarket.govuk.lists import Column, csv_download
from caremarket.periods.calendar import financial_year_label, financial_year_of
from caremarket.periods.models import FinancialYear

from . import intelligence
from .forms import MarketFilter


def _filters(request) -> tuple[MarketFilter, intelligence.Filters]:
    today = clock.today()
    this_year = financial_year_of(today)
    council = council_acted_for(request.user) or first_council()
    years = sorted({this_year, *FinancialYear.objects.filter(council=council, start_year__lte=this_year)
                    .values_list("start_year", flat=True)}, reverse=True)
    form = MarketFilter(request.GET or None, years=years, initial={"year": this_year})
    found = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, intelligence.Filters(council=council, year=found.get("year") or this_year, today=today,
                                      area=found.get("area"), service_type=found.get("service_type"))


@login_required
def dashboard(request):
    require(request.user, "view_market")
    form, filters = _filters(request)
    found = intelligence.dashboard(filters)
    return render(request, "market/dashboard.html", {
        "form": form, "filters": filters, "charts": found, "year_label": financial_year_label(filters.year),
        "specs": {chart.key: chart.spec for chart in found}, "query": request.GET.urlencode(),
    })


@login_required
def chart_csv(request, key):
    require(request.user, "view_market")
    if key not in intelligence.CHARTS:
        raise Http404("No such chart")
    _, filters = _filters(request)
    chart = intelligence.CHARTS[key](filters)
    columns = [Column(heading, lambda row, i=i: row[i]) for i, heading in enumerate(chart.headings)]
    return csv_download(chart.rows, columns, f"{key}-{filters.year}.csv")
