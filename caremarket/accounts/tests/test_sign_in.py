import pytest
from django.conf import settings

from caremarket.accounts.roles import Role
from caremarket.conftest import authenticator_app, code_from

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(make_user, council):
    return make_user(Role.COMMISSIONER, council, username="clare@council.example", password=PASSWORD)


def test_passwords_are_stored_with_argon2(person):
    assert person.password.startswith("argon2")


def test_signing_in_and_out(person, client):
    app = authenticator_app(person)
    response = client.post("/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == "/two-factor/?next=/"  # the password alone opens nothing
    assert client.post("/two-factor/", {"code": code_from(app), "next": "/"})["Location"] == "/"
    assert "Commissioner dashboard" in client.get("/").content.decode()
    response = client.post("/sign-out/")
    assert response["Location"] == "/signed-out/"
    assert client.get("/people/").status_code == 302


def test_a_wrong_password_is_explained(person, client):
    page = client.post("/sign-in/", {"username": person.username, "password": "wrong"}).content.decode()
    assert "Enter a correct email address or username and password" in page
    assert "govuk-error-summary" in page


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(person, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": person.username, "password": "wrong"})
    response = client.post("/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_pages_carry_security_headers_and_a_content_security_policy(client, db):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "'nonce-" in policy
    assert "csrftoken" in response.cookies and response.cookies["csrftoken"]["httponly"]


def test_forms_need_a_csrf_token(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post("/sign-in/", {"username": person.username, "password": PASSWORD}).status_code == 403


def test_sessions_expire_after_thirty_idle_minutes_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_five_failures_from_five_addresses_lock_the_account_from_a_sixth(person, client):
    """A guesser spread over addresses gets five tries in all, not five from each."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": person.username, "password": f"guess {n}"}, REMOTE_ADDR=f"203.0.113.{n}")
    response = client.post("/sign-in/", {"username": person.username, "password": PASSWORD},
                           REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429 and "Your account is locked" in response.content.decode()


def test_failures_at_one_address_never_lock_everyone_else_who_signs_in_from_it(make_user, council, client):
    """Behind a proxy, or a council's one outgoing address, everyone shares an address."""
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        client.post("/sign-in/", {"username": f"someone{n}@council.example", "password": "guess"},
                    REMOTE_ADDR="203.0.113.9")
    make_user(Role.COMMISSIONER, council, username="another@council.example", password=PASSWORD)
    response = client.post("/sign-in/", {"username": "another@council.example", "password": PASSWORD},
                           REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_an_administrator_unlocks_a_locked_person(person, make_user, council, client, signed_in):
    """Every lock on the account goes, whichever addresses the failures came from."""
    from caremarket.audit.models import AuditEvent

    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": person.username, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n % 2}")
    admin = signed_in(make_user(Role.COMMISSIONER, council, username="admin@council.example"))
    page = admin.get(f"/people/{person.pk}/").content.decode()
    assert "cannot sign in: there have been too many attempts" in page
    admin.post(f"/people/{person.pk}/unlock/")
    assert AuditEvent.objects.filter(action="person.sign_in_unlocked").count() == 1
    assert client.post("/sign-in/", {"username": person.username, "password": PASSWORD},
                       REMOTE_ADDR="203.0.113.0").status_code == 302


def test_a_locked_person_resets_their_password_by_email_and_signs_in_at_once(person, client, mailoutbox):
    import re

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": person.username, "password": "wrong"})
    locked = client.post("/sign-in/", {"username": person.username, "password": PASSWORD}).content.decode()
    assert 'href="/forgotten-password/">reset your password by email</a>' in locked
    client.post("/forgotten-password/", {"email": person.email})
    assert "Check your email" in client.get("/forgotten-password/sent/").content.decode()
    link = re.search(r"http://testserver(/set-password/\S+)", mailoutbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "a brand new long password",
                                             "new_password2": "a brand new long password"})
    response = client.post("/sign-in/", {"username": person.username, "password": "a brand new long password"})
    assert response.status_code == 302


def test_asking_for_a_reset_says_the_same_whether_or_not_the_address_has_an_account(db, client, mailoutbox):
    answer = client.post("/forgotten-password/", {"email": "nobody@nowhere.example"}, follow=True)
    assert "Check your email" in answer.content.decode() and mailoutbox == []
