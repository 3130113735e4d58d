import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django_scim.models import AbstractSCIMUserMixin

from caremarket.core import clock

from . import token_rules
from .roles import COUNCIL_ROLES, PROVIDER_ROLES, ROLES_BY_ORGANISATION_KIND, Role


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


class PeopleManager(UserManager):
    def address_taken(self, address: str, *, by_other_than: int | None = None) -> bool:
        """Whether another person signs in with this address, or is waiting to confirm it as theirs."""
        return self.filter(models.Q(username__iexact=address) | models.Q(email__iexact=address)
                           | models.Q(pending_email__iexact=address)).exclude(pk=by_other_than).exists()


class User(AbstractSCIMUserMixin, AbstractUser):
    """A person who signs in. Their organisation and role decide what they may see and do."""

    owner_path = "organisation"
    objects = PeopleManager()

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    # An address is the person's only once they have shown they read it (a link sent to it was
    # used): until then nothing sent to it is kept for them. A changed address waits here, and
    # the old one stays in use, until the link sent to the new one is followed.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    pending_email = models.EmailField("New email address waiting for confirmation", blank=True)
    # Who the council's identity provider says this is (its stable "sub" claim): a person is
    # matched by it on single sign-on, never by an email address alone.
    sso_subject = models.CharField("Single sign-on subject", max_length=255, null=True, blank=True, unique=True,
                                   editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # Everyone but the operators' own superuser works for an organisation.
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(organisation__isnull=False),
                name="person_works_for_an_organisation",
            )
        ]

    def clean(self):
        super().clean()
        if self.organisation is None or not self.role:
            return  # required fields, reported on their own
        allowed = ROLES_BY_ORGANISATION_KIND[self.organisation.kind]
        if self.role not in allowed:
            kind, role = self.organisation.get_kind_display().lower(), Role(self.role).label.lower()
            raise ValidationError({"role": f"A person at {_a(kind)} cannot be {_a(role)}"})

    @property
    def is_council(self) -> bool:
        return self.role in COUNCIL_ROLES

    @property
    def may_search(self) -> bool:
        """The header's search finds care records: the council's, or a provider's own."""
        return self.role in COUNCIL_ROLES | PROVIDER_ROLES

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def name_role_and_team(self) -> str:
        """How a person is told apart when choosing who will do something: "Adam Manager, Account
        manager, Birmingham City Council"."""
        parts = [str(self), Role(self.role).label if self.role else "", str(self.organisation or "")]
        return ", ".join(part for part in parts if part)


class ApiToken(models.Model):
    """A secret that lets a system (a client record system, a call-monitoring feed) call the API
    as a person, within its scopes and until it expires (accounts.token_rules). Only its
    SHA-256 is stored; the token itself is shown once, when made."""

    owner_path = "user__organisation"
    PREFIX = "cm_"
    LAST_USED_EVERY = dt.timedelta(minutes=5)  # how closely "last used" follows the token's use

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What system uses this token")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="replaces")

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="api_tokens_by_expiry")]

    def __str__(self):
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, *, scopes=token_rules.EVERY_SCOPE,
              expires_at: dt.datetime | None = None) -> tuple["ApiToken", str]:
        """A new token and its key. Refuses a scope that does not exist or an expiry more than a
        year away (ValidationError, on the field)."""
        now = clock.now()
        expires_at = expires_at or now + token_rules.LONGEST
        problems = [p for p in map(token_rules.scope_problem, scopes) if p]
        if problems or not scopes:
            raise ValidationError({"scopes": problems or ["Choose what the token may do"]})
        if problem := token_rules.expiry_problem(now, expires_at):
            raise ValidationError({"expires_at": problem})
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), key_hint=key[:10],
                                   scopes=sorted(set(scopes)), expires_at=expires_at)
        return token, key

    def rotate(self) -> tuple["ApiToken", str]:
        """A new token like this one; this one keeps working for the overlap, then stops."""
        now = clock.now()
        new, key = ApiToken.issue(self.user, self.name, scopes=self.scopes, expires_at=now + token_rules.LONGEST)
        self.replaced_by = new
        self.expires_at = token_rules.after_rotation(now, self.expires_at)
        self.save(update_fields=["replaced_by", "expires_at"])
        return new, key

    @property
    def working(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now() and self.user.is_active

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if not self.user.is_active:
            return "Stopped: the person's account is closed"
        if self.expires_at <= clock.now():
            return "Expired"
        return "Replaced: works for the changeover" if self.replaced_by_id else "Working"

    @property
    def described_scopes(self) -> list[str]:
        if set(token_rules.EVERY_SCOPE) <= set(self.scopes):
            return ["Every part of the API: read and change"]
        return token_rules.described(self.scopes)

    def allows(self, area: str | None, access: str) -> bool:
        return token_rules.allows(self.scopes, area, access)

    @classmethod
    def authenticate(cls, key: str, *, address: str | None = None) -> "ApiToken | None":
        """The working token with this key, or None (unknown, revoked, expired, or its person
        has left)."""
        now = clock.now()
        token = (
            cls.objects.select_related("user__organisation")
            .filter(key_hash=cls.hash_key(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        if (token.last_used_at is None or now - token.last_used_at >= cls.LAST_USED_EVERY
                or token.last_used_from != address):
            # Written at most every few minutes from one address: a write on every call made each read a write.
            cls.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
        return token


class SentEmail(models.Model):
    """A copy of each email the service sent, for its recipient's notifications page (no email
    names or identifies a citizen, so a copy holds nothing a provider may not see).

    The copy belongs to the person the address was confirmed for when it was sent (never to
    whoever holds the address later), and an email carrying a secret (a sign-in or
    set-password link) is kept without its body: the link works only from the inbox."""

    to_address = models.EmailField(db_index=True)
    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    body_withheld = models.BooleanField(default=False)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"Email to {self.to_address}: {self.subject}"


class SignedInSession(models.Model):
    """A browser a person is signed in on: which session, since when and from where. It goes
    with its session (signed out, expired, cleared), so what is listed is what still works."""

    # Its own number on pages: a session's key is a secret and never leaves the server.
    session = models.OneToOneField("sessions.Session", on_delete=models.CASCADE, related_name="signed_in")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    started_at = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.user}, signed in {self.started_at:%Y-%m-%d %H:%M}"


class GroupRole(models.Model):
    """A group in the council's directory and the Caremarket role it gives on single sign-on.
    A person in several mapped groups takes the role of the one listed first (lowest order)."""

    group = models.CharField(max_length=255, unique=True, help_text="Exactly as the identity provider names it")
    role = models.CharField(max_length=30, choices=[(r.value, r.label) for r in Role if r in COUNCIL_ROLES])
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first when a person is in several")

    class Meta:
        ordering = ["order", "group"]
        verbose_name = "group that gives a role"

    def __str__(self):
        return f"{self.group} → {Role(self.role).label}"
