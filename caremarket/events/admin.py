"""Subscribers are registered, and failed deliveries sent again, under Other settings."""

from django import forms
from django.contrib import admin, messages

from caremarket.audit.admin import AuditedAdmin

from . import delivery
from .models import Delivery, Subscriber
from .subscribers import KINDS, new_secret, url_problem


class SubscriberForm(forms.ModelForm):
    url = forms.URLField(label="Webhook address", max_length=500, required=False, assume_scheme="https",
                         help_text="https:// in production; leave empty for the pull feed only")
    kinds = forms.MultipleChoiceField(choices=sorted(KINDS.items()), widget=forms.CheckboxSelectMultiple,
                                      required=False, label="The kinds of event it may receive")

    class Meta:
        model = Subscriber
        fields = ["name", "url", "account", "kinds", "personal_data", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and (why := url_problem(url)):
            raise forms.ValidationError(why)
        return url


@admin.register(Subscriber)
class SubscriberAdmin(AuditedAdmin):
    form = SubscriberForm
    list_display = ["name", "url", "personal_data", "active"]
    readonly_fields = ["secret"]
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            obj.secret = new_secret()
        super().save_model(request, obj, form, change)

    @admin.action(description="Rotate the signing secret (the old one also signs for a day)")
    def rotate_secret(self, request, queryset):
        from caremarket.core import clock

        for subscriber in queryset:
            subscriber.previous_secret, subscriber.secret, subscriber.rotated_at = (
                subscriber.secret, new_secret(), clock.now())
            self.save_model(request, subscriber, None, True)
        messages.success(request, "The secrets were rotated: give each system its new one")


@admin.register(Delivery)
class DeliveryAdmin(AuditedAdmin):
    list_display = ["event", "subscriber", "status", "attempts", "last_error", "next_attempt_at"]
    list_filter = ["status", "subscriber"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again")
    def send_again(self, request, queryset):
        for failed in queryset.filter(status=Delivery.Status.FAILED):
            delivery.send_again(failed)
        messages.success(request, "The failed deliveries will be sent again")
