"""Email that is sent and kept: every message goes out through the delivery backend (SMTP for
a council, files in var/outbox for the demo) and a copy is kept for each recipient's
notifications page, so that what the service said to a person can be read in the browser.

A copy is kept for the person whose confirmed address it was sent to, fixed at sending. An
email that carries a secret (``send_secret``: sign-in links, set-password links, address
confirmations) is kept as a note that it was sent, never with its body, so that whoever can
read a person's notifications, or holds their address later, cannot use the link.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models.functions import Lower

from caremarket.core import clock

WITHHELD = "This email held a link that works only for the person it was sent to, so it is not kept here."


def mark_secret(message: EmailMessage) -> EmailMessage:
    message.holds_secret = True
    return message


def send_secret(subject: str, body: str, to: list[str]) -> int:
    """Send an email whose body is a secret (a link that signs someone in or proves an address)."""
    return mark_secret(EmailMessage(subject, body, None, to)).send()


class SendAndKeepBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        from .models import SentEmail, User  # models load after the mail settings

        sent = self.delivery.send_messages(email_messages) or 0
        now = clock.now()
        addresses = {address.lower() for message in email_messages for address in message.recipients()}
        owners = dict(User.objects.annotate(address=Lower("email")).filter(
            address__in=addresses, email_confirmed_at__isnull=False, is_active=True).values_list("address", "pk"))
        kept = []
        for message in email_messages:
            secret = getattr(message, "holds_secret", False)
            for address in message.recipients():
                kept.append(SentEmail(to_address=address, recipient_id=owners.get(address.lower()),
                                      subject=message.subject[:300], body="" if secret else message.body,
                                      body_withheld=secret, sent_at=now))
        SentEmail.objects.bulk_create(kept)
        return sent
