"""Where a person is signed in: each browser listed for them (never its session key), one or
every other signed out at once, and the others ended when the password changes or is reset."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from caremarket.accounts.models import SignedInSession
from caremarket.accounts.roles import Role
from caremarket.accounts.sessions import browser_of
from caremarket.audit.models import AuditEvent
from caremarket.conftest import verify_second_factor

PASSWORD = "a long enough passphrase"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")


@pytest.fixture
def person(make_user, provider):
    return make_user(Role.PROVIDER_ADMIN, provider, password=PASSWORD)


def _browser(person, user_agent, address):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    verify_second_factor(client, person)
    return client


def _signed_in(client) -> bool:
    return client.get("/notifications/").status_code == 200


@pytest.mark.parametrize("user_agent, seen_as", [
    (FIREFOX, "Firefox on Windows"), (CHROME, "Chrome on Mac"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 "
     "Safari/604.1", "Safari on iPhone"),
    ("curl/8.5.0", "Unknown browser"), ("", "Unknown browser")])
def test_a_browser_is_named_as_a_person_knows_it(user_agent, seen_as):
    assert browser_of(user_agent) == seen_as


def test_a_person_sees_each_browser_and_signs_one_out(person):
    office, home = _browser(person, FIREFOX, "192.0.2.10"), _browser(person, CHROME, "198.51.100.4")
    page = office.get("/where-you-are-signed-in/").content.decode()
    assert "Firefox on Windows" in page and "Chrome on Mac" in page and "198.51.100.4" in page
    assert "This browser" in page
    for key in SignedInSession.objects.values_list("session_id", flat=True):
        assert key not in page  # a session's key is a secret
    other = SignedInSession.objects.get(user_agent=CHROME)
    assert office.post("/where-you-are-signed-in/", {"session": other.pk}).status_code == 302
    assert not _signed_in(home) and _signed_in(office)
    assert AuditEvent.objects.filter(action="person.signed_out_elsewhere").get().after == {"sessions_ended": 1}


def test_sign_out_everywhere_else_keeps_only_this_browser(person):
    browsers = [_browser(person, FIREFOX, f"192.0.2.{n}") for n in range(3)]
    browsers[0].post("/where-you-are-signed-in/", {"session": "others"})
    assert [_signed_in(b) for b in browsers] == [True, False, False]
    assert SignedInSession.objects.count() == 1


def test_a_person_cannot_sign_out_someone_elses_browser(person, make_user, provider):
    theirs = _browser(make_user(Role.PROVIDER_STAFF, provider, password=PASSWORD), CHROME, "192.0.2.9")
    mine = _browser(person, FIREFOX, "192.0.2.10")
    their_session = SignedInSession.objects.get(user_agent=CHROME)
    for value in (their_session.pk, "nonsense", "", "²", "9" * 5000):
        assert mine.post("/where-you-are-signed-in/", {"session": value}).status_code == 404
    assert _signed_in(theirs)


def test_changing_the_password_signs_out_every_other_browser(person):
    here, elsewhere = _browser(person, FIREFOX, "192.0.2.10"), _browser(person, CHROME, "192.0.2.11")
    new = "another long passphrase"
    response = here.post("/change-password/", {"old_password": PASSWORD, "new_password1": new,
                                               "new_password2": new}, follow=True)
    assert "signed out everywhere else" in response.content.decode()
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert SignedInSession.objects.count() == 1


def test_setting_a_new_password_from_the_emailed_link_signs_out_everywhere(person):
    elsewhere = _browser(person, CHROME, "192.0.2.11")
    person.refresh_from_db()  # signing in changed it, and the link's token with it
    link = f"/set-password/{urlsafe_base64_encode(force_bytes(person.pk))}/{default_token_generator.make_token(person)}/"
    reader = Client()
    form = reader.get(link)["Location"]  # Django moves the token into the session
    new = "another long passphrase"
    assert reader.post(form, {"new_password1": new, "new_password2": new}).status_code == 302
    assert not _signed_in(elsewhere)


def test_a_closed_account_is_signed_out_everywhere_and_its_tokens_stop_at_once(person, make_user, provider):
    from caremarket.accounts.models import ApiToken

    staff = make_user(Role.PROVIDER_STAFF, provider, password=PASSWORD)
    their_browser = _browser(staff, CHROME, "192.0.2.20")
    _, key = ApiToken.issue(staff, "Rota", scopes=["people:read"])
    token_client = Client(headers={"Authorization": f"Bearer {key}"})
    assert token_client.get("/api/me").status_code == 200
    admin = _browser(person, FIREFOX, "192.0.2.10")
    response = admin.post(f"/people/{staff.pk}/", {
        "first_name": staff.first_name, "last_name": staff.last_name, "email": staff.email, "role": staff.role,
        "organisation": provider.pk, "reason": "Left the company"})  # "Can sign in" unticked
    assert response.status_code == 302
    assert not _signed_in(their_browser)
    assert token_client.get("/api/me").status_code == 401
    assert not SignedInSession.objects.filter(user=staff).exists()
