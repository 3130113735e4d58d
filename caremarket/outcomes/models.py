"""Consortium contracts paid by results, and the carers register they are paid on.

A ``ConsortiumContract`` is the council's with a consortium (whose lead member is the
integrator): its value and payment terms for each year are a ``ContractYear``; each member's
agreement with the integrator is a ``MemberAgreement``. The integrator sends a
``QuarterlyReturn`` each quarter, on which the block payment is released.

The carers register (``Carer``) belongs to the members who keep it: a member sees the carers
it registered, the integrator sees the consortium's, and the council sees figures made from
it, never a name (``hidden_from_council``). What is recorded about a carer's support
(``WellbeingAssessment``, ``CarerActivity``) follows the carer's visibility.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from caremarket.core import clock
from caremarket.organisations.councils import CouncilOwned

from . import consortium, wellbeing


class ConsortiumContract(CouncilOwned):
    """A council's contract with a consortium, paid by results."""

    owner_path = "consortium"
    shared_with_path = "agreements__member"  # a member sees the contract it works under

    reference = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    consortium = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                   limit_choices_to={"kind": "consortium"})
    lots = models.JSONField(default=list, help_text="The lots the consortium won, alone or together: a list of names")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on", "reference"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")),
                                              name="consortium_contract_ends_after_it_starts")]

    def __str__(self):
        return f"{self.name} ({self.reference})"


class ContractYear(models.Model):
    """A financial year of a contract: its value, how it is paid, and the performance target."""

    class Measure(models.TextChoices):
        REGISTERED_AND_ASSESSED = "registered_assessed", "Active carers registered and assessed"
        WELLBEING_IMPROVED = "wellbeing_improved", "Carers whose wellbeing improved"

    owner_path = "contract__consortium"

    contract = models.ForeignKey(ConsortiumContract, on_delete=models.CASCADE, related_name="years")
    start_year = models.PositiveSmallIntegerField(help_text="The financial year starting 1 April of this year")
    annual_value_pence = models.BigIntegerField(validators=[MinValueValidator(0)])
    block_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.9"),
                                      validators=[MinValueValidator(0), MaxValueValidator(1)])
    penalty_per_month_late = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.05"),
                                                 validators=[MinValueValidator(0), MaxValueValidator(1)])
    performance_floor = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.5"),
                                            validators=[MinValueValidator(0), MaxValueValidator(1)])
    measure = models.CharField(max_length=30, choices=Measure.choices)
    target = models.PositiveIntegerField()
    return_due_days = models.PositiveSmallIntegerField(
        default=15, help_text="A quarter's return is due this many days after the quarter ends")
    performance_paid_pence = models.BigIntegerField(null=True, blank=True)
    performance_reason = models.CharField(max_length=300, blank=True)
    performance_released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "start_year"]
        constraints = [models.UniqueConstraint(fields=["contract", "start_year"], name="one_contract_year")]

    def __str__(self):
        return f"{self.contract.name}, {self.start_year}/{str(self.start_year + 1)[2:]}"

    @property
    def terms(self) -> consortium.ContractTerms:
        return consortium.ContractTerms(self.annual_value_pence, self.block_share, self.penalty_per_month_late,
                                        self.performance_floor)


class MemberAgreement(models.Model):
    """A member's agreement with the integrator: its services, targets and payment terms."""

    owner_path = "member"
    shared_with_path = "contract__consortium"

    contract = models.ForeignKey(ConsortiumContract, on_delete=models.CASCADE, related_name="agreements")
    member = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    is_associate = models.BooleanField("Associate member", default=False,
                                       help_text="Delivers services under the agreement without a full member's say "
                                                 "in how the consortium is run")
    services = models.TextField(help_text="The core services the member delivers")
    lots = models.JSONField(default=list, help_text="The contract's lots it works on")
    targets = models.TextField(blank=True)
    quarterly_block_pence = models.PositiveIntegerField(default=0)
    attendance_bands = models.JSONField(
        default=list, help_text='A carers\' group\'s stepped schedule: [{"at_least": 5, "pence": 4000}, …]')
    per_new_carer_pence = models.PositiveIntegerField(default=3000)

    class Meta:
        ordering = ["contract", "member__name"]
        constraints = [models.UniqueConstraint(fields=["contract", "member"], name="one_agreement_per_member")]

    def __str__(self):
        return f"{self.member}'s agreement under {self.contract.name}"

    @property
    def terms(self) -> consortium.MemberTerms:
        bands = tuple(consortium.Band(int(b["at_least"]), int(b["pence"])) for b in self.attendance_bands)
        return consortium.MemberTerms(self.quarterly_block_pence, bands, self.per_new_carer_pence)


class QuarterlyReturn(models.Model):
    """The integrator's performance return for a quarter, on which the block payment is released."""

    owner_path = "contract__consortium"

    contract_year = models.ForeignKey(ContractYear, on_delete=models.PROTECT, related_name="returns")
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True,
                                   help_text="The day its first complete version arrived: the day that counts")
    figures = models.JSONField(help_text="The return's figures, KPI by KPI, as last sent (the version that counts)")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    paid_pence = models.BigIntegerField(null=True, blank=True, help_text="Set when the quarter's payment is released")
    payment_reason = models.CharField(max_length=300, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    @property
    def contract(self):
        return self.contract_year.contract

    @property
    def late(self) -> bool:
        """Later than due: its complete return arrived after the day, or has still not arrived."""
        return (self.received_on or clock.today()) > self.due_on

    def versions_counted(self) -> list[tuple[ReturnVersion, str]]:
        """Each version with what it counts for: the last its figures, the first complete one its day."""
        versions = list(self.versions.all())
        first_complete = next((v for v in versions if v.complete), None)
        return [(v, " and ".join(part for part, counts in (("its figures", v is versions[-1]),
                                                            ("its arrival day", v is first_complete)) if counts))
                for v in versions]

    class Meta:
        ordering = ["contract_year", "quarter"]
        constraints = [models.UniqueConstraint(fields=["contract_year", "quarter"], name="one_return_per_quarter")]

    def __str__(self):
        return f"Quarter {self.quarter} return, {self.contract_year}"


class ReturnVersion(models.Model):
    """Each time a quarter's return was sent: every version is kept; the last one's figures count,
    and the first complete one's arrival day (consortium.is_complete)."""

    owner_path = "sent_return__contract_year__contract__consortium"

    sent_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    figures = models.JSONField()
    complete = models.BooleanField()
    received_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_return", "number"]
        constraints = [models.UniqueConstraint(fields=["sent_return", "number"], name="one_version_number")]

    def __str__(self):
        return f"Version {self.number} of the {self.sent_return}"


class Carer(models.Model):
    """A carer on the consortium's central register. Never shown to the council by name: its
    ``__str__`` and what the audit trail keeps of it are the register number only."""

    owner_path = "registered_by"
    hidden_from_council = True
    personal_fields = ("given_name", "family_name", "born_on", "postcode", "email", "cared_for")

    @classmethod
    def reached_by_council(cls, council_id) -> Q:
        """The carers a council's data protection officer answers for: those on the register of a
        consortium the council contracts with (accounts.permissions.for_council)."""
        return Q(consortium__in=ConsortiumContract.objects.filter(council=council_id).values("consortium"))

    reference = models.CharField("Register number", max_length=20, unique=True)
    consortium = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField()
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    born_on = models.DateField("Date of birth")
    postcode = models.CharField(max_length=8)
    email = models.EmailField(blank=True, help_text="For a sign-in link to the Time for Me marketplace")
    cared_for = models.CharField("The person cared for", max_length=200,
                                 help_text="Who they are to the carer and why they need care")
    hours_a_week = models.DecimalField("Hours of care a week", max_digits=4, decimal_places=1,
                                       validators=[MinValueValidator(0), MaxValueValidator(168)])
    lives_alone_with_cared_for = models.BooleanField("Lives alone with the person cared for", default=False)
    has_own_health_problems = models.BooleanField("Has significant health problems or a disability", default=False)
    cared_for_will_not_cooperate = models.BooleanField(
        "The person cared for cannot or will not co-operate with care", default=False)
    emergency_response = models.BooleanField("Registered for emergency response", default=False)
    assessed_on = models.DateField("Needs assessed on", null=True, blank=True)
    left_on = models.DateField("Left the register on", null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    # Likely the same person as this earlier registration, until a person merges or dismisses the
    # pair: held back from KPI counts, the new-carer payment and a voucher meanwhile.
    held_back_for = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name="Held back as a likely duplicate of")
    # The day the member's new-carer payment for this registration fell due: the registration
    # day, or the day a hold was lifted; none while held back.
    payable_on = models.DateField(null=True, blank=True)
    # Set when the retention schedule, or the carer's own request (privacy.erasure), removed what
    # names them.
    anonymised_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["consortium", "registered_on"]),
                   models.Index(fields=["born_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours_a_week__gte=0, hours_a_week__lte=168),
                                   name="carer_hours_in_a_week"),
            models.CheckConstraint(
                condition=Q(assessed_on__isnull=True) | Q(assessed_on__gte=models.F("registered_on")),
                name="carer_assessed_after_registration"),
        ]

    def __str__(self):
        return f"Carer {self.reference}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def audit_facts(self) -> dict:
        """What the audit trail keeps of a carer: nothing that names them."""
        return {"register number": self.reference, "registered by": self.registered_by_id,
                "registered on": self.registered_on.isoformat(), "hours a week": str(self.hours_a_week),
                "assessed on": self.assessed_on.isoformat() if self.assessed_on else None,
                "merged into": self.merged_into.reference if self.merged_into_id else None}


class CarerMerge(models.Model):
    """Who merged a duplicate registration into which, and why: the record a merge leaves."""

    owner_path = "kept__registered_by"
    shared_with_path = "merged__registered_by"
    hidden_from_council = True

    kept = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="+")
    merged = models.OneToOneField(Carer, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=200)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()

    def __str__(self):
        return f"{self.merged} merged into {self.kept}"


class DuplicateDismissal(models.Model):
    """A person's judgement that a likely duplicate pair are two carers, and why: the pair is
    no longer offered for merging and the later registration is no longer held back."""

    owner_path = "second__registered_by"
    shared_with_path = "first__registered_by"
    hidden_from_council = True

    first = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="+")
    why = models.CharField(max_length=300)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="one_dismissal_per_pair")]

    def __str__(self):
        return f"{self.first} and {self.second} are not the same carer"


class StatementAdjustment(models.Model):
    """A line on a member's statement that corrects an earlier one: a new-carer payment taken
    back when a registration it was paid for is merged, after that statement's quarter ended."""

    owner_path = "agreement__member"
    hidden_from_council = True

    agreement = models.ForeignKey(MemberAgreement, on_delete=models.PROTECT, related_name="adjustments")
    on = models.DateField()
    amount_pence = models.IntegerField()
    reason = models.CharField(max_length=300)
    merge = models.ForeignKey(CarerMerge, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"Adjustment to {self.agreement.member}'s statement on {self.on:%-d %B %Y}"


class WellbeingAssessment(models.Model):
    """The eight domains of the wellbeing assessment, each scored on ``wellbeing.SCALE``."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        FOLLOW_UP = "follow_up", "Follow-up"

    owner_path = "carer__registered_by"
    hidden_from_council = True

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="wellbeing")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(help_text="Domain to score, for the eight domains")
    total = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["carer", "assessed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["carer"], condition=Q(kind="baseline"),
                                               name="one_baseline_per_carer")]

    def __str__(self):
        return f"{self.get_kind_display()} wellbeing assessment of {self.carer}, {self.assessed_on:%d %B %Y}"

    def domain_scores(self) -> list[tuple[str, int]]:
        return [(domain.label, self.scores[domain.key]) for domain in wellbeing.DOMAINS]


class CarerActivity(models.Model):
    """What a member did that the KPIs count: responses, group sessions, support networks and
    GP practices' carers' champions. A response names its carer; the rest name a group."""

    class Kind(models.TextChoices):
        EMERGENCY_RESPONSE = "emergency", "Emergency response"
        PLANNED_RESPONSE = "planned", "Planned (sitting) response"
        GROUP_SESSION = "group", "Carers' group session"
        SUPPORT_NETWORK = "network", "Support network supported"
        GP_CHAMPION = "gp_champion", "GP practice identifying a carers' champion"

    FOR_A_CARER = (Kind.EMERGENCY_RESPONSE, Kind.PLANNED_RESPONSE)

    owner_path = "member"
    hidden_from_council = True

    member = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    carer = models.ForeignKey(Carer, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(max_length=200, blank=True,
                            help_text="The group, support network or GP practice")
    attending = models.PositiveSmallIntegerField(default=0, help_text="For a group session: carers attending")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on", "pk"]
        indexes = [models.Index(fields=["member", "kind", "happened_on"])]
        constraints = [models.CheckConstraint(
            condition=Q(kind__in=["emergency", "planned"], carer__isnull=False) | ~Q(kind__in=["emergency", "planned"]),
            name="a_response_is_to_a_carer")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.happened_on:%d %B %Y}"


# --- Time for Me: vouchers and the marketplace they are spent in ------------------------------

class VoucherBudget(models.Model):
    """A period's budget for Time for Me vouchers under a contract, and the voucher's terms."""

    owner_path = "contract__consortium"

    contract = models.ForeignKey(ConsortiumContract, on_delete=models.PROTECT, related_name="voucher_budgets")
    starts_on = models.DateField()
    ends_on = models.DateField()
    budget_pence = models.PositiveIntegerField()
    voucher_pence = models.PositiveIntegerField(default=15_000)
    more_than_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(10),
                                          help_text="A carer giving more than this many hours of care a week may "
                                                    "have a voucher")
    from_age = models.PositiveSmallIntegerField(default=18, validators=[MaxValueValidator(120)],
                                                help_text="A carer this age or older may have a voucher")

    class Meta:
        ordering = ["contract", "starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="voucher_budget_ends_after_it_starts")]

    def __str__(self):
        return f"Time for Me budget, {self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


class Voucher(models.Model):
    """A carer's Time for Me voucher: granted within a budget, or waiting in turn for one."""

    class Status(models.TextChoices):
        GRANTED = "granted", "Granted: ready to spend"
        WAITING = "waiting", "Waiting for budget"
        SPENT = "spent", "Spent"
        CANCELLED = "cancelled", "Cancelled: the carer had one already"

    owner_path = "carer__registered_by"
    hidden_from_council = True

    reference = models.CharField(max_length=20, unique=True)
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="vouchers")
    contract = models.ForeignKey(ConsortiumContract, on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(VoucherBudget, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers")
    status = models.CharField(max_length=10, choices=Status.choices)
    amount_pence = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    granted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "pk"]
        indexes = [models.Index(fields=["contract", "status", "asked_at"])]

    def __str__(self):
        return f"Voucher {self.reference}"


class Listing(models.Model):
    """An activity a member or a local organisation offers in the Time for Me marketplace."""

    class Category(models.TextChoices):
        DAY_TRIP = "day_trip", "Day trip"
        SHORT_BREAK = "short_break", "Short break"
        LEISURE = "leisure", "Leisure and exercise"
        THERAPY = "therapy", "Therapies and pampering"
        LEARNING = "learning", "Learning and hobbies"

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField()
    where = models.CharField("Where it happens", max_length=200)
    happens_on = models.DateField("Date", null=True, blank=True, help_text="Leave blank for one booked any time")
    price_pence = models.PositiveIntegerField()
    places = models.PositiveSmallIntegerField(help_text="How many carers can book it")
    is_open = models.BooleanField("Open for booking", default=True)

    class Meta:
        ordering = ["happens_on", "title", "pk"]

    def __str__(self):
        return self.title


class Booking(models.Model):
    """A voucher spent on a listing: one booking for each voucher, and the payment it makes."""

    owner_path = "listing__organisation"
    shared_with_path = "voucher__carer__registered_by"
    hidden_from_council = True
    personal_fields = ("needs_shared",)

    voucher = models.OneToOneField(Voucher, on_delete=models.PROTECT, related_name="booking")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bookings")
    amount_pence = models.PositiveIntegerField()
    booked_at = models.DateTimeField()
    payment = models.OneToOneField("payments.PaymentDue", on_delete=models.PROTECT, related_name="+")
    # What the carer chose to tell the organiser (access needs, what to be called): with the
    # carer's first name and the booking reference, all an organiser outside the carer's own
    # register sees of them.
    needs_shared = models.CharField("What the organiser should know", max_length=500, blank=True)

    class Meta:
        ordering = ["-booked_at", "pk"]

    def __str__(self):
        return f"Booking of {self.listing} with {self.voucher}"


class CarerSignIn(models.Model):
    """A link e-mailed to a carer to sign in to the marketplace: only its SHA-256 is kept, it
    works once, and not after ``expires_at``."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Sign-in link for {self.carer}"


class LinkRequest(models.Model):
    """Someone asked for a carer's sign-in link: kept for an hour to limit how many are asked
    for an address and from a client. The address is kept only as its SHA-256."""

    address_hash = models.CharField(max_length=64)
    client = models.CharField(max_length=45, blank=True)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address_hash", "requested_at"]),
                   models.Index(fields=["client", "requested_at"])]

    def __str__(self):
        return f"Sign-in link asked for at {self.requested_at:%H:%M}"


# --- Alliance contracts -------------------------------------------------------------------------

class AllianceContract(CouncilOwned):
    """One contract between a council and equal partners who share risk and reward (``alliance``
    settles it). Every partner sees the whole alliance: the books are open."""

    owner_path = "partners__organisation"

    reference = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the alliance is for: the outcomes it is paid on")
    starts_on = models.DateField()
    ends_on = models.DateField()
    kpi_threshold = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.7"),
                                        validators=[MinValueValidator(0), MaxValueValidator(1)])
    gain_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.5"),
                                     validators=[MinValueValidator(0), MaxValueValidator(1)])
    pain_share = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.5"),
                                     validators=[MinValueValidator(0), MaxValueValidator(1)])

    class Meta:
        ordering = ["-starts_on", "reference"]

    def __str__(self):
        return f"{self.name} ({self.reference})"


class AlliancePartner(models.Model):
    council_path = "contract__council"  # the alliance's council's (accounts.permissions.for_council)
    owner_path = "contract__partners__organisation"

    contract = models.ForeignKey(AllianceContract, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=5, decimal_places=4, help_text="Of delivery and funding; all add up to 1",
                                validators=[MinValueValidator(0), MaxValueValidator(1)])
    allowance_pence = models.PositiveIntegerField(help_text="Overheads and margin for a period, paid on the KPIs")

    class Meta:
        ordering = ["contract", "-share", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["contract", "organisation"], name="one_place_per_partner")]

    def __str__(self):
        return f"{self.organisation} in {self.contract.name}"


class AllianceKpi(models.Model):
    council_path = "contract__council"
    owner_path = "contract__partners__organisation"

    contract = models.ForeignKey(AllianceContract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    measure = models.CharField(max_length=300, help_text="How it is scored from 0 to 1")
    weight = models.DecimalField(max_digits=4, decimal_places=3, validators=[MinValueValidator(0),
                                                                             MaxValueValidator(1)])

    class Meta:
        ordering = ["contract", "-weight", "name"]

    def __str__(self):
        return self.name


class AlliancePeriod(models.Model):
    """A period the alliance is settled for, with its target cost."""

    council_path = "contract__council"
    owner_path = "contract__partners__organisation"

    contract = models.ForeignKey(AllianceContract, on_delete=models.PROTECT, related_name="periods")
    label = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_cost_pence = models.BigIntegerField(validators=[MinValueValidator(0)])
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    settlement = models.JSONField(default=dict, blank=True, help_text="The settlement as worked out, with its reasons")

    class Meta:
        ordering = ["contract", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["contract", "label"], name="one_alliance_period_a_label")]

    def __str__(self):
        return f"{self.contract.name}, {self.label}"


class AllianceCost(models.Model):
    """A partner's actual direct costs for a period, on the open book."""

    council_path = "period__contract__council"
    owner_path = "period__contract__partners__organisation"

    period = models.ForeignKey(AlliancePeriod, on_delete=models.PROTECT, related_name="costs")
    partner = models.ForeignKey(AlliancePartner, on_delete=models.PROTECT, related_name="costs")
    direct_costs_pence = models.BigIntegerField(validators=[MinValueValidator(0)])
    note = models.CharField(max_length=300, blank=True, help_text="What the costs are, as the books show them")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "partner"], name="one_cost_a_partner_a_period")]

    def __str__(self):
        return f"{self.partner.organisation}'s costs, {self.period.label}"


class AllianceKpiScore(models.Model):
    council_path = "period__contract__council"
    owner_path = "period__contract__partners__organisation"

    period = models.ForeignKey(AlliancePeriod, on_delete=models.PROTECT, related_name="scores")
    kpi = models.ForeignKey(AllianceKpi, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(max_digits=4, decimal_places=3, validators=[MinValueValidator(0),
                                                                            MaxValueValidator(1)])
    evidence = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "kpi"], name="one_score_a_kpi_a_period")]

    def __str__(self):
        return f"{self.kpi.name}, {self.period.label}: {self.score}"
