"""Two-factor sign-in (django-otp): after the password, a code from an authenticator app (TOTP)
or one of the person's single-use recovery codes. Who must give one is a rule
(sign_on_rules.needs_second_factor); until they have, they reach only the two-factor pages."""

from __future__ import annotations

from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import sign_on_rules

COUNCIL_SIGN_ON = "caremarket.accounts.single_sign_on.CouncilSignOn"
SIGNED_IN_BY_COUNCIL = "signed_in_by_council"  # in the session
OPEN_WHILE_WAITING = ("two-factor", "two-factor-set-up", "sign-out", "signed-out")


def required(request) -> bool:
    user = request.user
    if settings.TWO_FACTOR == "off" or not user.is_authenticated:
        return False
    return sign_on_rules.needs_second_factor(user.role, is_superuser=user.is_superuser,
                                             signed_in_by_council=request.session.get(SIGNED_IN_BY_COUNCIL, False))


def _remember_how(sender, request, user, **kwargs):
    request.session[SIGNED_IN_BY_COUNCIL] = getattr(user, "backend", "") == COUNCIL_SIGN_ON


user_logged_in.connect(_remember_how, dispatch_uid="caremarket.accounts.two_factor.remember_how")


class SecondFactorRequired:
    """A signed-in person who must give a second factor and has not reaches only the two-factor
    pages (and signing out); an API call on their session is answered as if not signed in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open = None

    def __call__(self, request):
        if required(request) and not request.user.is_verified():
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.path not in self._open_paths():
                where = "two-factor" if has_app(request.user) else "two-factor-set-up"
                return redirect(f"{reverse(where)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    def _open_paths(self):
        if self.open is None:
            self.open = {reverse(name) for name in OPEN_WHILE_WAITING}
        return self.open


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def confirm_app(request, device: TOTPDevice) -> list[str]:
    """The app gave a right code: it replaces any earlier one, with new recovery codes (shown
    once), and this browser is verified. Returns the codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=device.user).delete()
        recovery = StaticDevice.objects.create(user=device.user, name="Recovery codes")
        codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    django_otp.login(request, device)
    return codes


def verify(request, code: str):
    """The device that takes this code (the app, or a recovery code, used up), or None."""
    code = "".join(code.split()).lower()
    # Six digits are the app's; anything else a recovery code (a wrong try counts against one only).
    kind = TOTPDevice.objects.filter(confirmed=True) if code.isdigit() else StaticDevice.objects.all()
    for device in kind.filter(user=request.user):
        if django_otp.verify_token(request.user, device.persistent_id, code):
            django_otp.login(request, device)
            return device
    return None


def waiting(user) -> bool:
    """Whether the person's app is refusing codes for a moment after a wrong one."""
    return any(not device.verify_is_allowed()[0] for device in TOTPDevice.objects.filter(user=user, confirmed=True))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def reset(user) -> None:
    """Forget the person's app and recovery codes: they set up again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
