"""Each council's retention schedule as data, legal holds, and each retention run. The
council's alone: no ``owner_path``, so nobody outside the council sees them (accounts.permissions)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from caremarket.organisations.councils import CouncilOwned, LoadedWithTheInstall

from .retention_rules import KINDS, MOST_YEARS, period_words


class RetentionRule(LoadedWithTheInstall):
    """How long one kind of record is kept, after which event, and the law that says so. The
    kinds and their events are fixed (``retention_rules.KINDS``); each council sets the rest."""

    kind = models.CharField(max_length=20, choices=[(k, v.label) for k, v in KINDS.items()])
    years = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MOST_YEARS)])
    months = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(11)])
    legal_reason = models.TextField(help_text="Why the council keeps it this long, in its own words")
    source = models.CharField(max_length=300, help_text="The law, code or guidance the period comes from")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(years__lte=MOST_YEARS, months__lte=11) & (Q(years__gt=0) | Q(months__gt=0)),
                                   name="retention_period_is_a_month_to_a_hundred_years"),
            models.UniqueConstraint(fields=["council", "kind"], name="one_rule_a_kind_a_council"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.period}"

    @property
    def period(self) -> str:
        return period_words(self.years, self.months)

    @property
    def after(self) -> str:
        return KINDS[self.kind].after

    @property
    def action(self) -> str:
        return KINDS[self.kind].action


class LegalHold(models.Model):
    """Stops retention removing anything of one person (a claim, an inquiry, a safeguarding
    review) until it is lifted."""

    council_path = "placed_by__organisation"  # placed by the council's data protection officer

    citizen = models.ForeignKey("citizens.Citizen", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    carer = models.ForeignKey("outcomes.Carer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(citizen__isnull=True) ^ Q(carer__isnull=True),
                                   name="a_hold_is_on_one_person"),
        ]

    def __str__(self):
        whom = self.citizen.reference if self.citizen_id else f"carer {self.carer.reference}"
        return f"Legal hold on {whom}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RetentionRun(CouncilOwned):
    """One run of a council's schedule: what it removed (or, a dry run, would have), kind by kind."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(help_text="The day the periods were counted to")
    dry_run = models.BooleanField(default=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="Empty: the nightly job")
    removed = models.JSONField(default=dict, help_text="Kind to how many records it removed or anonymised")
    held = models.JSONField(default=dict, help_text="Kind to how many a legal hold kept")

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{'Dry run' if self.dry_run else 'Retention run'} of {self.started_at:%Y-%m-%d %H:%M}"
