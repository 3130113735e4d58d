"""Fee schedules, as published to everyone signed in (providers price against them), and the
annual price review that drafts next year's, checked before it is published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from caremarket.accounts.permissions import can, council_acted_for, require
from caremarket.core import clock
from caremarket.core.cleaning import whole_number
from caremarket.organisations.models import Organisation
from caremarket.govuk.forms import AcknowledgeForm
from caremarket.reference.models import ServiceType

from . import publish_check, services
from . import review as review_rules
from .forms import ReviewForm
from .models import FeeRate, FeeSchedule, HostAuthorityRate


def _council_shown(request) -> Organisation | None:
    """Whose fees: a council person's own council's; anyone else chooses among the councils
    (``?council=``), the first by name unless they do."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    own = council_acted_for(request.user)
    if own is not None:
        return councils.get(pk=own)
    chosen = whole_number(request.GET.get("council"), most_digits=18)
    return (councils.filter(pk=chosen).first() if chosen else None) or councils.first()


def _schedules(request, council):
    found = FeeSchedule.objects.filter(council=council).select_related("published_by")
    return found if can(request.user, "manage_fees") else found.filter(published_at__isnull=False)


@login_required
def schedules(request):
    council = _council_shown(request)
    latest = services.published_schedule(clock.today(), council)  # the fees in force today
    others = (Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).exclude(pk=council.pk)
              if council and council_acted_for(request.user) is None else [])
    return render(request, "fees/schedules.html", {
        "council": council, "other_councils": others, "query": f"?council={council.pk}" if others else "",
        "schedules": _schedules(request, council), "may_manage": can(request.user, "manage_fees"), "latest": latest,
        "direct_payment": latest.rates.filter(kind=FeeRate.Kind.DIRECT_PAYMENT).select_related("service_type")
        if latest else [],
        "host_rates": HostAuthorityRate.objects.select_related("service_type")[:50],
    })


@login_required
def schedule(request, start_year):
    found = get_object_or_404(_schedules(request, _council_shown(request)), start_year=start_year)
    review = getattr(found, "review", None)
    names = dict(ServiceType.objects.values_list("code", "name"))
    return render(request, "fees/schedule.html", {
        "schedule": found, "rates": found.rates.select_related("service_type"),
        "uplifts": found.quality_uplifts.all(), "review": review,
        "service_uplifts": [(names.get(code, code), uplift) for code, uplift in review.uplifts.items()] if review else [],
        "may_publish": can(request.user, "manage_fees") and not found.is_published,
        "may_apply": can(request.user, "manage_fees") and found.is_published,
    })


@login_required
def review(request):
    require(request.user, "manage_fees")
    based_on = (FeeSchedule.objects.filter(council=request.user.organisation_id, published_at__isnull=False)
                .order_by("-start_year").first())
    if based_on is None:
        messages.error(request, "Publish a fee schedule before reviewing it")
        return redirect("fees")
    service_ids = based_on.rates.exclude(kind=FeeRate.Kind.FNC).values("service_type")
    form = ReviewForm(request.POST or None, services=list(ServiceType.objects.filter(pk__in=service_ids)
                                                          .order_by("name")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inputs = review_rules.Inputs(
            cpi_percent=data["cpi_percent"], cpih_percent=data["cpih_percent"],
            nlw_change_percent=data["nlw_change_percent"], pension_ni_percent=data["pension_ni_percent"],
            affordability_cap_percent=data["affordability_cap_percent"], staff_share=form.staff_share(),
            index=data["index"], regional_percent=data["regional_percent"])
        try:
            drafted = services.run_review(based_on, inputs, request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"The {drafted.name} fee schedule is drafted. Check it, then publish it.")
            return redirect("fee-schedule", start_year=drafted.start_year)
    return render(request, "fees/review.html", {"form": form, "based_on": based_on})


@login_required
def publish(request, start_year):
    """Check a draft schedule against the last published one (what is unusual), then publish it."""
    require(request.user, "manage_fees")
    found = get_object_or_404(FeeSchedule, council=request.user.organisation_id, start_year=start_year)
    if found.is_published:
        return redirect("fee-schedule", start_year=start_year)
    facts = services.publish_facts(found)
    warnings = publish_check.warnings(facts)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None, warnings=warnings)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(found, request.user, acknowledged=warnings)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The {found.name} fee schedule is published. It prices care from "
                                      f"{found.starts_on:%d %B %Y}.")
        return redirect("fee-schedule", start_year=start_year)
    changes = [(change, publish_check.rise_percent(change)) for change in facts.rates]
    return render(request, "fees/publish_check.html", {
        "schedule": found, "changes": changes, "warnings": warnings, "form": form,
        "back": reverse("fee-schedule", args=[start_year])})
