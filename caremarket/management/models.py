"""Contract management: the council's account managers' log of each provider (meetings, calls,
monitoring visits, correspondence), the actions agreed with an owner and a due date, and the
quarterly contract reviews of the providers with the largest share of the market.

These are the council's working records: no ``owner_path``, so only council staff see them
(accounts.permissions), each council its own; the provider sees the actions the council shares
with it at a review. A provider's open-book cost-of-care return is the exception: it is the
provider's own, sent to one council, so it has an ``owner_path`` and the provider sees it (and
the comparison, peers anonymised).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from caremarket.organisations.councils import CouncilOwned, LoadedWithTheInstall


class ContactEntry(CouncilOwned):
    """Something that passed between the council and a provider, as the account manager logs it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Telephone call"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
        CORRESPONDENCE = "correspondence", "Letter or email"
        NOTE = "note", "Note"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    summary = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    file = models.FileField(upload_to="contact/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["council", "organisation", "happened_on"], name="contact_by_provider")]

    def __str__(self):
        return f"{self.get_kind_display()} with {self.organisation}, {self.happened_on:%-d %B %Y}"


class ReviewPolicy(LoadedWithTheInstall):
    """Which providers have a quarterly contract review: those whose share of the council's weekly
    spend on care packages is at least ``market_share`` (one row a council)."""

    market_share = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.01"),
                                       validators=[MinValueValidator(0), MaxValueValidator(1)],
                                       help_text="For example 0.01: 1% of the weekly spend")
    days_into_quarter = models.PositiveSmallIntegerField(
        default=45, help_text="A quarter's review is due this many days after the quarter starts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council"], name="one_review_policy_a_council")]

    def __str__(self):
        return f"Quarterly reviews for providers with {self.market_share:.2%} of the market or more"


class ContractReview(CouncilOwned):
    """A quarterly contract review, its agenda filled from the data when it is scheduled."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    due_on = models.DateField()
    market_share = models.DecimalField(max_digits=5, decimal_places=4, help_text="When it was scheduled")
    agenda = models.JSONField(default=list, help_text="Headings, each with its lines, from the data")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    held_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    scheduled_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["council", "organisation", "start_year", "quarter"],
                                               name="one_review_a_provider_a_quarter")]

    def __str__(self):
        return f"Quarter {self.quarter} {self.start_year}/{str(self.start_year + 1)[2:]} review of {self.organisation}"

    @property
    def share_percent(self) -> str:
        return f"{Decimal(self.market_share):.1%}"


class Action(CouncilOwned):
    """Something agreed to be done, by whom and when: from a contact or a review."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(ContactEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    review = models.ForeignKey(ContractReview, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self):
        return self.description


class PerformanceTarget(LoadedWithTheInstall):
    """A performance measure's target: the council's default (no provider), or one provider's."""

    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", help_text="Leave blank for every provider")
    measure = models.CharField(max_length=20, choices=[("late", "Late visits (%)"), ("missed", "Missed visits (%)"),
                                                       ("delivered", "Time delivered against planned (%)"),
                                                       ("award_to_start", "Days from award to start"),
                                                       ("hand_backs", "Packages handed back")])
    value = models.DecimalField(max_digits=7, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "organisation", "measure"],
                                    name="one_target_a_provider_a_measure"),
            models.UniqueConstraint(fields=["council", "measure"], condition=models.Q(organisation__isnull=True),
                                    name="one_default_target_a_measure"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.value}"


class CostOfCareReturn(CouncilOwned):
    """A provider's open-book return to a council for a service type and financial year
    (open_book.py checks it)."""

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey("reference.ServiceType", on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveIntegerField(help_text="The financial year, by the year it starts")
    staff_costs_pence = models.BigIntegerField()
    on_costs_pence = models.BigIntegerField()
    overheads_pence = models.BigIntegerField()
    surplus_pence = models.BigIntegerField(help_text="Negative for a deficit")
    units_delivered = models.DecimalField(max_digits=12, decimal_places=2,
                                          help_text="Hours delivered (home support) or bed-weeks filled (care homes)")
    occupancy_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    beds = models.PositiveIntegerField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_year", "organisation__name", "service_type__name"]
        constraints = [models.UniqueConstraint(fields=["council", "organisation", "service_type", "start_year"],
                                               name="one_return_a_service_a_year")]

    def __str__(self):
        return f"{self.organisation}'s cost of care for {self.service_type}, {self.start_year}"
