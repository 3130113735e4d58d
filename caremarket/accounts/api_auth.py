"""Who is calling the API, and whether they may call an operation at all.

Systems send ``Authorization: Bearer <token>`` (accounts.ApiToken); a signed-in browser
session works too. ``granted(...)`` makes an operation's permission part of its
authentication, which django-ninja runs before it reads the request: a caller who may not
take an action is told so (403) rather than what is wrong with what it sent (422).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .permissions import can


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


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
