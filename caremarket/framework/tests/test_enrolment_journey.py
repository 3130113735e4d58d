"""In a real browser: a care home enrols, is assessed, is approved by a commissioner and
appears on the public ratings page with the right rating."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.cqc.models import RegisteredLocation
from caremarket.framework.models import ComplianceDocument, DocumentType
from caremarket.framework.tests.evidence import pdf_bytes
from caremarket.organisations.models import Organisation
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.web.browser_testing import sign_in as browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]
PASSWORD = "a long test password"


def sign_in(page, username):
    browser_sign_in(page, username, PASSWORD)


def test_a_care_home_enrols_is_approved_and_is_published_with_its_rating(page, make_user, council, tmp_path):
    home = Organisation.objects.create(kind="provider", name="Rowan Court Care Ltd", cqc_provider_id="1-700000001")
    RegisteredLocation.objects.create(location_id="1-800000001", provider_id="1-700000001", name="Rowan Court",
                                      postcode="B13 9AB", is_care_home=True, beds=40, rating="Good",
                                      rating_published_on=dt.date(2025, 9, 1),
                                      service_types="Care home service without nursing")
    # Evidence uploaded on an earlier visit; one more is uploaded below.
    for document_type in DocumentType.objects.exclude(code="insurance-el"):
        if "bed_based" in document_type.settings:
            ComplianceDocument.objects.create(organisation=home, document_type=document_type,
                                              expires_on=dt.date(2027, 12, 31) if document_type.has_expiry else None)
    admin = make_user(Role.PROVIDER_ADMIN, home, username="admin@rowan.example", password=PASSWORD)
    commissioner = make_user(Role.COMMISSIONER, council, username="clare@council.example", password=PASSWORD)

    sign_in(page, admin.username)
    page.get_by_role("link", name="Join the framework").first.click()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Company details").click()
    page.get_by_label("Address", exact=True).fill("1 Rowan Road\nBirmingham")
    page.get_by_label("Postcode").fill("b13 9ab")
    page.get_by_label("Email address").fill("office@rowan.example")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="CQC locations").click()
    page.get_by_label("CQC location ID").fill("1-800000001")
    page.get_by_role("button", name="Add location").click()
    assert "Rowan Court added" in page.locator(".govuk-notification-banner").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Sections").click()
    page.get_by_label("Residential care – City-wide – Dementia").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Declarations").click()
    for radio in page.get_by_label("Nothing to declare").all():
        radio.check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Documents").click()
    page.get_by_label("What is it?").select_option(label="Employer's liability insurance certificate")
    evidence = tmp_path / "insurance.pdf"
    evidence.write_bytes(pdf_bytes())
    page.get_by_label("File").set_input_files(str(evidence))
    fill_date(page, "Expiry date", "31", "3", "2027")
    page.get_by_role("button", name="Upload").click()
    assert "uploaded" in page.locator(".govuk-notification-banner").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Bank details").click()
    page.get_by_label("Name on the account").fill("Rowan Court Care Ltd")
    page.get_by_label("Sort code").fill("40-11-22")
    page.get_by_label("Account number").fill("12345678")
    page.get_by_role("button", name="Save and continue").click()
    assert "Incomplete" not in page.locator(".govuk-task-list").inner_text()

    page.get_by_role("button", name="Submit application").click()
    assert "Your application has been submitted" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, commissioner.username)
    page.get_by_role("link", name="Applications").first.click()
    page.get_by_role("link", name="Rowan Court Care Ltd").click()
    criteria = page.locator("table").first.inner_text()
    assert "CQC rating Good of 01 September 2025, the most recent, is Silver or equivalent" in criteria
    assert "Needs a decision" in criteria  # the documents are not checked yet
    assert accessibility_violations(page) == []
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    assert "Give the reason for this decision" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Reason").fill("Documents checked at the site visit on 20 November")
    page.get_by_role("button", name="Record decision").click()
    assert "Decision recorded for Rowan Court Care Ltd" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/ratings/")
    page.get_by_label("Type of care").select_option(label="Residential care")
    card = page.locator(".govuk-summary-card", has_text="Rowan Court")
    card.wait_for()
    assert "Silver" in card.inner_text() and "Good, published 1 September 2025" in card.inner_text()
    assert accessibility_violations(page) == []
