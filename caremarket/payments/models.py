"""Paying the care packages (packages app): the visits a provider delivered, its invoices and
queries, and the four-weekly payment runs with their lines.

The rules are pure modules beside this one: scheduled (bed-based care and supported living
day by day), visits (pricing call-monitoring records), invoices (the 28-day clock) and
payment_file (the finance system's CSV); packages.funding splits each line among funders."""

from django.conf import settings
from django.db import models

from caremarket.core import clock
from caremarket.organisations.councils import CouncilOwned

from .visit_sql import VISIT_ID_LENGTH  # one width for the column and the check


class VisitRule(models.Model):
    """How call-monitoring visits are paid for a service type: rules as data."""

    class PayOn(models.TextChoices):
        PLANNED = "planned", "The planned time"
        ACTUAL = "actual", "The actual (checked-in) time"

    class Rounding(models.TextChoices):
        NEAREST = "nearest", "To the nearest unit"
        UP = "up", "Up"
        DOWN = "down", "Down"

    service_type = models.OneToOneField("reference.ServiceType", on_delete=models.PROTECT, related_name="+")
    pay_on = models.CharField(max_length=10, choices=PayOn.choices, default=PayOn.PLANNED)
    tolerance_minutes = models.PositiveSmallIntegerField(
        default=5, help_text="A visit this close to its plan is paid as planned, with no query")
    rounding_minutes = models.PositiveSmallIntegerField(default=5, help_text="Paid time is rounded to this unit")
    rounding = models.CharField(max_length=10, choices=Rounding.choices, default=Rounding.NEAREST)
    minimum_minutes = models.PositiveSmallIntegerField(default=15, help_text="A visit delivered is paid at least this")

    def __str__(self):
        return f"Visit rule for {self.service_type}"


class VisitUpload(CouncilOwned):
    """One call-monitoring file (or API batch) and what became of each row."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Being checked"
        STORED = "stored", "Stored"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Not checked: send it again"

    owner_path = "organisation"
    council_from = "period"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("periods.PaymentPeriod", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    source = models.CharField(max_length=20, default="file")
    status = models.CharField(max_length=20, choices=Status.choices)
    keep_valid_rows = models.BooleanField(help_text="Keep the valid rows when some are wrong (else refuse the file)")
    rows = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="Row by row: what was wrong (the first "
                                                      "settings.ROW_ERRORS_KEPT)")
    error_count = models.PositiveIntegerField(default=0, help_text="All the problems, kept or not")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"Visits sent by {self.organisation} for {self.period}"


class WaitingVisitFile(models.Model):
    """A large visit file's bytes, kept in the database until a background worker (on this
    machine or another on the same database) has checked it; then deleted."""

    upload = models.OneToOneField(VisitUpload, on_delete=models.CASCADE, primary_key=True, related_name="waiting_file")
    data = models.BinaryField()

    def __str__(self):
        return f"File waiting: {self.upload}"


class Invoice(CouncilOwned):
    """A provider's home-support invoice for a period, built from its visits."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet submitted"
        RECEIVED = "received", "Received"
        PAID = "paid", "Paid"

    owner_path = "organisation"
    council_from = "period"

    reference = models.CharField(max_length=30)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="invoices")
    period = models.ForeignKey("periods.PaymentPeriod", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    received_at = models.DateTimeField(null=True, blank=True, help_text="When submitted: the 28-day clock starts")
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-period__start_date", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "period"], name="one_invoice_per_period"),
                       models.UniqueConstraint(fields=["council", "reference"], name="one_invoice_reference")]

    def __str__(self):
        return self.reference

    @property
    def paid(self) -> bool:
        """Paid means the money has gone: a posted run pays on its period's payment date."""
        return self.paid_on is not None and self.paid_on <= clock.today()

    @property
    def status_label(self) -> str:
        if self.status == self.Status.PAID and not self.paid:
            return "In a posted payment run"
        return self.get_status_display()

    @property
    def payment_words(self) -> str:
        if self.paid_on is None:
            return "Not yet"
        return f"{'Paid' if self.paid else 'Due to be paid'} on {self.paid_on.day} {self.paid_on:%B %Y}"


class Visit(CouncilOwned):
    """One home-support visit from call monitoring, matched to its package and priced."""

    owner_path = "organisation"
    council_from = "invoice"

    # No index of its own: the unique (organisation, visit_id) constraint already leads with it,
    # and each index costs time on every one of a period's hundreds of thousands of visits.
    # The database checks the invoice and the package, which money and care hang on. The
    # organisation and the upload are provenance, written only by payments.ingest from the same
    # upload and invoice; checking each of a period's 100,000s of rows against them at commit
    # cost more than the rest of the ingest.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False, db_constraint=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="visits")
    upload = models.ForeignKey(VisitUpload, on_delete=models.PROTECT, related_name="visits", db_constraint=False)
    package = models.ForeignKey("packages.CarePackage", on_delete=models.PROTECT, related_name="visits")
    visit_id = models.CharField(max_length=VISIT_ID_LENGTH, help_text="The provider's own identifier for the visit")
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    carers = models.PositiveSmallIntegerField()
    paid_minutes = models.PositiveIntegerField()
    carers_paid = models.PositiveSmallIntegerField()
    amount_pence = models.PositiveIntegerField()
    query = models.CharField(max_length=300, blank=True, help_text="Why this visit differs from the plan")

    class Meta:
        ordering = ["planned_start", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "visit_id"], name="a_visit_is_recorded_once")]

    def __str__(self):
        return f"Visit {self.visit_id}"


class PaymentQuery(CouncilOwned):
    """A difference between a visit and its plan, put to the provider to answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the provider"
        ANSWERED = "answered", "Answered: waiting for finance"
        ACCEPTED = "accepted", "Accepted: paid as claimed"
        CLOSED = "closed", "Closed: paid as priced"

    owner_path = "visit__organisation"
    council_from = "visit"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="payment_query")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    claimed_minutes = models.PositiveIntegerField(null=True, blank=True)
    claimed_amount_pence = models.PositiveIntegerField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["visit__planned_start", "pk"]
        verbose_name_plural = "payment queries"

    def __str__(self):
        return f"Query on visit {self.visit.visit_id}"


class PaymentRun(CouncilOwned):
    """A period's payments: drafted (and re-run at will), then posted, after which it never changes."""

    council_from = "period"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DRAFT = "draft", "Draft: check before posting"
        POSTED = "posted", "Posted"
        FAILED = "failed", "Failed: nothing was stored; run it again"

    period = models.OneToOneField("periods.PaymentPeriod", on_delete=models.PROTECT, related_name="payment_run")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period__start_date"]

    def __str__(self):
        return f"Payment run for {self.period}"


class PaymentDue(CouncilOwned):
    """A payment decided outside the run (a consortium's quarter released, a Time for Me voucher
    spent, an alliance settled), paid by the first run of a period that ends on or after
    ``due_on``. It is paid once: a posted run's line for it is final."""

    owner_path = "organisation"

    reference = models.CharField(max_length=40, unique=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=100, help_text="What it pays for, as the payment file names it")
    due_on = models.DateField()
    amount_pence = models.BigIntegerField()
    reason = models.CharField(max_length=300)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Payment {self.reference}"


class PaymentLine(CouncilOwned):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled payment"
        ARREARS = "arrears", "Arrears: days before this period not yet paid"
        RECOVERY = "recovery", "Recovery of days paid but not due"
        ADJUSTMENT = "adjustment", "Adjustment to a price already paid"
        INVOICE = "invoice", "Invoice"
        RESULTS = "results", "Payment by results"

    owner_path = "organisation"
    council_from = "run"

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey("packages.CarePackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    due = models.ForeignKey(PaymentDue, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    days = models.PositiveIntegerField()
    weekly_pence = models.PositiveIntegerField(default=0)
    amount_pence = models.BigIntegerField(help_text="Negative for a recovery")
    council_pence = models.BigIntegerField(default=0)
    nhs_pence = models.BigIntegerField(default=0)
    client_pence = models.BigIntegerField(default=0)
    top_up_pence = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["organisation_id", "package_id", "first_day", "pk"]
        indexes = [models.Index(fields=["package", "first_day"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.organisation}, {self.first_day:%d %B} to {self.last_day:%d %B %Y}"
