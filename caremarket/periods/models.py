from django.conf import settings
from django.db import models

from caremarket.organisations.councils import CouncilOwned

from .calendar import financial_year_label


class FinancialYear(CouncilOwned):
    """A council's financial year (1 April – 31 March) and whether its payment calendar is published."""

    start_year = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["start_year"]
        constraints = [models.UniqueConstraint(fields=["council", "start_year"], name="one_calendar_a_year")]

    def __str__(self):
        return financial_year_label(self.start_year)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PaymentPeriod(CouncilOwned):
    """Four weeks (or so) of a council's payment calendar, and the day they are paid."""

    council_from = "financial_year"

    financial_year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="periods")
    number = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField()
    payment_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "number"], name="one_period_number_per_year"),
            models.UniqueConstraint(fields=["council", "start_date"], name="one_period_starts_a_day"),
            models.UniqueConstraint(fields=["council", "end_date"], name="one_period_ends_a_day"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="period_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.financial_year} period {self.number}"
