"""The two-factor pages: set up an authenticator app (with recovery codes shown once), give a
code at sign-in, and an administrator's reset."""

import textwrap
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from caremarket.audit.trail import record
from caremarket.govuk.forms import GovukFormMixin

from . import sessions, two_factor
from .models import User
from .permissions import get_visible_or_404
from .views import _may_manage


# After a wrong code, django-otp takes the next only after a pause that doubles each time.
WAIT = "You entered a wrong code a moment ago: wait a few seconds, then enter the code the app shows now"


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(label="Code", max_length=20, error_messages={"required": "Enter the code"},
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}))


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return wanted if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}) else "/"


@login_required
def give_code(request):
    """After the password: the code from the person's app, or a recovery code."""
    if not two_factor.has_app(request.user):
        return redirect("two-factor-set-up")
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows for Caremarket, or a recovery code"
    if request.method == "POST" and form.is_valid():
        paused = two_factor.waiting(request.user)
        device = None if paused else two_factor.verify(request, form.cleaned_data["code"])
        if paused:
            form.add_error("code", WAIT)
        elif device is None:
            form.add_error("code", "The code is not right, or has been used: enter the code your app shows now")
        else:
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(request.user)
                with transaction.atomic():
                    record(request.user, "person.recovery_code_used", request.user, after={"codes_left": left})
                messages.warning(request, f"You used a recovery code: {left} left. If you have lost your phone, set "
                                          "up your authenticator app again from 'Where you are signed in'.")
            return redirect(_next(request))
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": _next(request)})


@login_required
def set_up(request):
    """Set up (or replace) the authenticator app: scan, confirm with a code, keep the recovery codes."""
    device = two_factor.pending_app(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].label = "Enter the 6-digit code the app shows"
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", WAIT)
        elif not device.verify_token("".join(form.cleaned_data["code"].split())):
            form.add_error("code", "The code is not right: check the app shows Caremarket, and enter the code it "
                                   "shows now")
        else:
            codes = two_factor.confirm_app(request, device)
            ended = sessions.end_all_but(request.user, request.session.session_key)
            with transaction.atomic():
                record(request.user, "person.two_factor_set_up", request.user, after={"other_sessions_ended": ended})
            return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next(request)})
    qr = segno.make(device.config_url, error="m")
    return render(request, "accounts/two_factor_set_up.html", {
        "form": form, "qr": qr.svg_inline(scale=5, title="A QR code to scan with your authenticator app"),
        "key": " ".join(textwrap.wrap(b32encode(device.bin_key).decode(), 4)),
        "next": _next(request)})


@login_required
@require_POST
def reset(request, pk):
    """An administrator resets a person's two-factor (a lost phone): they set it up again at their
    next sign-in, and are signed out everywhere now."""
    person = get_visible_or_404(User, request.user, pk=pk)
    if not _may_manage(request.user, person):
        raise PermissionDenied("You cannot manage people")
    with transaction.atomic():
        two_factor.reset(person)
        record(request.user, "person.two_factor_reset", person, reason="Reset by an administrator")
    sessions.end_all_but(person, None)
    messages.success(request, f"{person.get_full_name()} will set up two-factor sign-in again when they next sign in")
    return redirect("person-edit", person.pk)
