"""Who is calling the API, and whether they may call an operation at all.

Systems send ``Authorization: Bearer <token>`` (accounts.ApiToken), each token held to its
scopes (accounts.token_rules); a signed-in browser session works too. ``granted(...)`` makes an operation's permission part of its
authentication, which django-ninja runs before it reads the request: a caller who may not
take an action is told so (403) rather than what is wrong with what it sent (422).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer, SessionAuth

from caremarket.core import tenancy
from caremarket.core.clients import client_address

from . import token_rules
from .models import ApiToken
from .permissions import can, council_acted_for


class BearerToken(HttpBearer):
    """A working token, within its scopes: a call outside them is refused (403) before its body
    is read."""

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token, address=client_address(request))
        if found is None:
            return None
        area, access = token_rules.area_of(request.path), token_rules.access_for(request.method)
        if not found.allows(area, access):
            raise PermissionDenied(token_rules.refusal(area, access))
        request.user = found.user
        tenancy.use_council(council_acted_for(found.user))  # the database's lock too (core.tenancy)
        return found.user


def _allowed(user, grants, refusal):
    if user and not any(can(user, grant) for grant in grants):
        raise PermissionDenied(refusal)
    return user


class _Granted:
    """Authenticates as the class it is mixed into does, then checks the grants."""

    def __init__(self, grants, refusal):
        super().__init__()
        self.grants, self.refusal = grants, refusal

    def authenticate(self, request, credential):
        return _allowed(super().authenticate(request, credential), self.grants, self.refusal)


class _GrantedBearer(_Granted, BearerToken):
    pass


class _GrantedSession(_Granted, SessionAuth):
    pass


def granted(*grants: str, refusal: str = "You do not have permission to do this") -> list:
    """The API's authentication for an operation that needs one of these grants
    (accounts.permissions)."""
    return [_GrantedBearer(grants, refusal), _GrantedSession(grants, refusal)]
