"""The outbox: every fact other systems act on, written in the same transaction as the change
(so a change rolled back sends nothing), and each subscriber's delivery of it."""

import uuid

from django.conf import settings
from django.db import models


class Event(models.Model):
    """One fact, once. Its ``id`` is the pull feed's cursor; its ``uid`` is the webhook's id, by
    which a receiver drops a duplicate."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60, db_index=True)
    subject = models.CharField(max_length=100, help_text="The record it is about: events of one arrive in order")
    occurred_at = models.DateTimeField()
    data = models.JSONField(help_text="What happened: never a citizen's personal data")
    citizen = models.JSONField(null=True, blank=True,
                               help_text="The citizen's details, for subscribers allowed personal data")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.kind} {self.subject}"


class Subscriber(models.Model):
    """A council system that receives events: by signed webhook to its address, by the pull
    feed with its account's API token, or both."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField("Webhook address", max_length=500, blank=True,
                          help_text="https:// in production; leave empty for the pull feed only")
    account = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="event_subscription",
                                   help_text="The account whose API token reads the pull feed")
    kinds = models.JSONField(default=list, help_text="The kinds of event it may receive")
    personal_data = models.BooleanField("May receive personal data", default=False)
    secret = models.CharField(max_length=100, help_text="Signs its webhooks (whsec_…)")
    previous_secret = models.CharField(max_length=100, blank=True,
                                       help_text="Also signs them for a day after the secret is rotated")
    rotated_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be delivered"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed for good"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    subject = models.CharField(max_length=100)  # the event's, kept here to hold order per record cheaply
    # Which of a subscriber's lanes it goes in (events.delivery.lane_of its subject): a record's
    # events share a lane, and one worker at a time sends a lane, so workers share a subscriber.
    lane = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["event_id"]
        constraints = [models.UniqueConstraint(fields=["event", "subscriber"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="deliveries_due"),
                   models.Index(fields=["subscriber", "lane", "status", "event"], name="deliveries_in_lane")]

    def __str__(self):
        return f"{self.event} to {self.subscriber}"
