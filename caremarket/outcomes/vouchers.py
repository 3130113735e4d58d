"""Time for Me: asking for a carer's voucher, granting the waiting list in turn when a budget
has room, a carer signing in with an e-mailed link, and booking an activity with a voucher.

Whether a carer may have a voucher is ``carers.voucher_decision`` (pure). Two rows are locked
where two people could otherwise act at once: the budget while a voucher is decided (so two
decisions never spend the same pounds) and the voucher while it is spent (so one voucher
pays for one booking, however many are tried at the same moment); the listing is locked too,
so that its places are never overbooked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django_tasks import task

from caremarket.accounts.mail import send_secret
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.core.references import with_reference
from caremarket.payments.models import PaymentDue
from caremarket.periods.calendar import financial_year_bounds, financial_year_of

from . import carers
from .models import Booking, Carer, CarerSignIn, ConsortiumContract, LinkRequest, Listing, Voucher, VoucherBudget

LINK_LASTS = dt.timedelta(hours=1)
# At most this many links are sent to one address, and asked for from one client, an hour.
LINK_REQUESTS_COUNTED = dt.timedelta(hours=1)
LINKS_PER_ADDRESS = 3
REQUESTS_PER_CLIENT = 10
CARER_SESSION_KEY = "time_for_me_carer"


def budget_on(contract: ConsortiumContract, day: dt.date) -> VoucherBudget | None:
    return contract.voucher_budgets.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on").first()


def budget_left(budget: VoucherBudget) -> int:
    committed = budget.vouchers.filter(status__in=[Voucher.Status.GRANTED, Voucher.Status.SPENT]) \
        .aggregate(total=Sum("amount_pence"))["total"] or 0
    return budget.budget_pence - committed


def _same_carer(carer: Carer) -> Q:
    """A carer's registrations: the one that counts and any merged into it."""
    kept = carer.merged_into_id or carer.pk
    return Q(carer_id=kept) | Q(carer__merged_into_id=kept)


def _had_one_this_year(carer: Carer, day: dt.date) -> bool:
    first, last = financial_year_bounds(financial_year_of(day))
    return Voucher.objects.filter(_same_carer(carer), status__in=[Voucher.Status.GRANTED, Voucher.Status.SPENT],
                                  granted_at__date__gte=first, granted_at__date__lte=last).exists()


def ask(actor, carer: Carer, contract: ConsortiumContract) -> Voucher:
    """Ask for a voucher for a carer: granted, put on the waiting list, or refused with why."""
    if carer.merged_into_id or carer.left_on:
        raise ValidationError("Ask on the carer's current registration: this one was merged or has left")
    if carer.held_back_for_id:
        raise ValidationError(f"This registration is likely the same carer as {carer.held_back_for.reference}: "
                              "a voucher waits until the consortium's lead merges the two or says they are two "
                              "carers")
    today = clock.today()
    with transaction.atomic():
        budget = budget_on(contract, today)
        if budget is not None:
            budget = VoucherBudget.objects.select_for_update().get(pk=budget.pk)
        terms = (carers.VoucherTerms(budget.voucher_pence, budget.more_than_hours, budget.from_age) if budget
                 else carers.VoucherTerms())
        if Voucher.objects.filter(_same_carer(carer), status=Voucher.Status.WAITING).exists():
            raise ValidationError("This carer is on the waiting list already")
        decision = carers.voucher_decision(terms, carer.hours_a_week, _had_one_this_year(carer, today),
                                           budget_left(budget) if budget else 0, carers.age_on(carer.born_on, today))
        if decision.outcome == "not eligible":
            raise ValidationError(decision.reason)
        granted = decision.outcome == "granted"
        voucher = with_reference(Voucher(
            carer=carer, contract=contract, amount_pence=terms.amount_pence, budget=budget if granted else None,
            reason=decision.reason[:300], status=Voucher.Status.GRANTED if granted else Voucher.Status.WAITING,
            asked_by=actor, asked_at=clock.now(), granted_at=clock.now() if granted else None),
            "V", separator="", digits=7)
        record(actor, f"voucher.{voucher.status}", voucher,
               after={"carer": carer.reference, "amount pence": voucher.amount_pence, "why": decision.reason})
    return voucher


def grant_waiting(actor, budget: VoucherBudget) -> list[Voucher]:
    """Grant the waiting list in turn, first asked first, while the budget has room."""
    granted = []
    with transaction.atomic():
        budget = VoucherBudget.objects.select_for_update().get(pk=budget.pk)
        left = budget_left(budget)
        for voucher in Voucher.objects.filter(contract=budget.contract_id, status=Voucher.Status.WAITING) \
                .select_related("carer").order_by("asked_at", "pk"):
            if left < budget.voucher_pence:
                break
            voucher.status, voucher.budget, voucher.granted_at = Voucher.Status.GRANTED, budget, clock.now()
            voucher.amount_pence = budget.voucher_pence
            voucher.reason = "Granted in turn from the waiting list when the budget had room"
            voucher.save(update_fields=["status", "budget", "granted_at", "amount_pence", "reason"])
            record(actor, "voucher.granted", voucher, after={"carer": voucher.carer.reference, "why": voucher.reason})
            left -= budget.voucher_pence
            granted.append(voucher)
    return granted


def add_budget(actor, contract: ConsortiumContract, starts_on: dt.date, ends_on: dt.date, budget_pence: int,
               voucher_pence: int = 15_000, from_age: int = carers.ADULT_AGE) -> VoucherBudget:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The budget must end on or after the day it starts"})
    overlapping = contract.voucher_budgets.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping:
        raise ValidationError({"starts_on": f"It overlaps the {overlapping}"})
    with transaction.atomic():
        budget = VoucherBudget.objects.create(contract=contract, starts_on=starts_on, ends_on=ends_on,
                                              budget_pence=budget_pence, voucher_pence=voucher_pence,
                                              from_age=from_age)
        record(actor, "voucher_budget.added", budget)
    if starts_on <= clock.today() <= ends_on:
        grant_waiting(actor, budget)
    return budget


# --- the carer's sign-in link ---------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask_for_link(email: str, base_url: str, client: str | None) -> bool:
    """Take a request for a sign-in link; False when this client has asked too often.

    The request does the same work whatever the address (a count, a row, a background task),
    so neither its answer nor its time tells anyone whether a carer has that address: the
    task (``send_link``) looks the carer up and sends the link. An address is sent
    at most ``LINKS_PER_ADDRESS`` links an hour, however many are asked for."""
    address = email.strip().lower()
    now = clock.now()
    since = now - LINK_REQUESTS_COUNTED
    with transaction.atomic():
        LinkRequest.objects.filter(requested_at__lt=since).delete()
        if LinkRequest.objects.filter(client=client or "", requested_at__gte=since).count() >= REQUESTS_PER_CLIENT:
            return False
        asked = LinkRequest.objects.filter(address_hash=_hash(address), requested_at__gte=since).count()
        LinkRequest.objects.create(address_hash=_hash(address), client=client or "", requested_at=now)
        if asked < LINKS_PER_ADDRESS:
            # In this transaction: the worker sees the task once the request is committed.
            send_link.enqueue(address, base_url)
    return True


@task()
def send_link(email: str, base_url: str) -> None:
    """E-mail a sign-in link to the carer with this address, if there is one with a voucher to
    spend (in the background: ``ask_for_link``)."""
    found = (Carer.objects.filter(email__iexact=email.strip(), merged_into__isnull=True, left_on__isnull=True,
                                  vouchers__status=Voucher.Status.GRANTED).distinct().order_by("pk").first())
    if found is None:
        return
    token = secrets.token_urlsafe(32)
    now = clock.now()
    CarerSignIn.objects.create(carer=found, token_hash=_hash(token), sent_at=now, expires_at=now + LINK_LASTS)
    link = base_url.rstrip("/") + reverse("time-for-me-link", args=[token])
    send_secret("Your Time for Me sign-in link",
                f"Hello {found.given_name},\n\nUse this link to choose an activity with your Time for Me voucher:\n\n"
                f"{link}\n\nIt works once, within the next hour. If you did not ask for it, you can ignore this "
                f"email.\n\n{settings.COUNCIL_NAME} carers' services", [found.email])


def use_link(token: str) -> Carer | None:
    """The carer a link signs in, or None if it is unknown, used or expired. It works once."""
    with transaction.atomic():
        link = CarerSignIn.objects.select_for_update().select_related("carer").filter(token_hash=_hash(token)).first()
        if link is None or link.used_at or link.expires_at < clock.now():
            return None
        link.used_at = clock.now()
        link.save(update_fields=["used_at"])
    return link.carer


# --- booking with a voucher -----------------------------------------------------------------------

def open_listings():
    today = clock.today()
    return Listing.objects.filter(Q(happens_on__isnull=True) | Q(happens_on__gte=today), is_open=True)


def places_left(listing: Listing) -> int:
    return listing.places - listing.bookings.count()


def spendable(carer: Carer) -> Voucher | None:
    return Voucher.objects.filter(_same_carer(carer), status=Voucher.Status.GRANTED).order_by("granted_at").first()


def book(carer: Carer, listing_id: int, needs_shared: str = "") -> Booking:
    """Spend the carer's voucher on a listing; the listing's organisation is paid in the next
    payment run. Refused, storing nothing, when the voucher is spent already (a second tab, a
    second press), the listing is full, closed or costs more than the voucher."""
    with transaction.atomic():
        voucher = spendable(carer)
        if voucher is not None:
            voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher is None or voucher.status != Voucher.Status.GRANTED:
            raise ValidationError("Your voucher has been spent already: each voucher pays for one activity")
        listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
        if listing is None or not listing.is_open or (listing.happens_on and listing.happens_on < clock.today()):
            raise ValidationError("This activity is no longer open for booking")
        if places_left(listing) < 1:
            raise ValidationError("This activity is full: choose another")
        if listing.price_pence > voucher.amount_pence:
            raise ValidationError(f"This activity costs {format_gbp(listing.price_pence)}, more than your voucher's "
                                  f"{format_gbp(voucher.amount_pence)}")
        now = clock.now()
        payment = PaymentDue.objects.create(
            council_id=voucher.contract.council_id, reference=f"TFM-{voucher.reference}",
            organisation_id=listing.organisation_id,
            service="Time for Me voucher",
            due_on=clock.today(), amount_pence=listing.price_pence, decided_at=now,
            reason=f"Time for Me voucher {voucher.reference} spent on {listing.title}"[:300])
        booking = Booking.objects.create(voucher=voucher, listing=listing, amount_pence=listing.price_pence,
                                         booked_at=now, payment=payment, needs_shared=needs_shared)
        voucher.status = Voucher.Status.SPENT
        voucher.save(update_fields=["status"])
        record(f"carer {carer.reference} (signed in by e-mailed link)", "voucher.spent", booking,
               after={"voucher": voucher.reference, "listing": listing.title, "amount pence": listing.price_pence})
    return booking
