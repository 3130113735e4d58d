import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from django.template.loader import render_to_string

from caremarket.core import clock
from caremarket.govuk.forms import GovukFormMixin, date_field

from . import token_rules
from .mail import send_secret

from .models import User
from .permissions import can
from .roles import ROLES_BY_ORGANISATION_KIND, Role


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.CharField(label="Email address or username", max_length=150)
    error_messages = {
        "invalid_login": "Enter a correct email address or username and password",
        "inactive": "This account has been closed",
        "council_sign_on": "Council staff sign in with their council account: use the button below",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.OIDC_RP_CLIENT_ID and user.is_council:  # single sign-on is on: no second password
            raise forms.ValidationError(self.error_messages["council_sign_on"], code="council_sign_on")


class SetPasswordGovukForm(GovukFormMixin, SetPasswordForm):
    pass


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    error_messages = {**PasswordChangeForm.error_messages,
                      "password_incorrect": "Your current password is not right: enter it again"}


class ForgottenPasswordForm(GovukFormMixin, PasswordResetForm):
    """The email address a set-password link is sent to. The page says the same whether or not
    the address has an account, so it tells a stranger nothing."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        send_secret(subject, render_to_string(email_template_name, context), [to_email])


class PersonForm(GovukFormMixin, forms.ModelForm):
    """A commissioner adds or changes anyone; a provider administrator, people in their own organisation."""

    reason = forms.CharField(
        label="Why are you making this change?", max_length=500, required=False,
        help_text="Recorded in the audit trail", widget=forms.TextInput,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "job_title", "organisation", "role", "is_active"]
        labels = {"is_active": "Can sign in", "email": "Email address"}
        help_texts = {"is_active": "Untick to close the account. Accounts are closed, never deleted."}

    def __init__(self, *args, editor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        for name in ("first_name", "last_name", "email", "role", "organisation"):
            self.fields[name].required = True
        self.fields["first_name"].error_messages["required"] = "Enter the person's first name"
        self.fields["last_name"].error_messages["required"] = "Enter the person's last name"
        self.fields["email"].error_messages["required"] = "Enter the person's email address"
        self.fields["role"].error_messages["required"] = "Choose the person's role"
        if self.instance.pk:  # changing someone's access needs a reason; adding them does not
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Say why you are making this change"
        self.fields["organisation"].error_messages["required"] = "Choose the organisation this person works for"
        self.fields["organisation"].empty_label = "Choose an organisation"
        self.fields["role"].choices = [("", "Choose a role")] + list(Role.choices)
        if not can(editor, "manage_people"):
            own = editor.organisation
            self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(pk=own.pk)
            allowed = ROLES_BY_ORGANISATION_KIND[own.kind] - {Role.PROVIDER_ADMIN, Role.CONSORTIUM_INTEGRATOR}
            self.fields["role"].choices = [("", "Choose a role")] + [(r.value, r.label) for r in Role if r in allowed]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.address_taken(email, by_other_than=self.instance.pk):
            raise forms.ValidationError("Someone already uses this email address")
        return email

    @property
    def new_address(self) -> str | None:
        """A changed address for someone who has one: it waits for confirmation (``save`` keeps the old)."""
        if self.instance.pk is None or "email" not in self.changed_data:
            return None
        return self.cleaned_data["email"]

    def save(self, commit=True):
        new_address = self.new_address
        person = super().save(commit=False)
        if new_address:
            # The old address stays in use until the new one is confirmed by the link sent to it.
            person.email, person.pending_email = self.initial["email"], new_address
        person.username = person.email
        if commit:
            person.save()
        return person


class ScopeTable(forms.CheckboxSelectMultiple):
    """A token's scopes as a table: each area of the API with its read and change boxes."""

    template_name = "accounts/scope_table.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = set(value or ())
        context["rows"] = [{"area": area, "label": label, "boxes": [
            (f"{area}:{access}", f"{area}:{access}" in chosen, verb) for access, verb in (("read", "Read"),
                                                                                        ("write", "Change"))]}
            for area, label in token_rules.AREAS.items()]
        return context


class ApiTokenForm(GovukFormMixin, forms.Form):
    """A new token: what uses it, what it may do (scopes, accounts.token_rules) and when it stops."""

    LASTS_BY_DEFAULT = dt.timedelta(days=90)

    name = forms.CharField(
        label="What will use this token?", max_length=100,
        help_text="For example: call monitoring feed, client record system",
        error_messages={"required": "Enter what will use this token"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?", choices=[(scope, scope) for scope in token_rules.EVERY_SCOPE],
        widget=ScopeTable, help_text="Tick only what the system needs. A token that may change a part may read it too.",
        error_messages={"required": "Choose at least one part of the API the token may read or change",
                        "invalid_choice": "“%(value)s” is not a scope: choose from the list"},
    )
    expires_on = date_field("Expiry date", example="7/3/2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = clock.today() + self.LASTS_BY_DEFAULT
        self.fields["expires_on"].help_text = ("It stops working as this day starts; at most a year from today. "
                                               + self.fields["expires_on"].help_text)

    @property
    def expires_at(self) -> dt.datetime:
        """The start of the chosen day, in London."""
        return dt.datetime.combine(self.cleaned_data["expires_on"], dt.time(), tzinfo=clock.LONDON)

    def clean(self):
        cleaned = super().clean()
        if "expires_on" in cleaned and (problem := token_rules.expiry_problem(clock.now(), self.expires_at)):
            self.add_error("expires_on", problem)
        return cleaned