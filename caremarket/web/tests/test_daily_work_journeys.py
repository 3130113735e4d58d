"""In a real browser, as the people who use them all day: a dashboard task leads to its
filtered list; a long list is filtered, paged and downloaded; axe checks every page."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import care_home  # noqa: F401 (fixture)
from caremarket.tendering.models import CareRequirement, Tender
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.organisations.models import AccountManagement

from .test_journeys import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def seventy_packages(citizen, care_home, broker):  # noqa: F811
    made = [make_package(citizen, care_home, broker, weekly_price_pence=80000 + n, reference=f"CR-{n:06d}")
            for n in range(1, 71)]
    CareRequirement.objects.filter(pk=made[0].requirement_id).update(status="ready_to_award")
    Tender.objects.create(requirement=made[0].requirement, opens_at=clock.now() - dt.timedelta(days=2),
                          closes_at=clock.now() - dt.timedelta(hours=3), status="closed", rule="strategy_2018")
    made[1].status = "ended"
    made[1].save()
    return made


def test_finance_filters_pages_and_downloads_the_care_packages(page, seventy_packages, make_user, council):
    finance = make_user(Role.FINANCE_OFFICER, council, password=PASSWORD)
    sign_in(page, finance.username)
    page.get_by_role("link", name="Care packages").first.click()
    assert "Showing 1 to 50 of 70 care packages" in page.locator(".cm-results").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Apply filters").click()
    assert "of 69 care packages" in page.locator(".cm-results").inner_text()
    assert "Status: Active" in page.locator(".moj-filter__selected").inner_text()
    page.get_by_role("link", name="Page 2").click()
    assert "Showing 51 to 69 of 69" in page.locator(".cm-results").inner_text()
    assert accessibility_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these care packages as a spreadsheet").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert len(lines) == 1 + 69 and lines[0].startswith("Package,Requirement,Provider")


def test_a_broker_goes_from_the_dashboard_task_to_the_tenders_to_award(page, seventy_packages, broker):  # noqa: F811
    broker.set_password(PASSWORD)
    broker.save()
    sign_in(page, broker.username)
    assert "1 tender has closed and can be awarded" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Award them").click()
    assert "of 1 requirements" in page.locator(".cm-results").inner_text()
    assert "CR-000001" in page.locator("table").inner_text()
    assert accessibility_violations(page) == []


def test_a_social_worker_raises_care_from_the_dashboard_through_the_citizens_assessment(
        page, citizen, make_user, council):  # noqa: F811
    from caremarket.citizens.models import Assessment
    from caremarket.geography.models import Ward
    from caremarket.tendering.tests.conftest import assessment_for

    worker = make_user(Role.SOCIAL_WORKER, council, password=PASSWORD)
    citizen.social_worker, citizen.ward = worker, Ward.objects.filter(area__code="north").first()
    citizen.save()
    Assessment.objects.filter(pk=assessment_for(citizen, "home-support").pk).update(status="awaiting_service")
    sign_in(page, worker.username)
    assert "1 of your citizens is waiting for a service" in page.locator("main").inner_text()
    page.get_by_role("link", name="See them").click()
    assert "of 1 citizens" in page.locator(".cm-results").inner_text().replace("citizen ", "citizens ")
    page.get_by_role("link", name="Quigglesworth").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Raise a care requirement from this assessment").click()
    # The service, area, ward, needs and hours come from the assessment and the citizen's address.
    assert page.get_by_label("Service", exact=True).input_value() != ""
    assert page.get_by_label("Area", exact=True).input_value() != ""
    assert page.get_by_label("Hours of care a week").input_value() == "10.50"
    assert accessibility_violations(page) == []
    fill_date(page, "Date care is needed from", "7", "Dec", "2026")
    page.get_by_role("button", name="Raise and route").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("CR-")
    assert CareRequirement.objects.get(citizen=citizen).start_on == dt.date(2026, 12, 7)
    assert accessibility_violations(page) == []


def test_an_account_manager_goes_from_the_dashboard_to_a_service_that_needs_attention(
        page, make_user, council, provider):
    from caremarket.quality.models import ImprovementPlan

    manager = make_user(Role.ACCOUNT_MANAGER, council, password=PASSWORD)
    AccountManagement.objects.create(organisation=provider, manager=manager)
    service = provider.locations.get()
    ImprovementPlan.objects.create(location=service, required_for=3, opened_on=dt.date(2026, 6, 1),
                                   due_on=dt.date.today() + dt.timedelta(days=20))
    sign_in(page, manager.username)
    assert "1 service you manage has an open improvement plan" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="See your providers").click()
    assert provider.name in page.locator("#results").inner_text()
    assert "Only those I manage" in page.locator(".moj-filter__selected").inner_text()
    assert accessibility_violations(page) == []
    page.go_back()
    page.get_by_role("link", name=f"{service.name}, {provider.name}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Quality of {service.name}"
    assert accessibility_violations(page) == []
