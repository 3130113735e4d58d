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


def test_a_kept_email_stays_with_the_person_it_was_sent_to_not_whoever_holds_the_address_later(
        settings, make_user, council, signed_in):
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = make_user(Role.FINANCE_OFFICER, council, username="desk@council.test")
    mail.send_mail("Payment run 7 is posted", "Remittances are ready", None, ["Desk@Council.test"])
    first.email = first.username = "fran@council.test"
    first.save()
    later = make_user(Role.FINANCE_OFFICER, council, username="desk@council.test")  # the address passes on
    assert "Payment run 7" in signed_in(first).get("/notifications/").content.decode()
    assert "Payment run 7" not in signed_in(later).get("/notifications/").content.decode()


def test_an_address_never_confirmed_gets_no_kept_copies(settings, make_user, council, signed_in):
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invited = make_user(Role.FINANCE_OFFICER, council, username="invited@council.test")
    invited.email_confirmed_at = None
    invited.save()
    mail.send_mail("Payment run 7 is posted", "Remittances are ready", None, ["invited@council.test"])
    assert "Payment run 7" not in signed_in(invited).get("/notifications/").content.decode()


def test_a_password_reset_link_is_delivered_but_not_kept(settings, make_user, council, signed_in, client):
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = make_user(Role.FINANCE_OFFICER, council, username="fran@council.test", password="a long password 12")
    client.post("/forgotten-password/", {"email": "fran@council.test"})
    assert "/set-password/" in mail.outbox[0].body
    page = signed_in(person).get("/notifications/").content.decode()
    assert "/set-password/" not in page and "works only for the person it was sent to" in page
