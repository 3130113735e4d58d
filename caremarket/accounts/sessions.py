"""Where a person is signed in: each browser's session, listed for them, ended from their
page, and ended everywhere else when their password changes (everywhere when it is reset)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction

from caremarket.core import clock
from caremarket.core.clients import client_address

from .models import SignedInSession

BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Mac OS X", "Mac"), ("CrOS", "Chromebook"), ("Linux", "Linux"))


def browser_of(user_agent: str) -> str:
    """A browser as a person knows it: "Chrome on Windows", or "Unknown browser"."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if re.search(re.escape(mark), user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "Unknown browser")


def started(sender, request, user, **kwargs):
    """Signed in: the session (its key new since sign-in) is listed for the person."""
    key = request.session.session_key
    if key is None:  # not saved yet
        request.session.save()
        key = request.session.session_key
    SignedInSession.objects.update_or_create(session_id=key, defaults={
        "user": user, "started_at": clock.now(), "address": client_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]})


@contextmanager
def kept(request):
    """Keep this browser listed while its session's key changes (Django does on a password change)."""
    listed = SignedInSession.objects.filter(session_id=request.session.session_key).first()
    yield
    if listed is not None:
        request.session.save()
        SignedInSession.objects.create(session_id=request.session.session_key, user=listed.user,
                                       started_at=listed.started_at, address=listed.address,
                                       user_agent=listed.user_agent)


def listed_for(user, current_key: str | None) -> list[dict]:
    """The person's sessions that still work, this browser's first, each with its last activity
    (sessions are saved on every request, so their expiry follows it)."""
    rows = (SignedInSession.objects.filter(user=user, session__expire_date__gt=clock.now())
            .select_related("session").order_by("-started_at"))
    listed = [{"pk": row.pk, "this_browser": row.session_id == current_key, "browser": browser_of(row.user_agent),
               "address": row.address, "started_at": row.started_at,
               "last_active_at": row.session.expire_date - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)}
              for row in rows]
    return sorted(listed, key=lambda session: not session["this_browser"])


def end(user, listed) -> int:
    """End these of the person's sessions (SignedInSession numbers) at once; how many."""
    with transaction.atomic():
        mine = list(SignedInSession.objects.filter(user=user, pk__in=list(listed))
                    .values_list("session_id", flat=True))
        Session.objects.filter(session_key__in=mine).delete()  # their listing goes with them
    return len(mine)


def end_all_but(user, current_key: str | None) -> int:
    """End every session of the person's but this one (None: every one)."""
    return end(user, SignedInSession.objects.filter(user=user).exclude(session_id=current_key)
               .values_list("pk", flat=True))


user_logged_in.connect(started, dispatch_uid="caremarket.accounts.sessions.started")
