"""The care package and its life after award: the individual service agreement, its changes
(new hours or price, a suspension, its end, each approved by a second person) and who funds it.

Tendering creates a package (packages.services.create_package); payments pays it. The rules
are pure modules beside this one: changes (what a change may be) and funding (each funder's
part of a payment)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from caremarket.organisations.councils import CouncilOwned


class CarePackage(CouncilOwned):
    """The individual service agreement awarded for a requirement."""

    class Route(models.TextChoices):
        MICRO_TENDER = "micro_tender", "Micro-tender"
        CITIZEN_CHOICE = "citizen_choice", "Citizen's choice after micro-tender"
        BLOCK_CONTRACT = "block_contract", "Block contract"
        QUICK_DISCHARGE = "quick_discharge", "Quick Discharge Service"
        HAND_BACK = "hand_back", "Re-placed after a hand-back"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        HANDED_BACK = "handed_back", "Handed back"
        ENDED = "ended", "Ended"

    owner_path = "organisation"
    council_from = "requirement"
    audit_former_labels = ("tendering.carepackage",)  # its audit events from before it had its own app

    reference = models.CharField(max_length=20, unique=True)
    # One award per requirement, held by the database as well as the code.
    requirement = models.OneToOneField("tendering.CareRequirement", on_delete=models.PROTECT, related_name="package")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="care_packages")
    location = models.ForeignKey("organisations.CareLocation", on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=20, choices=Route.choices)
    offer = models.OneToOneField("tendering.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="package")
    block_contract = models.ForeignKey("tendering.BlockContract", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="packages")
    weekly_price_pence = models.PositiveIntegerField(help_text="What the council pays a week, as awarded")
    hourly_rate_pence = models.PositiveIntegerField(null=True, blank=True,
                                                    help_text="Hourly care: the rate a delivered hour is paid at")
    price_basis = models.CharField(max_length=30, blank=True, help_text="Fixed fee, open book, host authority rate…")
    carers_per_visit = models.PositiveSmallIntegerField(default=1, help_text="Home support: 2 for double-up visits")
    top_up_pence = models.PositiveIntegerField(default=0, help_text="A week, paid by the named third party")
    top_up_payer = models.CharField(max_length=200, blank=True)
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    decision = models.JSONField(default=dict, help_text="Why this provider at this price: the evaluation record")
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(top_up_pence=0) | ~Q(top_up_payer=""), name="top_up_has_a_payer"),
        ]

    def __str__(self):
        return self.reference


class PackageChange(CouncilOwned):
    """A variation to a package from a day: new hours or price, a suspension, or its end."""

    class Kind(models.TextChoices):
        PRICE = "price", "Hours or price changed"
        SUSPENSION = "suspension", "Suspended"  # never why (a hospital stay): providers and open data see this
        END = "end", "Ended"

    class EndCause(models.TextChoices):
        DEATH = "death", "The citizen died"
        MOVED = "moved", "The citizen moved"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
        HANDED_BACK = "handed_back", "Handed back by the provider"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    owner_path = "package__organisation"
    council_from = "package"
    audit_former_labels = ("payments.packagechange",)

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_from = models.DateField(help_text="The first day the change applies")
    effective_to = models.DateField(null=True, blank=True, help_text="A suspension's last day")
    weekly_price_pence = models.PositiveIntegerField(null=True, blank=True)
    hourly_rate_pence = models.PositiveIntegerField(null=True, blank=True)
    weekly_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    end_cause = models.CharField(max_length=20, choices=EndCause.choices, blank=True)
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="Empty when the client record system asked for it")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["effective_from", "pk"]
        indexes = [models.Index(fields=["status", "decided_at"], name="package_change_status_idx")]

    @property
    def requester(self) -> str:
        return str(self.requested_by) if self.requested_by_id else "The client record system"

    def __str__(self):
        return f"{self.package}: {self.get_kind_display()} from {self.effective_from:%d %B %Y}"


class PackageFunding(models.Model):
    """Joint funding and contributions for a package (funding.py splits each payment)."""

    owner_path = "package__organisation"
    audit_former_labels = ("payments.packagefunding",)

    package = models.OneToOneField(CarePackage, on_delete=models.CASCADE, related_name="funding")
    nhs_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0,
                                      help_text="The NHS's share of the council's price (joint funding)")
    nhs_funder = models.CharField(max_length=200, blank=True)
    client_contribution_pence = models.PositiveIntegerField(default=0, help_text="A week, from the financial assessment")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(nhs_percent__gte=0, nhs_percent__lte=100), name="nhs_share_is_a_percent"),
            models.CheckConstraint(condition=Q(nhs_percent=0) | ~Q(nhs_funder=""), name="nhs_share_names_its_funder"),
        ]

    def __str__(self):
        return f"Funding of {self.package}"
