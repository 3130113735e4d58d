"""Payment queries: a visit that differs from its plan, answered by the provider and
settled by finance. A queried visit is held out of payment until it is settled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp

from . import visits as rules
from .ingest import hourly_rate_on
from .models import PaymentQuery


def answer(query: PaymentQuery, actor, *, text: str, claimed_minutes: int | None = None) -> PaymentQuery:
    if not text.strip():
        raise ValidationError({"answer": "Say what happened on this visit"})
    if claimed_minutes is not None and not 0 < claimed_minutes <= 24 * 60:
        raise ValidationError({"claimed_minutes": "Claimed minutes must be more than 0 and at most 1,440"})
    with transaction.atomic():
        query = PaymentQuery.objects.select_for_update().select_related("visit").get(pk=query.pk)
        if query.status not in (PaymentQuery.Status.OPEN, PaymentQuery.Status.ANSWERED):
            raise ValidationError("This query is settled")
        query.answer, query.claimed_minutes = text.strip(), claimed_minutes
        query.status, query.answered_by, query.answered_at = PaymentQuery.Status.ANSWERED, actor, clock.now()
        query.save()
        record(actor, "payment_query.answered", query,
               after={"visit": query.visit.visit_id, "claimed_minutes": claimed_minutes}, reason=query.answer)
    return query


def settle(query: PaymentQuery, actor, *, accept: bool, resolution: str) -> PaymentQuery:
    """Accept the provider's claim (paid at the claimed minutes, or as planned) or close the
    query with the visit paid as priced. Either way it is paid in the next run."""
    if not resolution.strip():
        raise ValidationError({"resolution": "Say why"})
    with transaction.atomic():
        query = PaymentQuery.objects.select_for_update().select_related("visit__package").get(pk=query.pk)
        if query.status in (PaymentQuery.Status.ACCEPTED, PaymentQuery.Status.CLOSED):
            raise ValidationError("This query is settled")
        visit = query.visit
        if accept:
            minutes = query.claimed_minutes or rules.minutes(visit.planned_start, visit.planned_end)
            query.claimed_minutes = minutes
            rate = hourly_rate_on(visit.package, clock.local(visit.planned_start).date())
            query.claimed_amount_pence = rules.amount(rate, minutes, visit.package.carers_per_visit)
        query.status = PaymentQuery.Status.ACCEPTED if accept else PaymentQuery.Status.CLOSED
        query.resolved_by, query.resolved_at, query.resolution = actor, clock.now(), resolution.strip()
        query.save()
        paid = query.claimed_amount_pence if accept else visit.amount_pence
        record(actor, "payment_query.accepted" if accept else "payment_query.closed", query,
               after={"visit": visit.visit_id, "paid": format_gbp(paid)}, reason=query.resolution)
    return query
