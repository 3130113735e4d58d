"""In a real browser: an account manager opens a provider's record, logs a monitoring visit with
an action, and sees it on the timeline and on the next review's agenda. axe on every page."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.management import reviews
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import care_home  # noqa: F401 (fixture)
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.web.tests.test_journeys import PASSWORD, sign_in
from caremarket.organisations.models import AccountManagement

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def november():
    clock.set_time(dt.datetime(2026, 11, 30, 10, tzinfo=clock.LONDON))
    yield
    clock.set_time(None)


def test_an_account_manager_logs_a_visit_and_finds_its_action_on_the_timeline_and_the_agenda(
        page, november, citizen, care_home, broker, make_user, council):  # noqa: F811
    make_package(citizen, care_home, broker, weekly_price_pence=95_000, reference="CR-000401")
    manager = make_user(Role.ACCOUNT_MANAGER, council, password=PASSWORD)
    AccountManagement.objects.create(organisation=care_home, manager=manager)
    sign_in(page, manager.username)
    page.goto(f"/organisations/{care_home.pk}/")
    page.get_by_role("link", name="Provider record").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Log a meeting, call or visit").click()
    page.get_by_label("Monitoring visit").check()
    fill_date(page, "Date", "27", "11", "2026")
    page.get_by_label("Summary").fill("Medication audit")
    page.get_by_label("Action agreed (optional)").fill("Send the MAR chart audit")
    page.get_by_label("Who will do it").select_option(label=manager.name_role_and_team)
    fill_date(page, "Action due by", "11", "12", "2026")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Log it").click()
    timeline = page.locator(".moj-timeline").inner_text()
    assert "Monitoring visit: Medication audit" in timeline
    assert "Send the MAR chart audit" in page.locator("#actions ~ ul").inner_text()
    assert accessibility_violations(page) == []
    review = reviews.schedule("scheduler")[0]
    page.goto(f"/providers/{care_home.pk}/reviews/{review.pk}/")
    assert "Send the MAR chart audit" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.goto("/")
    assert "1 contract review is to hold" in page.locator("main").inner_text()
    page.get_by_role("link", name="See the reviews").click()
    assert accessibility_violations(page) == []
