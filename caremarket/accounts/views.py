from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core import signing
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from caremarket.audit.trail import record, snapshot
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from . import sessions, single_sign_on, two_factor
from .filters import ApiTokenFilter, PeopleFilter
from .forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgottenPasswordForm,
    PersonForm,
    SetPasswordGovukForm,
    SignInForm,
)
from .mail import WITHHELD, send_secret
from .models import ApiToken, SentEmail, User
from .permissions import can, get_visible_or_404, visible


CONFIRMATION_SALT = "caremarket.accounts.confirm-email"
CONFIRMATION_LASTS = 3 * 24 * 3600  # seconds a link to confirm an address works


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, single_sign_on=single_sign_on.enabled())


class CouncilSignOnStart(OIDCAuthenticationRequestView):
    """Off to the council's identity provider (when single sign-on is set up)."""

    def get(self, request):
        if not single_sign_on.enabled():
            raise Http404("Not found")
        return super().get(request)


class SignOutView(auth_views.LogoutView):
    pass


class ChangePasswordView(auth_views.PasswordChangeView):
    """A signed-in person changes their own password; their other sessions end (Django)."""

    template_name = "accounts/change_password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        ended = sessions.end_all_but(self.request.user, self.request.session.session_key)
        with sessions.kept(self.request):  # Django gives this browser's session a new key
            response = super().form_valid(form)
        with transaction.atomic():
            record(self.request.user, "person.password_changed", self.request.user,
                   after={"other_sessions_ended": ended})
        messages.success(self.request, "Your password has been changed"
                         + (" and you have been signed out everywhere else" if ended else ""))
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    form_class = SetPasswordGovukForm
    success_url = reverse_lazy("sign-in")
    post_reset_login = False

    def form_valid(self, form):
        # Whoever holds the emailed link may sign in again at once: it lifts a lock-out too.
        axes_reset(username=self.user.get_username())
        if self.user.email_confirmed_at is None:  # the link reached them: the address is theirs
            self.user.email_confirmed_at = clock.now()
        messages.success(self.request, "Your password has been set. You can now sign in.")
        response = super().form_valid(form)
        sessions.end_all_but(self.user, None)  # whoever had the old password is signed out too
        return response


class ForgottenPasswordView(auth_views.PasswordResetView):
    """Email a link to set a new password (the way back from a lock-out without waiting)."""

    template_name = "accounts/forgotten_password.html"
    form_class = ForgottenPasswordForm
    email_template_name = "accounts/reset_email.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")


def password_reset_sent(request):
    return render(request, "accounts/reset_sent.html")


def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _may_manage(editor, person=None) -> bool:
    if can(editor, "manage_people"):
        return True
    if not can(editor, "manage_own_organisation_people"):
        return False
    return person is None or person.organisation_id == editor.organisation_id


PEOPLE_COLUMNS = [
    Column("Name", lambda p: p.get_full_name()),
    Column("Email", lambda p: p.email),
    Column("Organisation", lambda p: p.organisation.name),
    Column("Role", lambda p: p.get_role_display()),
    Column("Can sign in", lambda p: "Yes" if p.is_active else "No"),
    Column("Last signed in", lambda p: p.last_login.date() if p.last_login else ""),
]


@login_required
def people_list(request):
    people = (visible(User.objects.select_related("organisation"), request.user).filter(organisation__isnull=False)
              .order_by("organisation__name", "last_name", "pk"))
    found = PeopleFilter(request.GET, people, request=request)
    if wants_csv(request):
        return csv_download(found.qs, PEOPLE_COLUMNS, "people.csv")
    return render(request, "accounts/people_list.html", {
        "filter": found, "page": page_of(request, found.qs), "may_add": _may_manage(request.user)})


def _invite(request, person):
    """Email the new person a link to set their own password (Django's password-reset tokens)."""
    context = {
        "user": person,
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    send_secret(subject, render_to_string("accounts/invitation_email.txt", context), [person.email])


def _ask_to_confirm(request, person):
    """Email the new address a link that makes it the person's (a signed token naming both)."""
    token = signing.dumps({"person": person.pk, "address": person.pending_email}, salt=CONFIRMATION_SALT)
    link = request.build_absolute_uri(reverse("confirm-email", args=[token]))
    send_secret("Confirm your new email address for Caremarket",
                render_to_string("accounts/confirm_email.txt", {"person": person, "link": link}),
                [person.pending_email])


def confirm_email(request, token):
    """Make a waiting address the person's own: the link was read at that address."""
    try:
        claim = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_LASTS)
    except signing.BadSignature:
        return render(request, "accounts/confirm_email_not_valid.html", status=400)
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=claim.get("person"), is_active=True).first()
        address = claim.get("address", "")
        if (person is None or not address or person.pending_email != address
                or User.objects.address_taken(address, by_other_than=person.pk)):
            return render(request, "accounts/confirm_email_not_valid.html", status=400)
        before = snapshot(person)
        person.email = person.username = address
        person.pending_email, person.email_confirmed_at = "", clock.now()
        person.save(update_fields=["email", "username", "pending_email", "email_confirmed_at"])
        record(person, "person.email_confirmed", person, before=before,
               reason="The link sent to the new address was followed")
    messages.success(request, f"Your email address is now {address}. Use it to sign in.")
    return redirect("sign-in" if not request.user.is_authenticated else "home")


@login_required
def person_edit(request, pk=None):
    person = get_visible_or_404(User, request.user, pk=pk) if pk else None
    if not _may_manage(request.user, person):
        raise PermissionDenied("You cannot manage people")
    before = snapshot(person) if person else None  # before the form writes to it
    form = PersonForm(request.POST or None, instance=person, editor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if person is None:
                saved.set_unusable_password()
                saved.save()
            record(request.user, "person.added" if person is None else "person.changed", saved, before=before,
                   reason=form.cleaned_data["reason"])
            if before and before["is_active"] and not saved.is_active:
                sessions.end_all_but(saved, None)  # closed: signed out everywhere now (tokens stop too)
        if person is None:
            transaction.on_commit(lambda: _invite(request, saved))
            messages.success(request, f"{saved.get_full_name()} has been added and sent an email to set a password")
        elif form.new_address:
            transaction.on_commit(lambda: _ask_to_confirm(request, saved))
            messages.success(request, f"{saved.get_full_name()}'s details have been saved. Their new email address "
                                      f"is used once they follow the link sent to it; until then it stays "
                                      f"{saved.email}.")
        else:
            messages.success(request, f"{saved.get_full_name()}'s details have been saved")
        return redirect("people-list")
    # Locked by the account's failures from every address together (settings.AXES_LOCKOUT_PARAMETERS).
    locked = person is not None and (AccessAttempt.objects.filter(username=person.get_username()).aggregate(
        failures=Sum("failures_since_start"))["failures"] or 0) >= settings.AXES_FAILURE_LIMIT
    return render(request, "accounts/person_form.html", {
        "form": form, "person": person, "locked": locked,
        "has_two_factor": person is not None and two_factor.has_app(person)})


@login_required
@require_POST
def unlock_person(request, pk):
    """Lift a sign-in lock-out for a person (their account, from any address)."""
    person = get_visible_or_404(User, request.user, pk=pk)
    if not _may_manage(request.user, person):
        raise PermissionDenied("You cannot manage people")
    with transaction.atomic():
        attempts = axes_reset(username=person.get_username())
        record(request.user, "person.sign_in_unlocked", person, after={"attempts_cleared": attempts},
               reason="Unlocked by an administrator")
    messages.success(request, f"{person.get_full_name()} can sign in again")
    return redirect("person-edit", person.pk)


@login_required
def api_tokens(request):
    """A person's own API tokens: a new one is shown once, then only its first characters."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"],
                                            scopes=form.cleaned_data["scopes"], expires_at=form.expires_at)
            record(request.user, "api_token.issued", token)
        form = ApiTokenForm()
    return _tokens_page(request, form, new_key)


def _tokens_page(request, form, new_key=None):
    tokens = request.user.api_tokens.select_related("replaced_by").order_by("-created_at")
    return render(request, "accounts/api_tokens.html", {
        "form": form, "tokens": tokens, "new_key": new_key, "may_manage": _may_manage(request.user)})


def _tokens_revocable_by(person):
    """A person's own tokens, and those of the people they manage."""
    tokens = ApiToken.objects.select_related("user__organisation")
    if can(person, "manage_people"):
        return visible(tokens, person)
    if _may_manage(person):
        return tokens.filter(user__organisation=person.organisation)
    return tokens.filter(user=person)


@login_required
@require_POST
def rotate_api_token(request, pk):
    """A new token in place of one of one's own; the old one works on for a week (token_rules)."""
    with transaction.atomic():
        old = get_visible_or_404(ApiToken.objects.select_for_update(of=("self",)).filter(user=request.user),
                                 request.user, pk=pk)
        if not old.working or old.replaced_by_id:
            messages.error(request, f"The token for {old.name} has stopped working or been replaced already: "
                                    "make a new one")
            return redirect("api-tokens")
        before = snapshot(old)
        new, new_key = old.rotate()
        record(request.user, "api_token.issued", new, reason=f"In place of {old}")
        record(request.user, "api_token.rotated", old, before=before)
    return _tokens_page(request, ApiTokenForm(), new_key)


@login_required
@require_POST
def revoke_api_token(request, pk):
    with transaction.atomic():
        token = get_visible_or_404(_tokens_revocable_by(request.user).select_for_update(of=("self",)),
                                   request.user, pk=pk)
        if token.revoked_at is None:
            before = snapshot(token)
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            record(request.user, "api_token.revoked", token, before=before,
                   reason="" if token.user_id == request.user.pk else "Revoked by an administrator")
    messages.success(request, f"The token for {token.name} no longer works")
    return redirect("api-tokens" if token.user_id == request.user.pk else "people-api-tokens")


API_TOKEN_COLUMNS = [
    Column("Used by", lambda t: t.name),
    Column("Person", lambda t: t.user.get_full_name() or t.user.username),
    Column("Organisation", lambda t: t.user.organisation or ""),
    Column("Starts with", lambda t: t.key_hint),
    Column("Scopes", lambda t: " ".join(t.scopes)),
    Column("Made", lambda t: clock.local(t.created_at).strftime("%Y-%m-%d %H:%M")),
    Column("Stops working", lambda t: clock.local(t.expires_at).strftime("%Y-%m-%d %H:%M")),
    Column("Last used", lambda t: clock.local(t.last_used_at).strftime("%Y-%m-%d %H:%M") if t.last_used_at else ""),
    Column("Last used from", lambda t: t.last_used_from or ""),
    Column("Status", lambda t: t.status),
]


@login_required
def people_api_tokens(request):
    """Every token of the people an administrator manages: what it may do, when it was last used
    and from where, revoked here."""
    if not _may_manage(request.user):
        raise PermissionDenied("You cannot manage people")
    tokens = _tokens_revocable_by(request.user).order_by("-created_at", "pk")
    found = ApiTokenFilter(request.GET, tokens, request=request)
    if wants_csv(request):
        return csv_download(found.qs, API_TOKEN_COLUMNS, "api-tokens.csv")
    return render(request, "accounts/people_api_tokens.html", {"filter": found, "page": page_of(request, found.qs)})


@login_required
def signed_in_sessions(request):
    """Where the person is signed in; they sign out one browser, or every other."""
    if request.method == "POST":
        which = request.POST.get("session")
        current = request.session.session_key
        if which == "others":
            ended = sessions.end_all_but(request.user, current)
        else:
            chosen = next((s for s in sessions.listed_for(request.user, current) if str(s["pk"]) == which), None)
            if chosen is None or chosen["this_browser"]:
                raise Http404("Not found")  # another's, gone already, or this one (sign out instead)
            ended = sessions.end(request.user, [chosen["pk"]])
        with transaction.atomic():
            record(request.user, "person.signed_out_elsewhere", request.user, after={"sessions_ended": ended})
        messages.success(request, f"Signed out of {ended} other browser{'s' if ended != 1 else ''}")
        return redirect("signed-in-sessions")
    return render(request, "accounts/signed_in_sessions.html",
                  {"sessions": sessions.listed_for(request.user, request.session.session_key)})


@login_required
def notifications(request):
    """Every email the service has sent to the person signed in, newest first: the copies kept
    for them when they were sent, not whatever went to an address they hold now."""
    emails = SentEmail.objects.filter(recipient=request.user)
    return render(request, "accounts/notifications.html", {"page": page_of(request, emails, per_page=20),
                                                           "withheld": WITHHELD})
