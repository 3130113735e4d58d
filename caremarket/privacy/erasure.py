"""A carer's right to erasure (UK GDPR Article 17): a carer who asks to leave the register and be
forgotten is anonymised at once, as the retention schedule would do years later, unless money
is still to be paid for them or a legal hold keeps them. What the payments rest on is kept."""

from __future__ import annotations

from django.db import transaction

from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.outcomes.models import Booking, Carer, Voucher
from caremarket.payments.models import PaymentRun

from .models import LegalHold
from .retention import anonymise_carers


def problems(carer: Carer) -> list[str]:
    """Why the carer cannot be erased now, each in words saying what to do (none: they can)."""
    found = []
    if carer.anonymised_on:
        found.append(f"Carer {carer.reference} was anonymised on {carer.anonymised_on:%-d %B %Y}: nothing that "
                     "names them is left")
        return found
    if LegalHold.objects.filter(carer=carer, lifted_at__isnull=True).exists():
        found.append(f"A legal hold keeps carer {carer.reference}'s record: lift it first if the reason for it "
                     "has gone")
    for booking in (Booking.objects.filter(voucher__carer=carer).select_related("payment", "voucher")
                    .exclude(payment__lines__run__status=PaymentRun.Status.POSTED)):
        found.append(f"The payment of {format_gbp(booking.amount_pence)} for voucher {booking.voucher.reference} "
                     f"({booking.payment.reference}) is not yet paid: erase the carer once the payment run that "
                     "pays it is posted")
    for voucher in Voucher.objects.filter(carer=carer, status__in=[Voucher.Status.GRANTED, Voucher.Status.WAITING]):
        found.append(f"Voucher {voucher.reference} is {voucher.get_status_display().split(':')[0].lower()} and "
                     "not spent: it must be spent or cancelled first")
    return found


def erase(carer: Carer, *, by, reason: str) -> list[str]:
    """Anonymise the carer now, or say why not (and change nothing)."""
    with transaction.atomic():
        carer = Carer.objects.select_for_update().get(pk=carer.pk)
        if found := problems(carer):
            return found
        anonymise_carers([carer.pk], clock.today(), reason=f"At the carer's request: {reason}", actor=by)
    return []
