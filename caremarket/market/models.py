"""What the council plans to spend, to set beside what it paid: the budget for each of its
payment periods, which a commissioner keeps as data. (Each area's commissioned home-support
hours are the area's own, in geography.)"""

from django.db import models

from caremarket.organisations.councils import CouncilOwned


class SpendBudget(CouncilOwned):
    """What the council means to spend on care in one of its payment periods."""

    council_from = "period"

    period = models.OneToOneField("periods.PaymentPeriod", on_delete=models.PROTECT, related_name="+")
    amount_pence = models.BigIntegerField()

    class Meta:
        ordering = ["period__start_date"]

    def __str__(self):
        return f"Budget for {self.period}"
