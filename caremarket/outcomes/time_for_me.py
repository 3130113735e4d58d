"""Time for Me pages. Staff: asking for a carer's voucher, the marketplace's listings and their
bookings, the voucher budgets. Carers: signing in with an e-mailed link (no password), choosing
an activity on a phone and booking it with their voucher.

A carer is not a person who signs in to Caremarket: their sign-in is a mark in the session
(``vouchers.CARER_SESSION_KEY``) that opens these pages and no others.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import get_visible_or_404, require, visible
from caremarket.core.clients import client_address
from caremarket.payments.models import PaymentLine
from caremarket.payments.runs import run_label

from . import vouchers
from .forms import BookingForm, BudgetForm, EmailForm, ListingForm
from .models import Booking, Carer, ConsortiumContract, Listing, Voucher

# --- staff ---------------------------------------------------------------------------------------


@require_POST
@login_required
def ask_for_voucher(request, pk):
    require(request.user, "keep_carers_register")
    carer = get_visible_or_404(Carer, request.user, pk=pk)
    contract = ConsortiumContract.objects.filter(consortium=carer.consortium_id).order_by("-starts_on").first()
    if contract is None:
        raise Http404("Not found")
    try:
        voucher = vouchers.ask(request.user, carer, contract)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Voucher {voucher.reference}: {voucher.get_status_display().lower()}. "
                                  f"{voucher.reason}")
    return redirect("carer", pk=carer.pk)


def _paid_in(run) -> str:
    """Which payment run pays a booking, in words."""
    if run is None:
        return "To be paid in the next payment run"
    if run.status == run.Status.POSTED:
        return f"Paid in the {run_label(run.period)} run, on {run.period.payment_date:%-d %B %Y}"
    return f"In the {run_label(run.period)} run, to be paid on {run.period.payment_date:%-d %B %Y}"


@login_required
def marketplace(request):
    """An organisation's listings, and the bookings carers made with their vouchers."""
    require(request.user, "list_marketplace_activities")
    listings = visible(Listing.objects.annotate(booked=Count("bookings")), request.user).filter(
        organisation=request.user.organisation)
    bookings = visible(Booking.objects.select_related("listing", "voucher__carer", "payment"), request.user).filter(
        listing__organisation=request.user.organisation)
    shown = list(bookings[:100])
    # The organiser sees a carer's name only where the register lets it see the carer (its own
    # register, or the integrator's); otherwise the first name and what the carer chose to share.
    on_register = set(visible(Carer.objects.filter(pk__in=[b.voucher.carer_id for b in shown]), request.user)
                      .values_list("pk", flat=True))
    paid_in = {line.due_id: line.run for line in PaymentLine.objects.filter(
        due__in=[b.payment_id for b in shown]).select_related("run__period__financial_year")}
    for booking in shown:
        booking.carer_on_register = booking.voucher.carer_id in on_register
        booking.paid_in = _paid_in(paid_in.get(booking.payment_id))
    return render(request, "outcomes/marketplace.html", {"listings": listings, "bookings": shown,
                                                         "booking_count": bookings.count()})


@login_required
def listing_edit(request, pk=None):
    require(request.user, "list_marketplace_activities")
    listing = (get_visible_or_404(Listing.objects.filter(organisation=request.user.organisation), request.user, pk=pk)
               if pk else Listing(organisation=request.user.organisation))
    form = ListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{listing.title} is {'changed' if pk else 'listed'}")
        return redirect("marketplace")
    return render(request, "outcomes/listing_form.html", {"form": form, "listing": listing if pk else None})


@login_required
def voucher_budgets(request, pk):
    require(request.user, "manage_voucher_budgets")
    contract = get_visible_or_404(ConsortiumContract.objects.distinct(), request.user, pk=pk)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vouchers.add_budget(request.user, contract, data["starts_on"], data["ends_on"], data["budget"],
                                data["voucher"], data["from_age"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The budget is added; carers waiting were granted vouchers in turn")
            return redirect("voucher-budgets", pk=contract.pk)
    budgets = [{"budget": b, "left_pence": vouchers.budget_left(b)} for b in contract.voucher_budgets.all()]
    waiting = Voucher.objects.filter(contract=contract, status=Voucher.Status.WAITING).count()
    return render(request, "outcomes/voucher_budgets.html", {"contract": contract, "form": form, "budgets": budgets,
                                                             "waiting": waiting})


# --- carers --------------------------------------------------------------------------------------

def carer_signed_in(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        carer = Carer.objects.filter(pk=request.session.get(vouchers.CARER_SESSION_KEY)).first()
        if carer is None:
            return redirect("time-for-me")
        request.carer = carer
        return view(request, *args, **kwargs)
    return wrapped


def start(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if vouchers.ask_for_link(form.cleaned_data["email"], request.build_absolute_uri("/"), client_address(request)):
            return render(request, "outcomes/carer/link_sent.html", {"email": form.cleaned_data["email"]})
        form.add_error("email", "You have asked for many links in the last hour. Wait an hour, then ask again")
        return render(request, "outcomes/carer/start.html", {"form": form}, status=429)
    return render(request, "outcomes/carer/start.html", {"form": form})


def sign_in_with_link(request, token):
    carer = vouchers.use_link(token)
    if carer is None:
        return render(request, "outcomes/carer/link_not_valid.html", status=400)
    request.session.cycle_key()
    request.session[vouchers.CARER_SESSION_KEY] = carer.pk
    return redirect("time-for-me-activities")


@require_POST
def carer_sign_out(request):
    request.session.pop(vouchers.CARER_SESSION_KEY, None)
    return redirect("time-for-me")


@carer_signed_in
def activities(request):
    listings = vouchers.open_listings().select_related("organisation").annotate(booked=Count("bookings"))
    category = request.GET.get("category", "")
    if category in Listing.Category.values:
        listings = listings.filter(category=category)
    return render(request, "outcomes/carer/activities.html", {
        "carer": request.carer, "voucher": vouchers.spendable(request.carer), "listings": listings,
        "categories": Listing.Category.choices, "category": category,
        "booking": Booking.objects.filter(voucher__carer=request.carer).select_related("listing").first()})


@carer_signed_in
def activity_detail(request, pk):
    listing = vouchers.open_listings().select_related("organisation").filter(pk=pk).first()
    if listing is None:
        raise Http404("Not found")
    voucher = vouchers.spendable(request.carer)
    form = BookingForm(request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            vouchers.book(request.carer, listing.pk, form.cleaned_data["needs_shared"])
        except ValidationError as refused:
            errors = refused.messages
        else:
            return redirect("time-for-me-booking")
    return render(request, "outcomes/carer/activity.html", {
        "carer": request.carer, "listing": listing, "voucher": voucher, "errors": errors, "form": form,
        "places_left": vouchers.places_left(listing)})


@carer_signed_in
def my_booking(request):
    booking = (Booking.objects.filter(voucher__carer=request.carer).select_related("listing__organisation", "voucher")
               .order_by("-booked_at").first())
    return render(request, "outcomes/carer/booking.html", {"carer": request.carer, "booking": booking,
                                                           "voucher": vouchers.spendable(request.carer)})

