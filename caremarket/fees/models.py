"""Each council's fee schedules, one a financial year, and the price reviews that make them.

A schedule is drafted (by hand in the back office or by a price review), checked, then
published; only a published schedule prices care. The rules that read it are in
``fees.pricing`` and ``fees.review``."""

from django.conf import settings
from django.db import models

from caremarket.organisations.councils import LoadedWithTheInstall
from caremarket.periods.calendar import financial_year_bounds, financial_year_label
from caremarket.reference.models import ServiceType

from . import pricing


class FeeSchedule(LoadedWithTheInstall):
    start_year = models.PositiveIntegerField(help_text="The financial year, by the year it starts in")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    method = models.TextField(blank=True, help_text="How the fees were set, as published to providers")

    class Meta:
        ordering = ["-start_year"]
        constraints = [models.UniqueConstraint(fields=["council", "start_year"], name="one_fee_schedule_a_year")]

    def __str__(self):
        return f"{self.name} fee schedule"

    @property
    def name(self) -> str:
        return financial_year_label(self.start_year)

    @property
    def starts_on(self):
        return financial_year_bounds(self.start_year)[0]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class FeeRate(LoadedWithTheInstall):
    council_from = "schedule"

    class Kind(models.TextChoices):
        FIXED = pricing.Kind.FIXED, "Fixed fee"
        ENHANCEMENT = pricing.Kind.ENHANCEMENT, "Enhancement on the home-support fee"
        GUIDE = pricing.Kind.GUIDE, "Guide price (open book)"
        MINIMUM = pricing.Kind.MINIMUM, "Minimum rate for historic packages"
        FNC = pricing.Kind.FNC, "NHS-funded nursing care (paid by the NHS)"
        DIRECT_PAYMENT = pricing.Kind.DIRECT_PAYMENT, "Direct payment agency rate"

    class Unit(models.TextChoices):
        HOUR = pricing.HOUR, "an hour"
        WEEK = pricing.WEEK, "a week"

    class AgeBand(models.TextChoices):
        ALL = pricing.ALL_AGES, "All ages"
        WORKING_AGE = pricing.WORKING_AGE, "18 to 64"
        OLDER = pricing.OLDER, "65 and over"

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="rates")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.ALL)
    need_level = models.CharField(max_length=30, blank=True, help_text="Guide prices: the level of need")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    amount_pence = models.PositiveIntegerField()
    effective_from = models.DateField(help_text="1 April, or the day a change in the year starts")

    class Meta:
        ordering = ["service_type__name", "kind", "age_band", "need_level", "effective_from"]
        constraints = [models.UniqueConstraint(
            fields=["schedule", "service_type", "kind", "age_band", "need_level", "effective_from"],
            name="one_rate_per_kind_band_and_day")]

    def __str__(self):
        return f"{self.service_type} {self.get_kind_display().lower()}"


class QualityUplift(LoadedWithTheInstall):
    """A published percentage added to fixed fees for providers with a rating (e.g. Gold)."""

    council_from = "schedule"

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="quality_uplifts")
    rating = models.PositiveSmallIntegerField(choices=[(4, "Gold"), (3, "Silver"), (2, "Bronze")])
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "rating"], name="one_uplift_per_rating")]

    def __str__(self):
        return f"{self.get_rating_display()} quality uplift of {self.percent}%"


class HostAuthorityRate(models.Model):
    """Another council's usual rate, paid for out-of-city placements in its area."""

    authority = models.CharField(max_length=100)
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=10, choices=FeeRate.Unit.choices)
    amount_pence = models.PositiveIntegerField()
    effective_from = models.DateField()
    source = models.CharField(max_length=200, blank=True, help_text="Where the rate was found")

    class Meta:
        ordering = ["authority", "service_type__name", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["authority", "service_type", "effective_from"],
                                               name="one_host_rate_per_day")]

    def __str__(self):
        return f"{self.authority}: {self.service_type}"


class PriceReview(LoadedWithTheInstall):
    """The inputs, method and outcome of one year's review; it drafts that year's schedule."""

    council_from = "schedule"

    schedule = models.OneToOneField(FeeSchedule, on_delete=models.CASCADE, related_name="review")
    based_on = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="+")
    inputs = models.JSONField()
    overrides = models.JSONField(default=dict, blank=True)
    uplifts = models.JSONField(default=dict, help_text="Each service's uplift with its reasons")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()

    def __str__(self):
        return f"Price review for the {self.schedule}"
