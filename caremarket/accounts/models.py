import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from caremarket.core import clock

from .roles import COUNCIL_ROLES, PROVIDER_ROLES, ROLES_BY_ORGANISATION_KIND, Role


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


class PeopleManager(UserManager):
    def address_taken(self, address: str, *, by_other_than: int | None = None) -> bool:
        """Whether another person signs in with this address, or is waiting to confirm it as theirs."""
        return self.filter(models.Q(username__iexact=address) | models.Q(email__iexact=address)
                           | models.Q(pending_email__iexact=address)).exclude(pk=by_other_than).exists()


class User(AbstractUser):
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
    as a person. Only its SHA-256 is stored; the token itself is shown once, when made."""

    owner_path = "user__organisation"
    PREFIX = "cm_"
    LAST_USED_EVERY = dt.timedelta(minutes=5)  # how closely "last used" follows the token's use

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What system uses this token")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), key_hint=key[:10])
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = (
            cls.objects.select_related("user__organisation")
            .filter(key_hash=cls.hash_key(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = clock.now()
        if token.last_used_at is None or now - token.last_used_at >= cls.LAST_USED_EVERY:
            # Written at most every few minutes: a write on every call made each read a write.
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


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
