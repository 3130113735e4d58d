"""A copy of the CQC's register of locations, as last imported, and a record of each import."""

from django.conf import settings
from django.db import models


class RegisteredLocation(models.Model):
    """One location as the CQC publishes it (every location in England, not only the council's)."""

    location_id = models.CharField(max_length=20, unique=True)
    provider_id = models.CharField(max_length=20, db_index=True)
    provider_name = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=400, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    is_care_home = models.BooleanField(default=False)
    beds = models.PositiveIntegerField(null=True, blank=True)
    service_types = models.CharField(max_length=500, blank=True, help_text="Separated by '|'")
    registered = models.BooleanField(default=True)
    registered_on = models.DateField(null=True, blank=True)
    deregistered_on = models.DateField(null=True, blank=True)
    rating = models.CharField(max_length=40, blank=True, help_text="The CQC's own words")
    rating_published_on = models.DateField(null=True, blank=True)
    row_digest = models.CharField(max_length=16, blank=True, help_text="Fingerprint of the row last imported")

    def __str__(self):
        return f"{self.name} ({self.location_id})"


class CqcImport(models.Model):
    KIND_LABELS = {"locations": "Active locations", "ratings": "Latest ratings (locations)",
                   "deactivated": "Deactivated locations", "api": "CQC API records"}

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=300)
    file_kind = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="The first errors, each with its row number")
    warnings = models.JSONField(default=list, blank=True, help_text="Columns missing from the file, said before "
                                                                    "anything was stored")
    services_updated = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS.get(self.file_kind, "")
