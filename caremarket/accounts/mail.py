"""Email that is sent and kept: every message goes out through the delivery backend (SMTP for
a council, files in var/outbox for the demo) and a copy is kept for each recipient's
notifications page, so that what the service said to a person can be read in the browser."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from caremarket.core import clock


class SendAndKeepBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        from .models import SentEmail  # models load after the mail settings

        sent = self.delivery.send_messages(email_messages) or 0
        now = clock.now()
        SentEmail.objects.bulk_create([
            SentEmail(to_address=address, subject=message.subject[:300], body=message.body, sent_at=now)
            for message in email_messages for address in message.recipients()])
        return sent
