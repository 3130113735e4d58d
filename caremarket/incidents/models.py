"""Incidents, concerns and safeguarding: reported by providers or council staff to a council
about a service, triaged by that council's quality team, investigated and closed with the
learning recorded. A triaged report that
stands counts towards the service's focussed-inspection triggers (``rules.intelligence_kind``)."""

from django.conf import settings
from django.db import models

from caremarket.organisations.councils import CouncilOwned


class Incident(CouncilOwned):
    class Kind(models.TextChoices):
        CONCERN = "concern", "Quality concern"
        SERIOUS_INCIDENT = "serious_incident", "Serious incident"
        SAFEGUARDING = "safeguarding", "Safeguarding alert"
        COMPLAINT = "complaint", "Complaint"
        COMPLIMENT = "compliment", "Compliment"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported: waiting to be triaged"
        INVESTIGATING = "investigating", "Being investigated"
        CLOSED = "closed", "Closed"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    # The provider sees what is reported about its services; a council sees every report made to it.
    owner_path = "location__organisation"

    reference = models.CharField(max_length=20, unique=True)
    location = models.ForeignKey("organisations.CareLocation", on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_on = models.DateField()
    what_happened = models.TextField()
    immediate_action = models.TextField(blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    substantiated = models.BooleanField(null=True, help_text="Decided at triage: whether the report stands")
    triage_notes = models.TextField(blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    intelligence = models.OneToOneField("quality.Intelligence", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="incident")

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["council", "status", "reported_at"], name="incidents_to_triage")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"
