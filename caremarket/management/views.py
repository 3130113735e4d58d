"""The provider record (its timeline, actions and reviews), logging contact with a provider,
and the quarterly contract review. Council staff only: these are the council's own notes."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.redirects import to_own_path
from caremarket.govuk import charts
from caremarket.govuk.lists import page_of
from caremarket.organisations.models import AccountManagement, Organisation, managed_by
from caremarket.periods.calendar import financial_year_label, financial_year_of

from . import measures, open_book, open_book_returns, performance, reviews, timeline
from .forms import ActionForm, ContactForm, CostOfCareForm, ReturnChoiceForm, ReviewHeldForm, TimelineFilter
from .models import Action, ContactEntry, ContractReview, CostOfCareReturn

DEFAULT_WINDOW = dt.timedelta(days=365)


def _provider(request, pk) -> Organisation:
    require(request.user, "view_provider_records")
    return get_visible_or_404(Organisation, request.user, pk=pk)


@login_required
def provider_record(request, pk):
    organisation = _provider(request, pk)
    today = clock.today()
    chosen = TimelineFilter(request.GET or None)
    found = chosen.cleaned_data if chosen.is_bound and chosen.is_valid() else {}
    until = found.get("until") or today
    since = found.get("since") or until - DEFAULT_WINDOW
    kinds = found.get("kinds") or list(timeline.KINDS)
    entries = timeline.timeline(organisation, request.user.organisation_id, since, until, kinds)
    return render(request, "management/record.html", {
        "organisation": organisation, "form": chosen if chosen.is_bound else TimelineFilter(),
        "timeline": entries, "page": page_of(request, entries.entries), "since": since, "until": until,
        "kinds": [timeline.KINDS[k] for k in kinds if k in timeline.KINDS],
        "all_kinds": len(kinds) == len(timeline.KINDS),
        "actions": visible(Action.objects.filter(organisation=organisation, done_on__isnull=True),
                           request.user).select_related("owner"),
        "reviews": visible(ContractReview.objects.filter(organisation=organisation), request.user)
        .order_by("-due_on")[:8],
        "today": today, "may_manage": can(request.user, "manage_accounts"),
        "account_manager": AccountManagement.objects.filter(organisation=organisation,
                                                            council=request.user.organisation_id).first(),
    })


@login_required
def log_contact(request, pk):
    require(request.user, "manage_accounts")
    organisation = _provider(request, pk)
    form = ContactForm(request.POST or None, request.FILES or None, initial={"happened_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            entry = ContactEntry.objects.create(
                council_id=request.user.organisation_id, organisation=organisation, kind=data["kind"],
                happened_on=data["happened_on"], summary=data["summary"], notes=data["notes"], file=data["file"] or "", file_name=data["file"].name[:200] if data["file"] else "",
                recorded_by=request.user, recorded_at=clock.now())
            record(request.user, "contact.logged", entry, after={"kind": entry.kind, "summary": entry.summary})
            if data["action"]:
                action = Action.objects.create(council_id=entry.council_id, organisation=organisation, entry=entry,
                                               description=data["action"], owner=data["action_owner"],
                                               due_on=data["action_due_on"])
                record(request.user, "action.agreed", action)
        messages.success(request, f"The {entry.get_kind_display().lower()} is logged")
        return redirect("provider-record", pk=organisation.pk)
    return render(request, "management/contact_form.html", {"organisation": organisation, "form": form})


@login_required
def contact_entry(request, pk, entry_pk):
    organisation = _provider(request, pk)
    entry = get_visible_or_404(ContactEntry.objects.select_related("recorded_by"), request.user, pk=entry_pk,
                               organisation=organisation)
    if request.GET.get("file") and entry.file:
        return FileResponse(entry.file.open("rb"), as_attachment=True, filename=entry.file_name or "file")
    return render(request, "management/contact.html", {"organisation": organisation, "entry": entry,
                                                       "actions": entry.actions.select_related("owner")})


@require_POST
@login_required
def action_done(request, pk, action_pk):
    require(request.user, "manage_accounts")
    organisation = _provider(request, pk)
    with transaction.atomic():
        action = visible(Action.objects.select_for_update(), request.user).filter(
            pk=action_pk, organisation=organisation).first()
        if action is None:
            raise Http404("Not found")
        if action.done_on is None:
            action.done_on = clock.today()
            action.save(update_fields=["done_on"])
            record(request.user, "action.done", action)
    messages.success(request, f"Done: {action.description}")
    return to_own_path(request, request.POST.get("next"), f"/providers/{organisation.pk}/#actions")


@login_required
def contract_review(request, pk, review_pk):
    organisation = _provider(request, pk)
    review = get_visible_or_404(ContractReview, request.user, pk=review_pk, organisation=organisation)
    may_manage = can(request.user, "manage_accounts")
    held = ReviewHeldForm(request.POST if "held" in request.POST else None, prefix="held",
                          initial={"held_on": clock.today()})
    action = ActionForm(request.POST if "action" in request.POST else None, prefix="action")
    if request.method == "POST":
        require(request.user, "manage_accounts")
        if "refresh" in request.POST and not review.held_on:
            reviews.refresh_agenda(review)
            messages.success(request, "The agenda is filled again from today's data")
            return redirect("contract-review", pk=organisation.pk, review_pk=review.pk)
        if "held" in request.POST and held.is_valid():
            with transaction.atomic():
                review.held_on, review.notes = held.cleaned_data["held_on"], held.cleaned_data["notes"]
                review.status = ContractReview.Status.HELD
                review.save(update_fields=["held_on", "notes", "status"])
                record(request.user, "contract_review.held", review)
            messages.success(request, "The review is recorded as held")
            return redirect("contract-review", pk=organisation.pk, review_pk=review.pk)
        if "action" in request.POST and action.is_valid():
            with transaction.atomic():
                made = Action.objects.create(council_id=review.council_id, organisation=organisation, review=review,
                                             **action.cleaned_data)
                record(request.user, "action.agreed", made)
            messages.success(request, "The action is added")
            return redirect("contract-review", pk=organisation.pk, review_pk=review.pk)
    return render(request, "management/review.html", {
        "organisation": organisation, "review": review, "held": held, "action": action, "may_manage": may_manage,
        "form": held if held.errors else action if action.errors else None,
        "actions": review.actions.select_related("owner"), "today": clock.today()})


@login_required
def provider_performance(request, pk):
    """Performance against targets for the last six months: the council's for any provider, a
    provider's for itself (the one visibility rule decides)."""
    require(request.user, "view_performance")
    organisation = get_visible_or_404(Organisation, request.user, pk=pk)
    months = measures.recent_months(organisation, request.user)
    rows = [{"measure": m, "cells": [results[i] for _, results in months]}
            for i, m in enumerate(performance.MEASURES)]
    keys = [f"{first:%Y-%m}" for first, _ in months]
    specs = {row["measure"].key: charts.trend(
        [{"month": key, "value": cell.value} for key, cell in zip(keys, row["cells"]) if cell.value is not None],
        month="month", value="value", value_title=row["measure"].unit.capitalize(), target=row["cells"][-1].target,
        description=f"{row['measure'].name} by month, against the target") for row in rows}
    return render(request, "management/performance.html", {
        "organisation": organisation, "months": [f"{first:%B %Y}" for first, _ in months], "rows": rows,
        "specs": specs,
        "latest": months[-1][1], "council": request.user.is_council,
        "targets": measures.targets_for(organisation, measures.targets_council(request.user)),
        "late_after": performance.LATE_AFTER})


@login_required
def my_reviews(request):
    """The reviews and actions of the providers the person manages (all, for a commissioner)."""
    require(request.user, "manage_accounts")
    reviews_due = visible(ContractReview.objects.filter(status=ContractReview.Status.SCHEDULED),
                          request.user).select_related("organisation")
    actions = visible(Action.objects.filter(done_on__isnull=True), request.user).select_related("organisation", "owner")
    if request.GET.get("all") != "1":
        reviews_due = reviews_due.filter(organisation__in=managed_by(request.user))
        actions = actions.filter(owner=request.user)
    return render(request, "management/mine.html", {"reviews": reviews_due.order_by("due_on"),
                                                    "actions": actions.order_by("due_on"), "today": clock.today(),
                                                    "showing_all": request.GET.get("all") == "1"})


# --- open-book cost-of-care returns: the provider's own; the council sees every provider's ----

@login_required
def cost_of_care_returns(request):
    require(request.user, "view_cost_of_care")
    returns = visible(CostOfCareReturn.objects.select_related("organisation", "service_type"), request.user)
    return render(request, "management/cost_of_care_list.html", {
        "page": page_of(request, returns), "may_send": can(request.user, "send_cost_of_care")})


@login_required
def send_cost_of_care(request):
    require(request.user, "send_cost_of_care")
    this_year = financial_year_of(clock.today())
    ended = [this_year - 1, this_year - 2]  # a return is for a year whose accounts are closed
    choice = ReturnChoiceForm(request.GET or None, years=ended, initial={"start_year": ended[0]})
    if not choice.is_valid():  # first, the service and year: the figures asked for depend on them
        return render(request, "management/cost_of_care_form.html", {"choice": choice})
    service_type, start_year = choice.cleaned_data["service_type"], choice.cleaned_data["start_year"]
    council = choice.cleaned_data["council"]
    form = CostOfCareForm(request.POST or None, bed_based=open_book_returns.bed_based(service_type))
    if request.method == "POST" and form.is_valid():
        try:
            found = open_book_returns.send(request.user.organisation, council, service_type, start_year,
                                           form.figures(), request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your return is sent: here is how it compares")
            return redirect("cost-of-care", pk=found.pk)
    return render(request, "management/cost_of_care_form.html", {
        "form": form, "service_type": service_type, "year_label": financial_year_label(start_year), "council": council,
        "unit": open_book_returns.unit_of(service_type)})


@login_required
def cost_of_care(request, pk):
    require(request.user, "view_cost_of_care")
    found = get_visible_or_404(CostOfCareReturn.objects.select_related("organisation", "service_type", "sent_by"),
                               request.user, pk=pk)
    band, compared = open_book_returns.comparison(found)
    return render(request, "management/cost_of_care.html", {
        "found": found, "band": band, "compared": compared, "unit": open_book_returns.unit_of(found.service_type),
        "year_label": financial_year_label(found.start_year), "peers_needed": open_book.PEERS_NEEDED,
        "council": request.user.is_council, "total_pence": open_book.total_costs(
            open_book_returns.figures_of(found)) + found.surplus_pence})
