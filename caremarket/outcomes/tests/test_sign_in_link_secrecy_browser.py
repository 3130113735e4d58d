"""In a real browser, the attack found from outside, which must fail: a provider administrator
gives a staff account it controls a carer's email address, the carer's Time for Me sign-in link
is asked for, and the administrator looks for it under that account's "Your emails"."""

import re

import pytest
from django.core import mail

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.web.browser_testing import accessibility_violations
from caremarket.web.tests.test_journeys import PASSWORD, sign_in

from .test_carer_journey import TODAY, at, market  # noqa: F401 (market is a fixture)
from .test_vouchers import ask, carer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db", "tasks_at_once")]
CARER = "priya.carer@example.test"


def test_an_administrator_cannot_read_a_carers_sign_in_link_by_taking_the_carers_address(
        page, browser, market, provider, make_user, settings):  # noqa: F811
    settings.EMAIL_BACKEND = "caremarket.accounts.mail.SendAndKeepBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = make_user(Role.PROVIDER_ADMIN, provider, username="boss@provider.test", password=PASSWORD)
    staff = make_user(Role.PROVIDER_STAFF, provider, username="sidekick@provider.test", password=PASSWORD)
    with clock.frozen(at(TODAY)):
        ask(market, carer(market, email=CARER))

    sign_in(page, admin.username)
    page.goto(f"/people/{staff.pk}/")
    page.get_by_label("Email address").fill(CARER)
    page.get_by_label("Why are you making this change?").fill("New address")
    page.get_by_role("button", name="Save").click()
    assert "used once they follow the link sent to it" in page.locator("main").inner_text()
    page.goto(f"/people/{staff.pk}/")
    assert f"A link has been sent to {CARER}" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []

    page.goto("/time-for-me/")
    page.get_by_label("Email address").fill(CARER)
    page.get_by_role("button", name="Email me a link").click()
    link = re.search(r"https?://\S+(/time-for-me/sign-in/\S+/)", mail.outbox[-1].body).group(1)

    page.context.clear_cookies()
    sign_in(page, staff.username)
    page.get_by_role("link", name="Your emails").click()
    shown = page.locator("main").inner_text()
    assert link not in shown and "Time for Me" not in shown
    assert "Confirm your new email address" not in shown  # it went to the carer's inbox, not to the account
    assert accessibility_violations(page) == []
    # Signing in as the carer's address fails too: the account still has its own.
    page.context.clear_cookies()
    sign_in(page, CARER)
    assert "Enter a correct email address or username and password" in page.locator("main").inner_text()
