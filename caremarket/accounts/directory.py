"""Joiners, movers and leavers from the council's directory: a SCIM 2.0 service (django-scim2,
/scim/v2/Users) that the identity provider calls with an API token scoped directory:write,
made by someone who manages the council's people. It creates, changes and closes the council's
own accounts and no one else's; a closed account is signed out everywhere at once and its API
tokens stop. Accounts are never deleted: a SCIM delete closes one. Roles are not set here: they
come from the person's groups when they sign in (single_sign_on)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import JsonResponse
from django_scim import exceptions
from django_scim.adapters import SCIMUser

from caremarket.audit.trail import record, snapshot

from . import sessions
from .models import ApiToken, User
from .permissions import can

REASON = "From the council's directory"
SCIM_ROOT = "/scim/v2/"


class DirectoryToken:
    """Who is calling /scim/v2/: the person behind a working API token with the scope
    directory:write, who may manage the council's people. Anyone else is not signed in there
    (django-scim2 answers 401), or is refused (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SCIM_ROOT):
            request.user = AnonymousUser()  # never a browser's session here
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            token = ApiToken.authenticate(key.strip()) if scheme.lower() == "bearer" and key.strip() else None
            if token is not None:
                if not token.allows("directory", "write") or not can(token.user, "manage_people"):
                    return JsonResponse({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "403",
                                         "detail": "This token may not change the council's people: it needs the "
                                                   "scope directory:write, made by someone who manages people"},
                                        status=403, content_type="application/scim+json")
                request.user = token.user
        return self.get_response(request)


class CouncilPerson(SCIMUser):
    """A council account as SCIM sees it: userName is the person's email address (as they sign in)."""

    @property
    def groups(self):
        return []  # roles come from the identity provider's groups at sign-in

    def from_dict(self, d):
        self._before = snapshot(self.obj) if self.obj.pk else None
        super().from_dict({key: value for key, value in d.items() if key != "password"})  # no Caremarket password
        if self.obj.pk is None:
            self.obj.organisation_id = self.request.user.organisation_id
            self.obj.set_unusable_password()

    def save(self):
        """Store a create, replace or patch: one email address as the person's username, never
        another account's; audited; a leaver signed out everywhere."""
        address = next((a.strip().lower() for a in (self.obj.username, self.obj.email) if a and "@" in a), "")
        if not address:
            raise exceptions.BadRequestError("userName or a primary email must be the person's email address")
        if User.objects.address_taken(address, by_other_than=self.obj.pk):
            raise exceptions.IntegrityError(f"Another Caremarket account already uses {address}")
        self.obj.username = self.obj.email = self.obj.scim_username = address
        with transaction.atomic():
            new = self.obj.pk is None
            self.obj.save()
            if new:
                record(self.request.user, "person.added", self.obj, reason=REASON)
            elif snapshot(self.obj) != self._before:
                record(self.request.user, "person.changed", self.obj, before=self._before, reason=REASON)
        if not self.obj.is_active:
            sessions.end_all_but(self.obj, None)  # a leaver: signed out everywhere now

    def handle_replace(self, path, value, operation):
        self._before = getattr(self, "_before", None) or snapshot(self.obj)
        return super().handle_replace(path, value, operation)

    def delete(self):
        """Accounts are closed, never deleted: the audit trail and their work keep naming them."""
        self._before = snapshot(self.obj)
        self.obj.is_active = False
        self.save()
