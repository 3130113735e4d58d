"""Council staff sign in with the council's own account, through its identity provider over
OpenID Connect (mozilla-django-oidc: the authorisation code flow with PKCE). The ID token's
signature is checked with the provider's published keys, then its issuer, audience and expiry
(sign_on_rules). A person is matched by the provider's stable subject, never by email alone;
their role comes from their groups through the council's mapping (GroupRole), at every sign-in,
so a person no longer in a mapped group loses their role and is turned away."""

from __future__ import annotations

import logging
import time

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from caremarket.audit.trail import record, snapshot
from caremarket.core import clock

from . import sign_on_rules
from .models import GroupRole, User

log = logging.getLogger(__name__)
REASON = "From the council's sign-in"


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class Refused(SuspiciousOperation):
    """A sign-in turned away, with what to tell the person."""


class CouncilSignOn(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None  # a password sign-in, or single sign-on is not set up
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, OSError, ValueError) as refusal:
            log.warning("Single sign-on refused: %s", refusal)
            messages.error(request, "Signing in with your council account did not work. Try again, and if it "
                                    "goes on, tell the council's IT service desk.")
            return None

    def verify_token(self, token, **kwargs):
        claims = super().verify_token(token, **kwargs)  # its signature, with the provider's keys
        problem = sign_on_rules.id_token_problem(claims, issuer=settings.OIDC_OP_ISSUER,
                                                 client_id=self.OIDC_RP_CLIENT_ID, now=time.time())
        if problem:
            raise SuspiciousOperation(problem)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return self._person_for(self.get_userinfo(access_token, id_token, payload), payload)
        except Refused as refusal:
            messages.error(self.request, str(refusal))  # mozilla-django-oidc logs it and signs nobody in
            raise

    def _person_for(self, info: dict, payload: dict) -> User:
        if info.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The provider's account details are for someone else")
        mapping = list(GroupRole.objects.values_list("group", "role"))
        role = sign_on_rules.role_from_groups(info.get(settings.OIDC_GROUPS_CLAIM), mapping)
        with transaction.atomic():
            person = User.objects.select_for_update().filter(sso_subject=payload["sub"]).first()
            if role is None:
                self._remove_role(person)
            elif person is None:
                person = self._join(payload["sub"], info, role)
            elif person.is_active:
                person = self._update(person, info, role)
        if role is None:
            raise Refused("Your council account is not in a group that gives a role in Caremarket. "
                          "Ask your manager to request one from the council's IT service desk.")
        if not person.is_active:
            raise Refused("Your Caremarket account has been closed")
        return person

    def _remove_role(self, person: User | None) -> None:
        if person is None or not person.role:
            return
        before = snapshot(person)
        person.role = ""
        person.save(update_fields=["role"])
        record(person, "person.role_removed", person, before=before,
               reason=f"{REASON}: no longer in a group that gives a Caremarket role")

    def _join(self, subject: str, info: dict, role: str) -> User:
        email = (info.get("email") or "").strip().lower()
        if not email:
            raise Refused("The council's sign-in did not give your email address: tell the IT service desk")
        if User.objects.address_taken(email):
            # Never joined by an address alone: someone may hold it already, or have held it.
            raise Refused("There is already a Caremarket account with your email address. Ask a Caremarket "
                          "administrator to link it to your council account.")
        # The council a person works for, through the link every account has (organisations sit above accounts).
        organisations = User._meta.get_field("organisation").related_model.objects
        council = organisations.filter(kind="council").order_by("pk").first()
        person = User(username=email, email=email, sso_subject=subject, role=role, organisation=council,
                      first_name=info.get("given_name", "")[:150], last_name=info.get("family_name", "")[:150])
        person.set_unusable_password()
        person.email_confirmed_at = clock.now()  # the council's directory vouches for it
        person.save()
        record(person, "person.added", person, reason=REASON)
        return person

    def _update(self, person: User, info: dict, role: str) -> User:
        before = snapshot(person)
        person.role = role
        person.first_name = info.get("given_name", person.first_name)[:150]
        person.last_name = info.get("family_name", person.last_name)[:150]
        if snapshot(person) != before:
            person.save()
            record(person, "person.changed", person, before=before, reason=REASON)
        return person
