"""Writing an event: in the transaction that makes the change, so that a change rolled back
sends nothing and a change made is sent. Each subscriber that takes the event's kind by webhook
gets a delivery, waiting for the delivering worker (events.delivery)."""

from __future__ import annotations

from django.db import connection, transaction

from caremarket.core import clock

from .delivery import lane_of
from .models import Delivery, Event, Subscriber
from .tasks import deliver_events


def write(kind: str, subject: str, data: dict, *, council, citizen: dict | None = None) -> Event:
    """Record that ``kind`` happened to ``subject`` ("package CP-000123") in ``council``'s work
    (None: national). ``data`` is what any of that council's subscribers may read; ``citizen``
    (the person id first, then their details) only those allowed personal data, the others
    seeing the person id alone."""
    if not connection.in_atomic_block:
        raise RuntimeError("events.write must run inside the transaction that makes the change")
    now = clock.now()
    council = getattr(council, "pk", council)
    event = Event.objects.create(kind=kind, subject=subject, occurred_at=now, data=data, citizen=citizen,
                                 council_id=council)
    subscribers = [s.pk for s in receivers(Subscriber.objects.filter(active=True).exclude(url=""), council)
                   if kind in s.kinds]
    Delivery.objects.bulk_create([Delivery(event=event, subscriber_id=pk, subject=subject, lane=lane_of(subject),
                                           next_attempt_at=now) for pk in subscribers])
    if subscribers:
        _wake_the_worker_once()
    return event


def receivers(subscribers, council: int | None):
    """The subscribers an event of this council's work (None: national) goes to."""
    return subscribers if council is None else subscribers.filter(council=council)


def _wake() -> None:
    from .tasks import deliver_events  # the task module imports this one

    deliver_events.enqueue()


def _wake_the_worker_once() -> None:
    """One delivery task for the transaction, however many events it writes."""
    if not any(callback is _wake for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_wake, robust=True)
