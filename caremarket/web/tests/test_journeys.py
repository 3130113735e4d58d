"""Signing in as each role, in a real browser, and checking every page we reach with axe-core."""

import pytest

from caremarket.accounts.roles import Role
from caremarket.organisations.models import ConsortiumMembership, Organisation
from caremarket.web.browser_testing import accessibility_violations, fill_date, touching_buttons
from caremarket.web.browser_testing import sign_in as browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

PASSWORD = "a long test password"

ORGANISATION_FOR = {
    Role.PROVIDER_ADMIN: "provider", Role.PROVIDER_STAFF: "provider",
    Role.CONSORTIUM_INTEGRATOR: "charity", Role.CONSORTIUM_MEMBER: "charity", Role.QUALITY_ASSESSOR: "assessor",
}


@pytest.fixture
def organisations(council, provider):
    charity = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="Oak Carers Centre")
    consortium = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Carers Consortium")
    ConsortiumMembership.objects.create(consortium=consortium, member=charity, is_lead=True, joined_on="2025-04-01")
    assessor = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Quality Assessors Ltd")
    return {"council": council, "provider": provider, "charity": charity, "assessor": assessor}


def sign_in(page, username, password=PASSWORD):
    browser_sign_in(page, username, password)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_signs_in_and_sees_its_dashboard(role, page, organisations, make_user):
    user = make_user(role, organisations[ORGANISATION_FOR.get(role, "council")], password=PASSWORD)
    sign_in(page, user.username)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"{role.label} dashboard"
    assert accessibility_violations(page) == []
    for link in page.locator(".govuk-service-navigation__list a").all()[1:]:
        href = link.get_attribute("href")
        response = page.goto(href)
        assert response.status == 200, href
        assert accessibility_violations(page) == [], href
        assert touching_buttons(page) == [], href
        page.go_back()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"


def test_a_wrong_password_shows_an_error_summary_that_passes_axe(page, organisations, make_user):
    user = make_user(Role.COMMISSIONER, organisations["council"], password=PASSWORD)
    sign_in(page, user.username, "not the password")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert accessibility_violations(page) == []


def test_a_commissioner_adds_a_person_and_sees_the_change_in_the_audit_trail(page, organisations, make_user):
    user = make_user(Role.COMMISSIONER, organisations["council"], password=PASSWORD)
    sign_in(page, user.username)
    page.goto("/people/add/")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the person's first name" in summary.inner_text()
    assert accessibility_violations(page) == []
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email address").fill("nina@council.example")
    page.get_by_label("Organisation").select_option(label="Test City Council")
    page.get_by_label("Role").select_option(label="Finance officer")
    page.get_by_role("button", name="Save").click()
    assert "Nina Newcomer has been added" in page.locator(".govuk-notification-banner").inner_text()
    page.goto("/audit/?action=person.")
    assert "Person added" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []


def test_the_public_home_page_passes_axe(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Adult social care market"
    assert accessibility_violations(page) == []


def test_the_open_data_page_fits_a_phone_and_passes_axe(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/open-data/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing pushes the page sideways
    assert accessibility_violations(page) == []


def test_on_a_phone_a_list_shows_first_and_its_filter_opens_from_a_button(page, organisations, make_user):
    user = make_user(Role.QUALITY_OFFICER, organisations["council"], password=PASSWORD)
    sign_in(page, user.username)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/incidents/")
    assert page.get_by_role("button", name="Show filter").is_visible()
    assert not page.get_by_role("button", name="Apply filters").is_visible()  # not lying over the list
    assert touching_buttons(page) == [] and accessibility_violations(page) == []
    page.get_by_role("button", name="Show filter").click()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    page.get_by_role("button", name="Close").click()
    assert not page.get_by_role("button", name="Apply filters").is_visible()


def test_the_organisation_list_filters_as_you_type(page, organisations, make_user, other_provider):
    user = make_user(Role.COMMISSIONER, organisations["council"], password=PASSWORD)
    sign_in(page, user.username)
    page.goto("/organisations/")
    results = page.locator("#results")
    assert "Birchwood Lodge" in results.inner_text()
    page.get_by_label("Name").fill("acorn")  # no button pressed: htmx asks the server as you type
    page.wait_for_url("**/organisations/?*q=acorn*")
    assert "1 organisation" in results.inner_text() and "Birchwood Lodge" not in results.inner_text()
    assert accessibility_violations(page) == []


def test_the_interactive_api_documentation_works_within_the_csp(page):
    page.goto("/api/docs")
    page.get_by_text("/api/organisations/{organisation_id}").first.wait_for()
    assert "Caremarket API" in page.locator("#swagger-ui").inner_text()


def test_a_quality_officer_records_an_inspection_on_the_service_page(page, organisations, make_user):
    user = make_user(Role.QUALITY_OFFICER, organisations["council"], password=PASSWORD)
    location = organisations["provider"].locations.get()
    sign_in(page, user.username)
    page.goto(f"/services/{location.pk}/quality/")
    page.get_by_text("Record an inspection").click()
    page.get_by_label("Who inspected").select_option(label="Care Quality Commission")
    page.get_by_label("Full inspection").check()
    page.get_by_label("Outcome", exact=True).fill("Outstanding")
    fill_date(page, "Date of the inspection", "1", "10", "2026")
    page.get_by_role("button", name="Record inspection").click()
    assert "Inspection recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "Gold" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []


def test_a_quality_officer_gives_an_inspection_to_an_assessor_who_records_it(page, organisations, make_user):
    import datetime as dt

    from caremarket.quality.models import FocussedInspectionRequest

    location = organisations["provider"].locations.get()
    FocussedInspectionRequest.objects.create(location=location, raised_on=dt.date.today() - dt.timedelta(days=3),
                                             reasons=["3 safeguarding alerts in 91 days"])
    officer = make_user(Role.QUALITY_OFFICER, organisations["council"], password=PASSWORD)
    sign_in(page, officer.username)
    page.get_by_role("link", name=location.name).first.click()  # from the dashboard's task
    assert accessibility_violations(page) == []
    page.get_by_label("Independent quality assessor").select_option(label="Quality Assessors Ltd")
    due = dt.date.today() + dt.timedelta(days=14)
    fill_date(page, "Inspect by", str(due.day), due.strftime("%B"), str(due.year))  # the month as a word
    page.get_by_role("button", name="Give the inspection").click()
    assert "given to Quality Assessors Ltd" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    assessor = make_user(Role.QUALITY_ASSESSOR, organisations["assessor"], password=PASSWORD)
    sign_in(page, assessor.username)
    assert "1 inspection is waiting for you to make" in page.locator("main").inner_text()
    page.get_by_role("link", name=location.name).click()
    today = dt.date.today()
    fill_date(page, "Date of the inspection", str(today.day), str(today.month), str(today.year))
    page.get_by_role("button", name="Record the inspection").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()  # no outcome, no scores
    assert accessibility_violations(page) == []
    page.get_by_label("Outcome", exact=True).fill("Silver")
    page.get_by_role("button", name="Record the inspection").click()
    assert "Inspection recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert f"Inspected\t{today:%-d %B %Y}" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
