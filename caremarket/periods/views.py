from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, council_acted_for, for_council, require
from caremarket.core import clock
from caremarket.core.cleaning import whole_number

from .calendar import financial_year_of
from .models import FinancialYear
from .publishing import draft_year, publish_year


@login_required
def payment_calendar(request):
    """The published payment periods (every signed-in user: providers plan around them)."""
    this_year = financial_year_of(clock.today())
    years = FinancialYear.objects.select_related("council").prefetch_related("periods").order_by(
        "start_year", "council__name")
    if council_acted_for(request.user):  # council staff: their own council's calendar
        years = for_council(years, request.user)
    if not can(request.user, "publish_payment_periods"):
        years = years.filter(published_at__isnull=False)
    years = list(years)
    return render(request, "periods/calendar.html", {
        "years": years, "several_councils": len({y.council_id for y in years}) > 1,
        "this_year": this_year,
        "may_publish": can(request.user, "publish_payment_periods"),
        "next_year": this_year + 1,
    })


@login_required
@require_POST
def draft(request):
    require(request.user, "publish_payment_periods")
    start_year = whole_number(request.POST.get("start_year"), most_digits=4)
    if start_year is None or not 2000 <= start_year <= 2100:
        messages.error(request, "Enter a financial year between 2000 and 2100")
        return redirect("payment-calendar")
    try:
        year = draft_year(start_year, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("payment-calendar")
    messages.success(request, f"The {year} payment calendar has been drafted. Check it, then publish it.")
    return redirect("payment-calendar")


@login_required
@require_POST
def publish(request, start_year):
    require(request.user, "publish_payment_periods")
    year = get_object_or_404(for_council(FinancialYear.objects.all(), request.user), start_year=start_year)
    publish_year(year, request.user)
    messages.success(request, f"The {year} payment calendar has been published")
    return redirect("payment-calendar")
