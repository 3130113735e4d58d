import pytest
from django.conf import settings

from caremarket.accounts.roles import Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(make_user, council):
    return make_user(Role.COMMISSIONER, council, username="clare@council.example", password=PASSWORD)


def test_passwords_are_stored_with_argon2(person):
    assert person.password.startswith("argon2")


def test_signing_in_and_out(person, client):
    response = client.post("/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
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
