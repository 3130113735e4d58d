"""Care requirements, the micro-tenders that place them and providers' offers (the care
package awarded is packages.CarePackage). A requirement is the council's alone (no ``owner_path``): providers see
it only through an invitation, and then only anonymised (tendering.anonymous)."""

from django.conf import settings
from django.db import models

from caremarket.framework.models import FrameworkRecord
from caremarket.organisations.councils import CouncilOwned
from caremarket.reference.models import ServiceType


class TenderPolicy(FrameworkRecord):
    """How a framework's service type is tendered and evaluated, as data commissioners keep.
    Prices come from the published fee schedule (caremarket.fees): a fixed fee where it has
    one for the service and the citizen's age, otherwise the provider's open-book costs."""

    class Rule(models.TextChoices):
        PROSPECTUS_2012 = "prospectus_2012", "2012 prospectus: 60% quality, 40% price"
        STRATEGY_2018 = "strategy_2018", "2018 strategy: highest quality rating"

    framework = models.ForeignKey("framework.Framework", on_delete=models.PROTECT, related_name="tender_policies")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT)
    rule = models.CharField(max_length=20, choices=Rule.choices)
    urgent_response_hours = models.PositiveIntegerField(default=4)
    standard_response_hours = models.PositiveIntegerField(default=48)
    widen_automatically = models.BooleanField(
        default=True, help_text="When nobody offers, widen to neighbouring areas (or re-issue) without waiting")
    max_rounds = models.PositiveIntegerField(default=3, help_text="Rounds before the brokerage team takes over")
    raise_from_client_records = models.BooleanField(
        "Raise requirements from the client record system", default=False,
        help_text="Raise the care requirement as soon as the client record system sends an assessment for this "
                  "service, rather than wait for a broker")
    scale_top = models.PositiveSmallIntegerField(
        "Top of the scoring scale", default=4, help_text="2012 rule: each response is scored from 0 to this")

    class Meta:
        verbose_name_plural = "tender policies"
        constraints = [models.UniqueConstraint(fields=["framework", "service_type"], name="one_policy_per_service")]

    def __str__(self):
        return f"{self.service_type}: {self.get_rule_display()}"


class QualityCriterion(models.Model):
    """A quality criterion the 2012 rule scores each offer on, worth a share of the 60 quality
    points (tendering.evaluation). The points of a policy's criteria add up to 60."""

    policy = models.ForeignKey(TenderPolicy, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What a person scoring the offer's response looks for")
    points = models.DecimalField(max_digits=5, decimal_places=2, help_text="Of the 60 quality points")
    from_rating = models.BooleanField("Scored by the provider's quality rating", default=False,
                                      help_text="Gold all the points, Silver three quarters, Bronze half, not yet "
                                                "rated a quarter, Inadequate none")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "order", "pk"]
        verbose_name_plural = "quality criteria"

    def __str__(self):
        return f"{self.name} ({self.points} points)"


class BlockContract(models.Model):
    """Capacity the council has already bought, used before anything is tendered."""

    owner_path = "organisation"

    reference = models.CharField(max_length=30, unique=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="block_contracts")
    location = models.ForeignKey("organisations.CareLocation", on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT)
    area = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT)
    need_groups = models.ManyToManyField("reference.NeedGroup", blank=True)
    weekly_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0,
                                       help_text="Home support and supported living: hours a week bought")
    places = models.PositiveIntegerField(default=0, help_text="Care homes: beds bought")
    price_pence = models.PositiveIntegerField(help_text="A bed a week (care homes), or an hour (home support "
                                                        "and supported living)")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return f"{self.reference} ({self.organisation})"


class CareRequirement(CouncilOwned):
    """What a citizen needs, from the social worker's assessment and support plan."""

    personal_fields = ("eligible_needs", "outcomes", "preferences", "visit_pattern", "accommodation")
    council_from = "citizen"

    class Urgency(models.TextChoices):
        STANDARD = "standard", "Standard"
        URGENT = "urgent", "Urgent (hospital discharge or crisis)"

    class Status(models.TextChoices):
        TENDERING = "tendering", "Out to tender"
        NO_OFFERS = "no_offers", "No offers"
        READY_TO_AWARD = "ready_to_award", "Ready to award"
        AWAITING_SCORES = "awaiting_scores", "Offers to score"
        AWAITING_CHOICE = "awaiting_choice", "Citizen to choose"
        AWAITING_INSPECTION = "awaiting_inspection", "Waiting for an inspection"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=20, unique=True)
    assessment = models.ForeignKey("citizens.Assessment", on_delete=models.PROTECT, related_name="requirements")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="requirements")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT)
    area = models.ForeignKey("geography.Area", on_delete=models.PROTECT, help_text="Where the care is wanted")
    ward = models.ForeignKey("geography.Ward", null=True, blank=True, on_delete=models.PROTECT)
    need_groups = models.ManyToManyField("reference.NeedGroup")
    eligible_needs = models.TextField()
    outcomes = models.TextField()
    preferences = models.TextField(blank=True)
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    visit_pattern = models.TextField(blank=True, help_text="Home support: when visits are needed")
    accommodation = models.TextField(blank=True, help_text="Care homes: the kind of room and bed")
    start_on = models.DateField()
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.STANDARD)
    medically_fit_at = models.DateTimeField(null=True, blank=True, help_text="Quick Discharge: when fit to leave")
    asked_for_more_expensive = models.BooleanField(
        default=False, help_text="The citizen asked for more expensive accommodation or services beyond "
                                 "eligible needs (a third-party top-up is then allowed)")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TENDERING)
    routing_reason = models.TextField(blank=True)
    replaces = models.ForeignKey("packages.CarePackage", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replacements", help_text="The handed-back package this re-places")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="Empty: raised from the client record system")
    raised_at = models.DateTimeField()
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self):
        return self.reference


class Tender(CouncilOwned):
    """One round of a micro-tender: the providers asked, and until when they may offer."""

    council_from = "requirement"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    requirement = models.ForeignKey(CareRequirement, on_delete=models.PROTECT, related_name="tenders")
    round = models.PositiveIntegerField(default=1)
    areas = models.ManyToManyField("geography.Area", related_name="+")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    rule = models.CharField(max_length=20, choices=TenderPolicy.Rule.choices)
    evaluation = models.JSONField(null=True, blank=True, help_text="The ranked offers when it closed")

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["requirement", "round"], name="one_tender_per_round")]

    def __str__(self):
        return f"{self.requirement.reference} round {self.round}"


class Invitation(CouncilOwned):
    """A provider asked to offer on a tender: how a provider comes to see a requirement."""

    owner_path = "organisation"
    council_from = "tender"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="invitations")
    invited_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["tender", "organisation"], name="one_invitation_each")]

    def __str__(self):
        return f"{self.organisation} asked to offer for {self.tender}"


class Offer(CouncilOwned):
    """A provider's offer: it can meet the needs, how it will support the outcomes, its price."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    owner_path = "organisation"
    council_from = "tender"

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="offers")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="offers")
    location = models.ForeignKey("organisations.CareLocation", on_delete=models.PROTECT, related_name="+",
                                 help_text="The service that would deliver the care")
    confirms_needs = models.BooleanField()
    outcomes_response = models.TextField()
    weekly_price_pence = models.PositiveIntegerField()
    cost_breakdown = models.JSONField(default=dict, blank=True, help_text="Open book: how the price is made up")
    accommodation_price_pence = models.PositiveIntegerField(
        default=0, help_text="Under a fixed fee: a week's price for the more expensive accommodation the citizen "
                             "asked for, on top of the fee (paid by a third-party top-up, never the council)")
    accommodation_offered = models.CharField(max_length=300, blank=True)
    start_on = models.DateField()
    spare_weekly_hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["tender", "organisation"], name="one_offer_per_provider")]

    def __str__(self):
        return f"{self.organisation}'s offer for {self.tender}"


class OfferScore(models.Model):
    """A person's score of an offer's response against a 2012 quality criterion, with why."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(QualityCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    reason = models.TextField()
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.offer}: {self.criterion.name}"


class ProviderCapacity(models.Model):
    """The spare home-support hours a week a provider says it can take on (used to re-place hand-backs)."""

    owner_path = "organisation"

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                        related_name="capacity")
    spare_weekly_hours = models.DecimalField(max_digits=8, decimal_places=2)
    stated_at = models.DateTimeField()
    stated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "provider capacities"

    def __str__(self):
        return f"Spare capacity of {self.organisation}"
