"""Citizens and their assessed needs. A citizen's identity is the council's alone:
these models have no ``owner_path``, so nobody outside the council can see them
(accounts.permissions). Providers see only ``anonymise.anonymised_requirement``."""

from django.conf import settings
from django.db import models

from caremarket.organisations.councils import CouncilOwned, the_only_council
from caremarket.organisations.models import Organisation

__all__ = ["Assessment", "Citizen", "IntakeBatch", "RecordAccess", "RecordAccessCitizen", "WaitingChange",
           "the_only_council"]


class Citizen(models.Model):
    audit_name_field = "reference"  # the audit trail names a citizen by record number, never by name
    personal_fields = ("given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode", "died_on")
    council_path = "council"  # a council's citizens are its own alone (accounts.permissions.for_council)

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", default=the_only_council,
                                limit_choices_to={"kind": Organisation.Kind.COUNCIL})
    reference = models.CharField("Council record number", max_length=20)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    address = models.TextField()
    postcode = models.CharField(max_length=8)
    ward = models.ForeignKey("geography.Ward", null=True, blank=True, on_delete=models.PROTECT)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="citizens"
    )
    died_on = models.DateField("Date of death", null=True, blank=True)
    # Set when the retention schedule (privacy.retention) removed what names them.
    anonymised_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [models.UniqueConstraint(fields=["council", "reference"], name="one_record_number_per_council")]

    def __str__(self):
        return f"{self.given_name} {self.family_name} ({self.reference})"

    def for_events(self) -> dict:
        """What an event carries of the citizen (events.outbox): the person id, which every
        subscriber sees, then the details only those allowed personal data see."""
        return {"person_id": self.reference, "given_name": self.given_name, "family_name": self.family_name,
                "date_of_birth": self.date_of_birth.isoformat(), "nhs_number": self.nhs_number,
                "address": self.address, "postcode": self.postcode}


class Assessment(CouncilOwned):
    """A social worker's assessment of eligible needs and the support plan that follows."""

    personal_fields = ("eligible_needs", "outcomes")
    council_from = "citizen"

    class Status(models.TextChoices):
        ASSESSED = "assessed", "Assessed"
        AWAITING_SERVICE = "awaiting_service", "Awaiting a service"
        RECEIVING_SERVICE = "receiving_service", "Receiving a service"
        CLOSED = "closed", "Closed"

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    service_type = models.ForeignKey("reference.ServiceType", on_delete=models.PROTECT)
    need_groups = models.ManyToManyField("reference.NeedGroup")
    eligible_needs = models.TextField()
    outcomes = models.TextField()
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    weekly_budget_pence = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSESSED)
    source_id = models.CharField("Client record system's id", max_length=40, null=True, blank=True,
                                 help_text="Set when the assessment came from the client record system")

    class Meta:
        ordering = ["-assessed_on"]
        # Each council's client record system numbers its own assessments.
        constraints = [models.UniqueConstraint(fields=["council", "source_id"], name="one_assessment_per_source_id")]

    def __str__(self):
        return f"Assessment of {self.citizen.reference} on {self.assessed_on:%d %b %Y}"


class WaitingChange(models.Model):
    """A change the client record system sent for an assessment that care has been arranged from
    since: it is not written over what Caremarket did, but waits for a person to accept or reject."""

    personal_fields = ("values",)
    council_path = "assessment__council"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="waiting_changes")
    values = models.JSONField(help_text="The fields that would change, and their new values")
    values_sha256 = models.CharField(max_length=64, help_text="The same change sent again waits once")
    received_at = models.DateTimeField()
    accepted = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self):
        return f"Change from the client record system to {self.assessment}"


class IntakeBatch(models.Model):
    """A batch the client record system sent with an Idempotency-Key, and what it answered: the
    same key and batch again gets the same answer and changes nothing."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    body_sha256 = models.CharField(max_length=64)
    outcome = models.JSONField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "key"], name="one_batch_per_idempotency_key")]

    def __str__(self):
        return f"Batch {self.key[:40]} from {self.sender}"


class RecordAccess(models.Model):
    """Who saw citizens' personal details, when, where and which citizens: one row for each
    page or API answer that showed them, so that the council can answer "who looked at my
    record?" (UK GDPR, the right of access). Written by citizens.access_log."""

    council_path = "person__organisation"  # each council's staff, in its own log

    class Kind(models.TextChoices):
        RECORD = "record", "A citizen's record"
        LIST = "list", "A list of citizens"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    via_api = models.BooleanField(default=False)
    where = models.CharField(max_length=500, help_text="The page or API address, with its search")
    citizens = models.ManyToManyField(Citizen, through="RecordAccessCitizen", related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.person} saw {self.get_kind_display().lower()} at {self.at:%Y-%m-%d %H:%M}"


class RecordAccessCitizen(models.Model):
    access = models.ForeignKey(RecordAccess, on_delete=models.CASCADE, related_name="shown")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["citizen", "access"], name="access_by_citizen")]
