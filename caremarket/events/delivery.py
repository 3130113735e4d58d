"""Delivering events to subscribers as Standard Webhooks (the `standardwebhooks` package signs
them: webhook-id, webhook-timestamp, webhook-signature).

Exactly once by id: a delivery is retried until the receiver answers 2xx, so a receiver that
was down, answered 500 or timed out gets the event again, with the same id, and drops a
duplicate by it; a worker killed mid-batch leaves its deliveries waiting, to be sent again.
In order: a subscriber's deliveries are in LANES lanes, a record's always in the same one (by its
subject); a worker takes one lane at a time (locked, so two workers never send one lane at
once, but share a subscriber's lanes) and stops at the first failure, so nothing overtakes an
event of its record that is still to be delivered. On SQLite, which takes one writer at a time,
run one delivering worker. Retries back off (1, 2, 4 … minutes, at most 6 hours); after
MOST_ATTEMPTS the delivery fails for good, is listed for a person, and can be sent again.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import zlib
from urllib.parse import urlsplit

from django.db import connection, transaction
from standardwebhooks import Webhook

from caremarket.core import clock

from .models import Delivery, Subscriber
from .messages import payload

BATCH = 500
LANES = 8
TIMEOUT_SECONDS = 5
MOST_ATTEMPTS = 12  # about a day of retries
LONGEST_WAIT = dt.timedelta(hours=6)
ROTATION_OVERLAP = dt.timedelta(days=1)  # the previous secret also signs for a day
LOCK_SPACE = 0x45560000  # a lane's advisory lock key: (this + subscriber id, lane)


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), LONGEST_WAIT)


def headers_for(subscriber: Subscriber, message_id: str, body: bytes, now: dt.datetime) -> dict[str, str]:
    """The Standard Webhooks headers. The timestamp is the machine's real time, whatever the
    service's clock is set to (a receiver refuses one more than a few minutes from its own)."""
    secrets = [subscriber.secret]
    if subscriber.previous_secret and subscriber.rotated_at and now - subscriber.rotated_at < ROTATION_OVERLAP:
        secrets.append(subscriber.previous_secret)
    sent_at = dt.datetime.now(dt.timezone.utc)
    signatures = " ".join(Webhook(secret).sign(message_id, sent_at, body) for secret in secrets)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signatures, "content-type": "application/json"}


class _Receiver:
    """One kept-alive connection to a subscriber's address for a batch."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.connection = kind(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def post(self, body: bytes, headers: dict) -> str | None:
        """None when the receiver took it (2xx), else what went wrong."""
        try:
            self.connection.request("POST", self.path, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            return f"Could not deliver: {error.__class__.__name__} {error}"[:500]
        if 200 <= response.status < 300:
            return None
        if response.getheader("connection", "").lower() == "close":
            self.connection.close()
        return f"The receiver answered {response.status}"

    def close(self):
        self.connection.close()


def lane_of(subject: str) -> int:
    return zlib.crc32(subject.encode()) % LANES


def deliver_due(limit: int = BATCH) -> int:
    """Send what is due, lane by lane; how many were delivered."""
    delivered = 0
    now = clock.now()
    waiting = (Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
               .order_by().values_list("subscriber_id", "lane").distinct())  # no ordering: one row each
    for subscriber_id, lane in sorted(waiting):
        delivered += _deliver_lane(subscriber_id, lane, limit)
    return delivered


def _locked(subscriber_id: int, lane: int) -> bool:
    """Take the lane for this transaction, or False when another worker has it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: one worker
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_SPACE + subscriber_id, lane])
        return cursor.fetchone()[0]


def _deliver_lane(subscriber_id: int, lane: int, limit: int) -> int:
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(pk=subscriber_id, active=True).first()
        if subscriber is None or not _locked(subscriber_id, lane):
            return 0  # switched off, or another worker is sending this lane
        now = clock.now()
        pending = list(Delivery.objects.filter(subscriber=subscriber, lane=lane, status=Delivery.Status.PENDING)
                       .select_related("event").order_by("event_id")[:limit])
        if not pending or pending[0].next_attempt_at > now:
            return 0  # the oldest is waiting out its back-off: the later ones wait behind it
        receiver, sent = _Receiver(subscriber.url), []
        try:
            for delivery in pending:
                message = payload(delivery.event, personal_data=subscriber.personal_data)
                body = json.dumps(message, separators=(",", ":"), sort_keys=True).encode()
                problem = receiver.post(body, headers_for(subscriber, message["id"], body, now))
                if problem is None:
                    sent.append(delivery.pk)
                    continue
                delivery.attempts += 1
                delivery.last_error = problem
                if delivery.attempts >= MOST_ATTEMPTS:
                    delivery.status = Delivery.Status.FAILED
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                break  # nothing overtakes it
        finally:
            receiver.close()
        Delivery.objects.filter(pk__in=sent).update(status=Delivery.Status.DELIVERED, delivered_at=clock.now(),
                                                    last_error="")
        return len(sent)


def send_again(delivery: Delivery) -> Delivery:
    """A delivery that failed for good is tried again from now (a person asked for it)."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=clock.now())
    delivery.refresh_from_db()
    return delivery
