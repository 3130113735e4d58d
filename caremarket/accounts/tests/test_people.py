import pytest
from django.core import mail

from caremarket.accounts.models import User
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent

NEW_PERSON = {
    "first_name": "Nina", "last_name": "Newcomer", "email": "Nina.Newcomer@council.example",
    "job_title": "Broker", "role": Role.BROKERAGE_OFFICER.value, "is_active": "on",
}


def test_a_commissioner_adds_a_person_who_is_emailed_a_link_to_set_a_password(
        commissioner, council, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(commissioner).post("/people/add/", {**NEW_PERSON, "organisation": council.pk})
    assert response.status_code == 302
    person = User.objects.get(username="nina.newcomer@council.example")
    assert person.role == Role.BROKERAGE_OFFICER and not person.has_usable_password()
    assert AuditEvent.objects.get().action == "person.added"
    assert len(mail.outbox) == 1 and "/set-password/" in mail.outbox[0].body


def test_the_link_lets_the_person_set_a_password_and_sign_in(commissioner, council, signed_in, client,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(commissioner).post("/people/add/", {**NEW_PERSON, "organisation": council.pk})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/set-password/" in line)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "a long new password 42",
                                                        "new_password2": "a long new password 42"})
    assert response.status_code == 302
    assert User.objects.get(username="nina.newcomer@council.example").check_password("a long new password 42")


@pytest.mark.parametrize("change, field, message", [
    ({"first_name": ""}, "first_name", "Enter the person&#x27;s first name"),
    ({"email": "not an email"}, "email", "Enter a valid email address"),
    ({"role": Role.PROVIDER_ADMIN.value}, "role", "cannot be a provider administrator"),
    ({"role": ""}, "role", "Choose the person&#x27;s role"),
])
def test_bad_input_is_explained_beside_the_field_and_nothing_is_stored(commissioner, council, signed_in, change,
                                                                       field, message):
    response = signed_in(commissioner).post("/people/add/", {**NEW_PERSON, "organisation": council.pk, **change})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and f'href="#id_{field}"' in page and message in page
    assert not User.objects.filter(last_name="Newcomer").exists()
    assert AuditEvent.objects.count() == 0


def test_an_email_address_already_used_is_refused(commissioner, council, signed_in):
    page = signed_in(commissioner).post(
        "/people/add/", {**NEW_PERSON, "email": commissioner.email, "organisation": council.pk}).content.decode()
    assert "Someone already uses this email address" in page


def test_a_provider_administrator_adds_staff_only_to_their_own_organisation(provider_admin, provider,
                                                                            other_provider, signed_in):
    client = signed_in(provider_admin)
    staff = {**NEW_PERSON, "role": Role.PROVIDER_STAFF.value}
    assert client.post("/people/add/", {**staff, "organisation": other_provider.pk}).status_code == 200
    assert client.post("/people/add/", {**staff, "role": Role.COMMISSIONER.value,
                                        "organisation": provider.pk}).status_code == 200
    assert not User.objects.filter(last_name="Newcomer").exists()
    assert client.post("/people/add/", {**staff, "organisation": provider.pk}).status_code == 302
    assert User.objects.get(last_name="Newcomer").organisation == provider


def test_provider_staff_and_account_managers_cannot_manage_people(make_user, provider, council, signed_in):
    for user in (make_user(Role.PROVIDER_STAFF, provider), make_user(Role.ACCOUNT_MANAGER, council)):
        assert signed_in(user).get("/people/add/").status_code == 403


def test_closing_an_account_is_audited_with_before_and_after(commissioner, council, make_user, signed_in):
    person = make_user(Role.FINANCE_OFFICER, council)
    data = {"first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "role": person.role, "organisation": council.pk}  # is_active left out: unticked
    client = signed_in(commissioner)
    assert "Say why you are making this change" in client.post(f"/people/{person.pk}/", data).content.decode()
    person.refresh_from_db()
    assert person.is_active
    data["reason"] = "Left the council"
    assert client.post(f"/people/{person.pk}/", data).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    event = AuditEvent.objects.get()
    assert (event.action, event.before["is_active"], event.after["is_active"]) == ("person.changed", True, False)
    assert event.reason == "Left the council"
