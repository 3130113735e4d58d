"""Frameworks, their sections, who is approved for which, and the evidence providers hold."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from caremarket.organisations.councils import CouncilOwned, LoadedWithTheInstall
from caremarket.reference.models import ServiceType

# A joint framework's records are its lead council's and shared with every council that has
# agreed to join it (the framework itself, its name and dates, with a council asked to join, so
# that it can see what it is asked); these say so for the code's lock and, as SQL on the row, for
# the database's.
PARTNER_SQL = "SELECT framework_id FROM framework_frameworkpartner WHERE council_id = {council}"
JOINED_SQL = PARTNER_SQL + " AND agreed_at IS NOT NULL"


def _through_framework(column: str, sql: str = JOINED_SQL) -> str:
    return f"{column} IN ({sql})"


class FrameworkRecord(LoadedWithTheInstall):
    """A record of one framework: its council's, and shared with the councils that joined it."""

    council_from = "framework"
    framework_path = "framework"
    shared_with_sql = _through_framework("framework_id")
    shown_when_asked = False

    class Meta:
        abstract = True

    @classmethod
    def shared_with(cls, council_id) -> Q:
        partners = FrameworkPartner.objects.filter(council=council_id)
        if not cls.shown_when_asked:
            partners = partners.filter(agreed_at__isnull=False)
        return Q(**{f"{cls.framework_path}__in": partners.values("framework")})


class Framework(FrameworkRecord):
    """A framework agreement providers join (e.g. "Adult social care flexible contract 2018-2021"),
    led by one council; a joint framework is shared with the councils that agreed to join it."""

    council_from = None
    framework_path = "pk"
    shared_with_sql = _through_framework("id", PARTNER_SQL)
    shown_when_asked = True

    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    initial_procurement_closes_on = models.DateField(
        help_text="After this date, sections closed to new entrants accept no new providers")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="one_framework_name_per_council")]

    def __str__(self):
        return self.name


class FrameworkPartner(models.Model):
    """A council asked to join another council's framework, and its answer. Only once it has
    agreed is the framework joint with it: its care may be tendered under it, and it sees the
    framework's sections and approvals."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="partners")
    council = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": "council"})
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "council__name"]
        constraints = [models.UniqueConstraint(fields=["framework", "council"], name="one_partnership_per_council")]

    def __str__(self):
        return f"{self.council} in {self.framework}"


class Barring(CouncilOwned):
    """A council bars a provider from applying to its frameworks (after a termination, fraud, a
    safeguarding finding), until it lifts the bar."""

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="barrings")
    reason = models.TextField()
    barred_on = models.DateField()
    barred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-barred_on"]

    def __str__(self):
        return f"{self.organisation} barred by {self.council}"


class Section(FrameworkRecord):
    """Service type × area × need group. Blank area: city-wide; blank need group: all needs."""


    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="sections")
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT)
    area = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT)
    need_group = models.ForeignKey("reference.NeedGroup", null=True, blank=True, on_delete=models.PROTECT)
    open_to_new_entrants = models.BooleanField()
    max_providers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["service_type__name", "area__name", "need_group__name"]
        constraints = [
            # Coalesce: a blank area or need group counts as one value (SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint("framework", "service_type", Coalesce("area", Value(0)),
                                    Coalesce("need_group", Value(0)), name="one_section_per_combination"),
        ]

    def __str__(self):
        return " – ".join([self.service_type.name, self.area.name if self.area else "City-wide",
                           self.need_group.name if self.need_group else "All needs"])


class DocumentType(models.Model):
    """A kind of compliance evidence, and the rules about it (held as data)."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    has_expiry = models.BooleanField(default=True)
    remind_days_before_expiry = models.PositiveIntegerField(default=30)
    suspends_bidding_when_expired = models.BooleanField(default=True)
    settings = models.JSONField(default=list, help_text="Service settings it is needed for: home, bed_based, "
                                                        "supported_living")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class EntryCriterion(models.Model):
    """One entry criterion as commissioners hold it; assessed by framework.entry."""

    class Kind(models.TextChoices):
        RATING = "rating", "Quality rating"
        DOCUMENT = "document", "Document"
        DECLARATION = "declaration", "Declaration"

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    settings = models.JSONField(default=list)
    document_type = models.ForeignKey(DocumentType, null=True, blank=True, on_delete=models.PROTECT)
    nursing_only = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "entry criteria"

    def __str__(self):
        return self.name


def _evidence_path(instance, filename):
    return f"evidence/{instance.organisation_id}/{instance.document_type.code}/{filename}"


class ComplianceDocument(models.Model):
    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="compliance_documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    file = models.FileField(upload_to=_evidence_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document_type__name", "-uploaded_at"]

    def __str__(self):
        return f"{self.document_type} for {self.organisation}"


class Application(FrameworkRecord):
    """A provider's application to join a framework for some of its sections; the framework's
    council decides it."""


    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="applications")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT)
    sections = models.ManyToManyField(Section, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    declarations = models.JSONField(default=dict, blank=True)
    bank_account_name = models.CharField(max_length=100, blank=True)
    bank_sort_code = models.CharField(max_length=8, blank=True)
    bank_account_number = models.CharField(max_length=8, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The automatic assessment (framework.entry) and, separately, the commissioner's decision.
    assessed_result = models.CharField(max_length=20, blank=True)
    assessment = models.JSONField(default=list, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "framework"], condition=Q(status="draft"),
                                    name="one_draft_application_per_framework"),
        ]

    def __str__(self):
        return f"{self.organisation}'s application to {self.framework}"

    @property
    def chosen_sections(self):
        """The sections applied for; none yet for an application not yet stored (one is
        stored with the provider's first answer, never by reading a page)."""
        return self.sections.all() if self.pk else Section.objects.none()


class SectionApproval(FrameworkRecord):
    """A provider approved for a section: only then is it asked to bid there."""

    council_from = "section"
    framework_path = "section__framework"
    shared_with_sql = (f"section_id IN (SELECT id FROM framework_section WHERE "
                       f"{_through_framework('framework_id')})")

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        SUSPENDED = "suspended", "Suspended from bidding"
        REMOVED = "removed", "Removed"

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="section_approvals")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="approvals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPROVED)
    status_reason = models.TextField(blank=True)
    approved_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "section"], name="one_approval_per_section")]

    def __str__(self):
        return f"{self.organisation} – {self.section} ({self.get_status_display()})"


class SizeClassRecord(models.Model):
    """A home-support provider's size class from a date, with the hours and reason (history)."""

    owner_path = "organisation"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="size_history")
    size = models.CharField(max_length=10)
    weekly_hours = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=200)
    effective_from = models.DateField()

    class Meta:
        ordering = ["-effective_from", "-pk"]

    def __str__(self):
        return f"{self.organisation}: {self.size} from {self.effective_from}"
