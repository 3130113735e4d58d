"""A signed-in person changes their own password; a wrong current password is said plainly."""

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.conftest import verify_second_factor

OLD, NEW = "an old test password", "a brand new test password"


def test_a_person_changes_their_password_and_it_is_audited(make_user, council, client):
    person = make_user(Role.FINANCE_OFFICER, council, password=OLD)
    client.force_login(person)
    verify_second_factor(client, person)
    wrong = client.post("/change-password/", {"old_password": "not it", "new_password1": NEW,
                                              "new_password2": NEW}).content.decode()
    assert "Your current password is not right" in wrong
    client.post("/change-password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEvent.objects.filter(action="person.password_changed").exists()


def test_the_footer_pages_are_open_to_everyone(client):
    for address, heading in (("/accessibility/", "Accessibility statement"), ("/privacy/", "How we use personal"),
                             ("/cookies/", "Cookies")):
        assert heading in client.get(address).content.decode()
