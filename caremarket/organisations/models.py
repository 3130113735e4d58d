"""Organisations: the council, care providers, consortia and independent quality assessors."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .councils import CouncilOwned


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        PROVIDER = "provider", "Care provider"
        CHARITY = "charity", "Charity or community organisation"
        CONSORTIUM = "consortium", "Consortium"
        ASSESSOR = "assessor", "Independent quality assessor"

    # Who can see an organisation's own records (see accounts.permissions).
    owner_path = "pk"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    cqc_provider_id = models.CharField(
        "CQC provider ID", max_length=20, blank=True, help_text="For example 1-101641521"
    )
    companies_house_number = models.CharField(max_length=8, blank=True)
    la_code = models.CharField("Local authority code", max_length=3, blank=True,
                               help_text="A council's three-digit code in national returns (Birmingham's is 330)")
    # A council's own settings; blank, the council the install was set up for takes the install's
    # (organisations.councils.settings_of).
    ocid_prefix = models.CharField("Open Contracting ID prefix", max_length=30, blank=True,
                                   help_text="Registered with the Open Contracting Partnership, e.g. ocds-abc123")
    register_id = models.CharField("Local authority register code", max_length=10, blank=True,
                                   help_text="Its code in the register of local authorities in England (GB-LAE), "
                                             "e.g. BIR")
    site_url = models.URLField("Site address", blank=True,
                               help_text="Where its staff and providers reach the service, for links in emails")
    supplier_number = models.CharField(max_length=20, blank=True,
                                       help_text="The council finance system's number for it, on the creditor "
                                                 "payment file (its bank details are kept there)")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # Home-support size class (Large/Medium/Small) is derived from this.
    council_funded_weekly_hours = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    is_out_of_city = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cqc_provider_id"], condition=~Q(cqc_provider_id=""), name="unique_cqc_provider_id"
            ),
        ]

    def __str__(self):
        return self.name


class AccountManagement(CouncilOwned):
    """The officer who manages a council's relationship with an organisation: each council its own,
    and the organisation knows each of its managers."""

    owner_path = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="account_managements")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_accounts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "organisation"], name="one_account_manager_a_council")]

    def __str__(self):
        return f"{self.manager} manages {self.organisation} for {self.council}"


def managed_by(user):
    """The organisations a council person manages for their council (a subquery)."""
    return AccountManagement.objects.filter(manager=user, council=user.organisation_id).values("organisation")


class ConsortiumMembership(models.Model):
    """A member organisation of a consortium; the lead member is the integrator."""

    owner_path = "member"

    consortium = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    member = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consortium_memberships")
    is_lead = models.BooleanField("Lead organisation (integrator)", default=False)
    joined_on = models.DateField()
    # A member that leaves keeps its membership with the day it left: figures for the quarters and
    # years it was a member are still read with it (outcomes.contracts.members_of).
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="membership_ends_after_it_starts"),
            models.UniqueConstraint(fields=["consortium", "member"], name="one_membership_per_consortium"),
            models.UniqueConstraint(fields=["consortium"], condition=Q(is_lead=True), name="one_lead_per_consortium"),
        ]

    def __str__(self):
        return f"{self.member} in {self.consortium}"


class CareLocation(models.Model):
    """A place a provider delivers care from, as registered with the CQC."""

    class Registration(models.TextChoices):
        REGISTERED = "registered", "Registered"
        DEREGISTERED = "deregistered", "Deregistered"

    owner_path = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    cqc_location_id = models.CharField("CQC location ID", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    ward = models.ForeignKey("geography.Ward", null=True, blank=True, on_delete=models.PROTECT)
    # The home-support area it is in (from its ward or postcode district); blank outside the city.
    area = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT)
    is_care_home = models.BooleanField(default=False)
    has_nursing = models.BooleanField(default=False)
    beds = models.PositiveIntegerField(null=True, blank=True)
    registration = models.CharField(max_length=20, choices=Registration.choices, default=Registration.REGISTERED)
    registered_on = models.DateField(null=True, blank=True)
    # The CQC's overall rating as published, in the CQC's own words ("Good",
    # "No published rating", "Inspected but not rated", ...), and when it was published.
    cqc_rating = models.CharField("CQC rating", max_length=40, blank=True)
    cqc_rating_published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.cqc_location_id})"

    @property
    def provider_and_service(self) -> str:
        """The provider and this service, named once when they share a name."""
        provider = self.organisation.name
        return provider if self.name.casefold() == provider.casefold() else f"{provider} ({self.name})"
