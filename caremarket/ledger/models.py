"""The council's finance codes, kept as data: which cost centre a line is charged to, and which
subjective code each kind of line and each funder's part is charged under."""

from django.db import models

SUBJECTIVE_KEYS = [
    ("scheduled", "Scheduled payments"), ("arrears", "Arrears"), ("recovery", "Recoveries"),
    ("adjustment", "Adjustments to prices already paid"), ("invoice", "Home-support invoices"),
    ("results", "Payment by results"), ("nhs_share", "The NHS's joint-funding share (recovered)"),
    ("client_contribution", "Citizens' contributions (recovered)"), ("top_up", "Third-party top-ups (recovered)"),
    ("creditors", "The creditors control account"),
]


class CostCentre(models.Model):
    """Lines for this service type in this area are charged here; a rule with no service type or
    no area covers them all, the most particular rule winning."""

    service_type = models.ForeignKey("reference.ServiceType", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="Empty: any service type")
    area = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="Empty: any area")
    code = models.CharField("Cost centre", max_length=20)

    class Meta:
        ordering = ["service_type__name", "area__name"]

    def __str__(self):
        return f"{self.code}: {self.service_type or 'any service'}, {self.area or 'any area'}"


class SubjectiveCode(models.Model):
    key = models.CharField(max_length=30, unique=True, choices=SUBJECTIVE_KEYS)
    code = models.CharField("Subjective code", max_length=20)
    control_cost_centre = models.CharField(max_length=20, blank=True,
                                           help_text="For the creditors control account only: its cost centre")

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return f"{self.code}: {self.get_key_display()}"
