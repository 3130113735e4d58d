"""Evidence about the quality of a service, and the ratings worked out from it.

A "service" is a provider's registered location (organisations.CareLocation): that is
what the CQC, the council and the NHS inspect and rate.

Each council runs its own quality rating system: its inspections, the statements (PQAS) and
feedback given to it, its ratings, improvement plans and the inspections it calls for are its
own. What the CQC and the NHS find is national: every council's ratings read it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from caremarket.organisations.councils import CouncilOwned

from .ratings import Rating, Source

RATING_CHOICES = [(r.value, r.label) for r in sorted(Rating, reverse=True)]


class Toolkit(models.Model):
    """A version of the council's inspection toolkit: the core standards and their outcomes."""

    version = models.CharField(max_length=20, unique=True)
    published_on = models.DateField()
    standards = models.JSONField(help_text='[{"code": ..., "name": ..., "outcomes": [...]}, ...]')

    class Meta:
        ordering = ["-published_on"]

    def __str__(self):
        return f"Inspection toolkit {self.version}"


class Inspection(CouncilOwned):
    class Kind(models.TextChoices):
        FULL = "full", "Full inspection"
        FOCUSSED = "focussed", "Focussed inspection"

    owner_path = "location__organisation"

    # A council's own inspection is its own; the CQC's and the NHS's (no council) every council's.
    shared_with_sql = "council_id IS NULL"

    council = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"kind": "council"}, editable=False)
    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE, related_name="inspections")
    source = models.CharField(max_length=10, choices=[(s.value, s.label) for s in Source])
    kind = models.CharField(max_length=10, choices=Kind.choices)
    outcome = models.CharField(max_length=40, help_text="In the inspecting body's own words")
    inspected_on = models.DateField(help_text="For the CQC: the date the rating was published")
    reference = models.CharField(max_length=100, blank=True)
    toolkit = models.ForeignKey(Toolkit, null=True, blank=True, on_delete=models.PROTECT)
    standard_scores = models.JSONField(default=dict, blank=True, help_text="Council inspections: core standards")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-inspected_on"]
        constraints = [
            # A re-imported CQC rating is the same inspection, not a new one.
            models.UniqueConstraint(fields=["location", "source", "kind", "inspected_on", "outcome"],
                                    condition=Q(council__isnull=True), name="one_record_per_inspection"),
            models.UniqueConstraint(fields=["council", "location", "source", "kind", "inspected_on", "outcome"],
                                    condition=Q(council__isnull=False), name="one_record_per_council_inspection"),
        ]

    @classmethod
    def shared_with(cls, council_id) -> Q:
        return Q(council__isnull=True)

    def council_of_parent(self) -> int | None:
        return super().council_of_parent() if self.source == Source.COUNCIL else None

    def __str__(self):
        return f"{Source(self.source).label} {self.kind} inspection of {self.location.name}: {self.outcome}"

    @property
    def scores_by_standard(self) -> list[tuple[str, str]]:
        """Each core standard's score, by the standard's name in the toolkit it was scored with."""
        names = {s["code"]: s["name"] for s in (self.toolkit.standards if self.toolkit_id else [])}
        return [(names.get(code, code.replace("-", " ").replace("_", " ").capitalize()), score)
                for code, score in self.standard_scores.items()]


class PqasSubmission(CouncilOwned):
    """A Provider Quality Assurance Statement for a service."""

    owner_path = "location__organisation"

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE, related_name="pqas")
    submitted_on = models.DateField()
    self_rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    statement = models.TextField(blank=True)
    falsified = models.BooleanField(default=False, help_text="The council found it significantly falsified")

    class Meta:
        ordering = ["-submitted_on"]

    def __str__(self):
        return f"PQAS for {self.location.name} of {self.submitted_on:%d %B %Y}"


class CustomerFeedback(CouncilOwned):
    """Healthwatch feedback (Friends and Family Test, overall experience, comments) or a social
    worker's review of whether the citizen's outcomes are met."""

    class Source(models.TextChoices):
        HEALTHWATCH = "healthwatch", "Healthwatch"
        REVIEW = "review", "Social worker review"

    owner_path = "location__organisation"

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(max_length=20, choices=Source.choices)
    received_on = models.DateField()
    would_recommend = models.BooleanField(null=True, help_text="Friends and Family Test")
    overall_experience = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (poor) to 5 (excellent)")
    outcomes_met = models.BooleanField(null=True, help_text="Social worker review")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self):
        return f"Feedback on {self.location.name}"


class Intelligence(models.Model):
    """Negative intelligence that may trigger a focussed inspection (rule 8)."""

    class Kind(models.TextChoices):
        CONCERN = "concern", "Concern or deficiency"
        SAFEGUARDING_ALERT = "safeguarding_alert", "Safeguarding alert"
        COMPLAINT = "complaint", "Complaint"
        BREACH = "breach", "Breach of contract or regulation"
        CQC_NOTICE = "cqc_notice", "CQC notice or restriction"
        CREDIT_ALERT = "credit_alert", "Credit alert"
        MEETING_FEEDBACK = "meeting_feedback", "Worrying feedback from residents' or relatives' meetings"
        REVIEW_OUTCOMES_NOT_MET = "review_outcomes_not_met", "Review showing outcomes not met"

    PLURALS = {
        "concern": "concerns or deficiencies", "safeguarding_alert": "safeguarding alerts",
        "complaint": "complaints", "breach": "breaches of contract or regulation",
        "cqc_notice": "CQC notices or restrictions", "credit_alert": "credit alerts",
        "meeting_feedback": "worrying reports from residents' or relatives' meetings",
        "review_outcomes_not_met": "reviews showing outcomes not met",
    }

    owner_path = "location__organisation"

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE,
                                 related_name="intelligence")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField()
    description = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self):
        return f"{self.get_kind_display()} about {self.location.name}"


class TriggerThreshold(models.Model):
    """How much intelligence of one kind, within a rolling window, calls for a focussed inspection."""

    kind = models.CharField(max_length=30, choices=Intelligence.Kind.choices, unique=True)
    count = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField(default=91)

    def __str__(self):
        return f"{self.count} × {self.get_kind_display()} in {self.window_days} days"


class FocussedInspectionRequest(CouncilOwned):
    """An inspection the quality team has been asked to make: a focussed inspection that
    intelligence called for (rule 8), or the inspection a service with no rating needs before
    a care package can be awarded to it."""

    class Kind(models.TextChoices):
        FOCUSSED = "focussed", "Focussed inspection called for"
        BEFORE_AWARD = "before_award", "Inspection before award (no rating yet)"

    owner_path = "location__organisation"
    shared_with_path = "assessor"  # the independent assessor given the inspection sees it too

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FOCUSSED)

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE,
                                 related_name="focussed_inspection_requests")
    raised_on = models.DateField()
    reasons = models.JSONField(default=list)
    closed_on = models.DateField(null=True, blank=True)
    # The council may give the inspection to an independent quality assessor, by a date.
    assessor = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assigned_inspections", limit_choices_to={"kind": "assessor"})
    assigned_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.location.name}"


class QualityRating(CouncilOwned):
    """The overall rating of a service from a date, with the engine's explanation (history)."""

    owner_path = "location__organisation"

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES, null=True, blank=True)
    effective_from = models.DateField(help_text="The day the evidence that gave this rating took effect")
    published_on = models.DateField(null=True, help_text="The day the council worked it out and published it")
    explanation = models.JSONField(default=list)
    breaches = models.JSONField(default=list)
    suspended = models.BooleanField(default=False)
    is_current = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "location"], condition=Q(is_current=True),
                                    name="one_current_rating_per_service"),
        ]

    @property
    def label(self) -> str:
        return Rating(self.rating).label if self.rating else "Not yet rated"

    def __str__(self):
        return f"{self.location.name}: {self.label} from {self.effective_from}"


class ImprovementPlan(CouncilOwned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed and validated"
        ESCALATED = "escalated", "Overdue and escalated"

    owner_path = "location__organisation"

    location = models.ForeignKey("organisations.CareLocation", on_delete=models.CASCADE,
                                 related_name="improvement_plans")
    required_for = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    opened_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    reinspection_requested_on = models.DateField(null=True, blank=True)
    escalation = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_on"]

    def __str__(self):
        return f"Improvement plan for {self.location.name} (due {self.due_on:%d %B %Y})"


class ImprovementAction(models.Model):
    owner_path = "plan__location__organisation"
    council_path = "plan__council"

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    progress = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Improvement action due {self.due_on:%d %B %Y}: {self.description[:80]}"


class RatingChallenge(models.Model):
    """A provider's challenge to a rating, within the period the council allows."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Being considered"
        UPHELD = "upheld", "Upheld: rating changed"
        REJECTED = "rejected", "Not upheld"

    owner_path = "rating__location__organisation"
    council_path = "rating__council"

    rating = models.ForeignKey(QualityRating, on_delete=models.PROTECT, related_name="challenges")
    lodged_on = models.DateField()
    grounds = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    def __str__(self):
        return f"Challenge of {self.lodged_on:%d %B %Y} to a rating"
