"""Two-factor sign-in: a person who can see personal data or move money, signing in with a
password, reaches nothing until they give a code from their app or a single-use recovery code;
they set the app up at their first sign-in; an administrator can reset it."""

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from caremarket.accounts.roles import Role
from caremarket.accounts.sign_on_rules import needs_second_factor
from caremarket.audit.models import AuditEvent
from caremarket.conftest import authenticator_app, code_from

PASSWORD = "a long enough passphrase"


def _password_only(person):
    client = Client()
    assert client.post("/sign-in/", {"username": person.username, "password": PASSWORD}).status_code == 302
    return client


def _pending_code(person) -> str:
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_everyone_who_sees_personal_data_or_money_needs_a_second_factor_unless_the_council_signed_them_in(role):
    assert needs_second_factor(role, is_superuser=False, signed_in_by_council=False) == (
        role != Role.QUALITY_ASSESSOR)
    assert not needs_second_factor(role, is_superuser=False, signed_in_by_council=True)
    assert needs_second_factor("", is_superuser=True, signed_in_by_council=False)


def test_a_provider_administrator_sets_up_the_app_at_first_sign_in_and_keeps_recovery_codes(make_user, provider):
    admin = make_user(Role.PROVIDER_ADMIN, provider, password=PASSWORD)
    client = _password_only(admin)
    assert client.get("/payments/")["Location"] == "/two-factor/set-up/?next=/payments/"
    assert client.get("/api/me").status_code == 401  # the session is not enough for the API either
    page = client.get("/two-factor/set-up/?next=/payments/").content.decode()
    assert "<svg" in page and re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", page)  # the QR code and the key
    wrong = client.post("/two-factor/set-up/", {"code": "000000", "next": "/payments/"}).content.decode()
    assert "The code is not right" in wrong and not TOTPDevice.objects.filter(confirmed=True).exists()
    time.sleep(1.1)  # after a wrong code the next is taken only after a pause (django-otp's throttle)
    done = client.post("/two-factor/set-up/", {"code": _pending_code(admin), "next": "/payments/"}).content.decode()
    codes = re.findall(r'<code class="cm-hash">([a-z0-9]+)</code>', done)
    assert len(codes) == 10 and "They will not be shown again" in done
    assert client.get("/payments/").status_code == 200 and client.get("/api/me").status_code == 200
    assert AuditEvent.objects.filter(action="person.two_factor_set_up", object_id=str(admin.pk)).exists()

    # Another day, phone lost: a recovery code, once.
    again = _password_only(admin)
    assert again.get("/")["Location"] == "/two-factor/?next=/"
    assert again.post("/two-factor/", {"code": codes[0], "next": "/"})["Location"] == "/"
    assert again.get("/notifications/").status_code == 200
    used_twice = _password_only(admin)
    refused = used_twice.post("/two-factor/", {"code": codes[0], "next": "/"}).content.decode()
    assert "The code is not right, or has been used" in refused
    assert used_twice.get("/notifications/")["Location"].startswith("/two-factor/")


def test_a_code_from_the_app_lets_a_person_in_and_cannot_be_used_twice(make_user, council):
    officer = make_user(Role.FINANCE_OFFICER, council, password=PASSWORD)
    app = authenticator_app(officer)
    code = code_from(app)
    first = _password_only(officer)
    assert first.post("/two-factor/", {"code": code, "next": "/payments/"})["Location"] == "/payments/"
    second = _password_only(officer)
    assert "has been used" in second.post("/two-factor/", {"code": code}).content.decode()


def test_an_independent_assessor_signs_in_with_a_password_alone(make_user, db):
    from caremarket.organisations.models import Organisation

    assessors = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Quality Assessors Ltd")
    client = _password_only(make_user(Role.QUALITY_ASSESSOR, assessors, password=PASSWORD))
    assert client.get("/").status_code == 200


def test_with_two_factor_off_nobody_is_asked(settings, make_user, provider):
    settings.TWO_FACTOR = "off"
    client = _password_only(make_user(Role.PROVIDER_ADMIN, provider, password=PASSWORD))
    assert client.get("/").status_code == 200


def test_an_administrator_resets_a_lost_phone_and_the_person_is_signed_out_and_sets_up_again(
        make_user, provider, other_provider, signed_in):
    staff = make_user(Role.PROVIDER_STAFF, provider, password=PASSWORD)
    their_browser = signed_in(staff)
    admin = signed_in(make_user(Role.PROVIDER_ADMIN, provider))
    assert "Reset two-factor sign-in" in admin.get(f"/people/{staff.pk}/").content.decode()
    stranger = make_user(Role.PROVIDER_STAFF, other_provider)
    authenticator_app(stranger)
    assert admin.post(f"/people/{stranger.pk}/reset-two-factor/").status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert admin.post(f"/people/{staff.pk}/reset-two-factor/").status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert their_browser.get("/notifications/")["Location"].startswith("/sign-in/")  # signed out
    assert _password_only(staff).get("/")["Location"] == "/two-factor/set-up/?next=/"
    event = AuditEvent.objects.get(action="person.two_factor_reset")
    assert (event.object_id, event.reason) == (str(staff.pk), "Reset by an administrator")


def test_setting_up_the_app_again_signs_out_every_other_browser(make_user, provider, signed_in):
    admin = make_user(Role.PROVIDER_ADMIN, provider, password=PASSWORD)
    elsewhere = _password_only(admin)
    here = signed_in(admin)
    here.get("/two-factor/set-up/")
    here.post("/two-factor/set-up/", {"code": _pending_code(admin)})
    assert here.get("/notifications/").status_code == 200
    assert elsewhere.get("/notifications/")["Location"].startswith("/sign-in/")
    assert TOTPDevice.objects.filter(user=admin).count() == 1  # the new app replaced the old


def test_no_one_can_read_anothers_authenticator_key_or_recovery_codes_in_the_settings(commissioner, signed_in,
                                                                                       make_user, provider):
    authenticator_app(make_user(Role.PROVIDER_ADMIN, provider))
    client = signed_in(commissioner)
    index = client.get("/reference-data/settings/").content.decode()
    assert "TOTP" not in index and "Static" not in index
    for address in ("/reference-data/settings/otp_totp/totpdevice/", "/reference-data/settings/otp_static/staticdevice/"):
        assert client.get(address).status_code == 404
