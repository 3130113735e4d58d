"""The outbox: every fact other systems act on, written in the same transaction as the change
(so a change rolled back sends nothing), and each subscriber's delivery of it.

An event of one council's work goes to that council's systems alone; a national one (a carer
registered on a consortium's register) to every council's."""

import uuid

from django.apps import apps
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
    # Whose work it records: only that council's subscribers receive it. Blank: national.
    council = models.ForeignKey("organisations.Organisation", null=True, editable=False, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.kind} {self.subject}"


class Subscriber(models.Model):
    """A council system that receives events: by signed webhook to its address, by the pull
    feed with its account's API token, or both. It is one council's, and receives that council's
    events and national ones (accounts.permissions.for_council keeps it to its council's staff)."""

    council_path = "council"

    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "council"}, editable=False)
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

    def save(self, *args, **kwargs):
        if self.council_id is None:  # on an install of one council, that council's
            councils = list(apps.get_model("organisations", "Organisation").objects.filter(kind="council")
                            .values_list("pk", flat=True)[:2])
            if len(councils) != 1:
                raise ValueError("Say which council's system this subscriber is")
            self.council_id = councils[0]
        super().save(*args, **kwargs)


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
