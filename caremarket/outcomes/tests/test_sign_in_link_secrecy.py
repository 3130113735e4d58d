"""A carer's sign-in link reaches the carer's inbox and nowhere else: someone who manages
people cannot take the carer's address for an account they control and read the link under
"Your emails" (the attack found from outside, as a provider administrator and as an
integrator)."""

import re

import pytest
from django.core import mail

from caremarket.accounts.models import SentEmail, User
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.outcomes.models import CarerSignIn

from .conftest import at
from .test_vouchers import TODAY, ask, budget, carer  # noqa: F401 (budget is a fixture)

PASSWORD = "a long password nobody guesses"
CARER = "priya.carer@example.test"


@pytest.fixture(autouse=True)
def emails_kept(settings, tasks_at_once):
    """As in service: each email delivered and a copy kept for the notifications page."""
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _attack(client_for, manager, accomplice, on_commit):
    """The manager gives an account it controls the carer's address, asks for the carer's link
    and looks for it in that account's emails."""
    manager_client = client_for(manager)
    form = {"first_name": accomplice.first_name, "last_name": accomplice.last_name, "email": CARER,
            "job_title": "", "organisation": accomplice.organisation_id, "role": accomplice.role,
            "is_active": "on", "reason": "New address"}
    with on_commit(execute=True):
        assert manager_client.post(f"/people/{accomplice.pk}/", form).status_code == 302
    assert mail.outbox[-1].to == [CARER] and "Confirm your new email address" in mail.outbox[-1].subject
    accomplice.refresh_from_db()
    assert accomplice.email != CARER and accomplice.pending_email == CARER  # not the account's until confirmed
    manager_client.post("/time-for-me/", {"email": CARER})
    link_email = [m for m in mail.outbox if m.subject == "Your Time for Me sign-in link"][-1]
    token_path = re.search(r"http://testserver(/time-for-me/sign-in/\S+/)", link_email.body).group(1)
    page = client_for(accomplice).get("/notifications/").content.decode()
    assert token_path not in page and "Time for Me sign-in link" not in page
    assert token_path not in client_for(manager).get("/notifications/").content.decode()
    assert not SentEmail.objects.filter(body__contains=token_path).exists()  # nowhere to read it back
    return token_path


@pytest.mark.parametrize("manager_role", ["provider admin", "integrator"])
def test_a_carers_sign_in_link_cannot_be_read_by_whoever_gives_an_account_the_carers_address(
        manager_role, consortium, budget, provider, make_user, client,  # noqa: F811
        django_capture_on_commit_callbacks):
    if manager_role == "provider admin":
        manager = make_user(Role.PROVIDER_ADMIN, provider, username="boss@provider.test", password=PASSWORD)
        accomplice = make_user(Role.PROVIDER_STAFF, provider, username="sidekick@provider.test", password=PASSWORD)
    else:
        manager = consortium["integrator"]
        accomplice = make_user(Role.CONSORTIUM_MEMBER, consortium["lead"], username="helper@lead.test",
                               password=PASSWORD)
    someone = carer(consortium, email=CARER)
    ask(consortium, someone)

    def client_for(user):
        from django.test import Client
        from caremarket.conftest import verify_second_factor
        signed = Client()
        signed.force_login(user)
        verify_second_factor(signed, user)
        return signed

    with clock.frozen(at(TODAY)):
        token_path = _attack(client_for, manager, accomplice, django_capture_on_commit_callbacks)
        # The manager's own account is no way round it either.
        form = {"first_name": manager.first_name, "last_name": manager.last_name, "email": CARER, "job_title": "",
                "organisation": manager.organisation_id, "role": manager.role, "is_active": "on", "reason": "Mine"}
        with django_capture_on_commit_callbacks(execute=True):
            client_for(manager).post(f"/people/{manager.pk}/", form)
        manager.refresh_from_db()
        assert manager.email != CARER
    # The link itself still works for the carer, from the carer's inbox.
    assert CarerSignIn.objects.count() == 1
    with clock.frozen(at(TODAY)):
        assert client.get(token_path)["Location"] == "/time-for-me/activities/"


def test_a_changed_address_is_used_only_once_the_link_sent_to_it_is_followed(
        commissioner, council, make_user, signed_in, client, django_capture_on_commit_callbacks):
    person = make_user(Role.FINANCE_OFFICER, council, username="old@council.test", password=PASSWORD)
    form = {"first_name": "Fran", "last_name": "Finance", "email": "New@Council.test", "job_title": "",
            "organisation": council.pk, "role": Role.FINANCE_OFFICER, "is_active": "on", "reason": "Married"}
    with django_capture_on_commit_callbacks(execute=True):
        page = signed_in(commissioner).post(f"/people/{person.pk}/", form, follow=True).content.decode()
    assert "used once they follow the link" in page
    person.refresh_from_db()
    assert (person.email, person.username, person.pending_email) == ("old@council.test", "old@council.test",
                                                                     "new@council.test")
    sent = mail.outbox[-1]
    assert sent.to == ["new@council.test"]
    kept = SentEmail.objects.get(to_address="new@council.test")
    assert kept.body_withheld and kept.body == "" and kept.recipient is None  # no one holds the address yet
    link = re.search(r"http://testserver(/confirm-email/\S+/)", sent.body).group(1)
    assert client.post("/sign-in/", {"username": "new@council.test", "password": PASSWORD}).status_code == 200
    assert "Use it to sign in" in client.get(link, follow=True).content.decode()
    person.refresh_from_db()
    assert (person.email, person.username, person.pending_email) == ("new@council.test", "new@council.test", "")
    assert client.get(link).status_code == 400  # used
    assert client.post("/sign-in/", {"username": "new@council.test", "password": PASSWORD}).status_code == 302


def test_an_address_waiting_for_one_person_cannot_be_given_to_another(
        commissioner, council, make_user, signed_in, client, django_capture_on_commit_callbacks):
    first = make_user(Role.FINANCE_OFFICER, council, username="first@council.test")
    second = make_user(Role.QUALITY_OFFICER, council, username="second@council.test")
    for person in (first, second):
        form = {"first_name": "A", "last_name": "B", "email": "shared@council.test", "job_title": "",
                "organisation": council.pk, "role": person.role, "is_active": "on", "reason": "Move"}
        with django_capture_on_commit_callbacks(execute=True):
            signed_in(commissioner).post(f"/people/{person.pk}/", form)
    # The second change is refused: the address is waiting for the first person.
    second.refresh_from_db()
    assert second.pending_email == "" and User.objects.get(pk=first.pk).pending_email == "shared@council.test"
    link = re.search(r"(/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    User.objects.filter(pk=first.pk).update(pending_email="")  # the change was taken back
    assert client.get(link).status_code == 400
