"""Every email the service sends is delivered and kept, and its recipient can read it again."""

from django.core import mail

from caremarket.accounts.roles import Role


def test_an_email_sent_is_delivered_and_shown_only_to_its_recipient(settings, make_user, council, provider,
                                                                      signed_in):
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader = make_user(Role.PROVIDER_ADMIN, provider, username="reader@provider.test")
    reader.email = "reader@provider.test"
    reader.save()
    mail.send_mail("Care package CR-000123 is open for your offer", "Offer by 17:00 at https://care.example/",
                   None, ["reader@provider.test"])
    assert len(mail.outbox) == 1  # delivered
    page = signed_in(reader).get("/notifications/").content.decode()
    assert "Care package CR-000123 is open for your offer" in page and 'href="https://care.example/"' in page
    other = make_user(Role.FINANCE_OFFICER, council, username="other@council.test")
    assert "CR-000123" not in signed_in(other).get("/notifications/").content.decode()
