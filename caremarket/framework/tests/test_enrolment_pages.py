import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.cqc.models import RegisteredLocation
from caremarket.framework.models import Application, ComplianceDocument, Section, SectionApproval
from caremarket.framework.tests.evidence import pdf_bytes, png_bytes
from caremarket.organisations.models import CareLocation

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def admin_client(provider_admin, signed_in, council):  # the council leads the framework applied to
    return signed_in(provider_admin)


def test_the_task_list_shows_what_is_left_and_reading_it_stores_nothing(admin_client, provider):
    from caremarket.audit.models import AuditEvent

    for path in ("/enrolment/", "/enrolment/sections/", "/enrolment/declarations/", "/enrolment/bank-details/",
                 "/enrolment/documents/", "/enrolment/company/", "/enrolment/locations/"):
        assert admin_client.get(path).status_code == 200, path
    page = admin_client.get("/enrolment/").content.decode()
    assert "Join the framework" in page and page.count("Incomplete") == 5  # its CQC location is known
    assert not Application.objects.exists() and not AuditEvent.objects.exists()
    admin_client.post("/enrolment/bank-details/", {"bank_account_name": "Acorn", "bank_sort_code": "12-34-56",
                                                    "bank_account_number": "12345678"})
    assert Application.objects.get(organisation=provider).status == "draft"  # started by the first answer
    assert AuditEvent.objects.filter(action="application.started").count() == 1


def test_a_location_is_added_from_the_cqc_register_with_its_rating(admin_client, provider):
    RegisteredLocation.objects.create(location_id="1-200000009", provider_id="1-100000001", name="Acorn North",
                                      postcode="B23 6SD", rating="Good", rating_published_on=dt.date(2025, 3, 1))
    response = admin_client.post("/enrolment/locations/", {"cqc_location_id": "1-200000009"})
    assert response.status_code == 302
    location = CareLocation.objects.get(cqc_location_id="1-200000009")
    assert (location.organisation, location.area.name, location.cqc_rating) == (provider, "North", "Good")
    assert location.inspections.get().outcome == "Good"


def test_a_location_that_is_not_the_providers_is_refused(admin_client):
    RegisteredLocation.objects.create(location_id="1-900000009", provider_id="1-999999999", name="Someone else's")
    page = admin_client.post("/enrolment/locations/", {"cqc_location_id": "1-900000009"}).content.decode()
    assert "The CQC register has no location 1-900000009 for your CQC provider ID (1-100000001)" in page
    page = admin_client.post("/enrolment/locations/", {"cqc_location_id": "LOC9"}).content.decode()
    assert "Enter a CQC location ID like 1-125856395" in page
    assert not CareLocation.objects.filter(name="Someone else's").exists()


def test_a_closed_section_is_refused_beside_the_field(admin_client, provider):
    north = Section.objects.get(service_type__code="home-support", area__code="north")
    page = admin_client.post("/enrolment/sections/", {"sections": [north.pk]}).content.decode()
    assert "has been closed to new providers since 30 June 2026" in page and "There is a problem" in page
    assert not Application.objects.get(organisation=provider).sections.exists()


def test_declarations_need_details_when_something_is_declared(admin_client, provider):
    data = {"bankruptcy-convictions": "declare", "bankruptcy-convictions-details": "",
            "data-protection": "none", "modern-slavery": "none"}
    page = admin_client.post("/enrolment/declarations/", data).content.decode()
    assert "Give the details of what you declare" in page
    data["bankruptcy-convictions-details"] = "A director was bankrupt in 2015"
    assert admin_client.post("/enrolment/declarations/", data).status_code == 302
    assert Application.objects.get(organisation=provider).declarations == {
        "bankruptcy-convictions": "A director was bankrupt in 2015", "data-protection": "none",
        "modern-slavery": "none"}


@pytest.mark.parametrize("data, message", [
    ({"bank_sort_code": "12-34", "bank_account_number": "12345678"}, "Enter a valid sort code like 30-94-57"),
    ({"bank_sort_code": "12-34-56", "bank_account_number": "1234"}, "Enter a valid account number like 00733445"),
])
def test_bad_bank_details_are_explained_and_not_stored(admin_client, provider, data, message):
    page = admin_client.post("/enrolment/bank-details/", {"bank_account_name": "Acorn", **data}).content.decode()
    assert message in page
    assert Application.objects.get(organisation=provider).bank_account_name == ""


def test_a_document_that_is_not_a_pdf_or_image_is_refused(admin_client):
    response = admin_client.post("/enrolment/documents/", {
        "document_type": _type("insurance-el"), "expires_on": "31/03/2027",
        "file": SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 not a pdf")})
    assert "The file must be a PDF, PNG or JPEG" in response.content.decode()
    assert not ComplianceDocument.objects.exists()


def test_a_document_is_uploaded_and_only_its_organisation_and_the_council_can_fetch_it(
        admin_client, make_user, other_provider, council, signed_in):
    admin_client.post("/enrolment/documents/", {
        "document_type": _type("insurance-el"), "expires_on": "31/03/2027",
        "file": SimpleUploadedFile("el.pdf", PDF)})
    document = ComplianceDocument.objects.get()
    assert b"".join(admin_client.get(f"/documents/{document.pk}/").streaming_content) == PDF
    assert signed_in(make_user(Role.QUALITY_OFFICER, council)).get(f"/documents/{document.pk}/").status_code == 200
    assert signed_in(make_user(Role.PROVIDER_ADMIN, other_provider)).get(
        f"/documents/{document.pk}/").status_code == 404


PDF = pdf_bytes()


@pytest.mark.parametrize("name, content", [
    ("certificate.html", b"%PDF-1.7\n<html><script>alert(1)</script></html>"),  # a PDF in its first bytes only
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),  # a PNG header with nothing behind it
    ("certificate.pdf", PDF[: len(PDF) // 2]),  # cut short
])
def test_a_file_that_only_starts_like_a_pdf_or_image_is_refused(admin_client, name, content):
    page = admin_client.post("/enrolment/documents/", {
        "document_type": _type("insurance-el"), "expires_on": "31/03/2027",
        "file": SimpleUploadedFile(name, content)}).content.decode()
    assert "The file must be a PDF, PNG or JPEG that opens" in page
    assert not ComplianceDocument.objects.exists()


@pytest.mark.parametrize("name, content, extension", [("certificate.html", PDF, ".pdf"),
                                                      ("scan.pdf", png_bytes(), ".png")])
def test_evidence_is_stored_with_the_extension_of_the_kind_found(admin_client, name, content, extension):
    admin_client.post("/enrolment/documents/", {"document_type": _type("insurance-el"), "expires_on": "31/03/2027",
                                                "file": SimpleUploadedFile(name, content)})
    document = ComplianceDocument.objects.get()
    assert document.file.name.endswith(extension) and document.original_name == name


def _type(code):
    from caremarket.framework.models import DocumentType

    return DocumentType.objects.get(code=code).pk


def test_submitting_an_incomplete_application_says_what_is_missing(admin_client, provider):
    response = admin_client.post("/enrolment/submit/", follow=True)
    page = response.content.decode()
    assert "Choose the sections you are applying for" in page and "Give your bank details" in page
    assert Application.objects.get(organisation=provider).status == "draft"


def test_the_public_ratings_page_and_open_data(council, provider, client):
    from caremarket.quality.models import Inspection
    from caremarket.quality.services import rerate

    location = provider.locations.get()
    SectionApproval.objects.create(organisation=provider, approved_on=dt.date(2026, 4, 1),
                                   section=Section.objects.get(service_type__code="sensory-loss"))
    Inspection.objects.create(location=location, source="council", kind="full", outcome="Gold",
                              inspected_on=dt.date(2026, 9, 1))
    rerate(location, "test")
    page = client.get("/ratings/?service_type=sensory-loss").content.decode()
    assert "Acorn Home Care Office" in page and "Gold" in page
    assert "Acorn" not in client.get("/ratings/?service_type=nursing-care").content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get("/ratings.csv").content.decode())))
    # The date the rating took effect (the inspection), not the day it was worked out.
    assert rows[0]["council_rating"] == "Gold" and rows[0]["council_rating_date"] == "2026-09-01"
    data = json.loads(client.get("/ratings.json?name=acorn").content)
    assert data["services"][0]["cqc_location_id"] == "1-200000001"
