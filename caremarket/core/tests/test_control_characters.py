"""No text from outside reaches the database with a control character in it: each is refused
with what is wrong and where, on SQLite and PostgreSQL alike (issue 13: a NUL gave PostgreSQL
server errors on writes and on three public searches)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caremarket.accounts.models import ApiToken
from caremarket.organisations.models import Organisation


@pytest.fixture
def provider_api(provider_admin):
    _, key = ApiToken.issue(provider_admin, "tests")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("path", ["/ratings/?name=a%00b", "/ratings.csv?name=a%00b", "/ratings.json?name=a%00b",
                                  "/ratings/?name%00=x"])
def test_a_public_search_with_a_null_character_is_a_clear_400(db, client, path):
    answer = client.get(path)
    assert answer.status_code == 400
    assert "contains a null character (U+0000), which is not allowed" in answer.content.decode()


def test_an_address_with_a_null_character_is_a_clear_400(commissioner, signed_in):
    answer = signed_in(commissioner).get("/audit/tendering.carerequirement%00/1/")
    assert answer.status_code == 400 and "The address contains a null character" in answer.content.decode()


def test_an_api_search_with_a_control_character_names_the_parameter(provider_api):
    answer = provider_api.get("/api/organisations?kind=provider%07")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "query.kind"


@pytest.mark.parametrize("field, value, message", [
    ("phone", "\u0007 not a phone \u202e", "phone contains a control character (U+0007)"),
    ("phone", "not a phone", "Enter a telephone number, like 0121 496 0000"),
    ("address", "1 High Street\x00", "contains a null character"),
    ("email", "office@acorn.example\x00", "email contains a null character (U+0000)"),
])
def test_organisation_contact_details_are_refused_by_field(provider_api, provider, field, value, message):
    answer = provider_api.patch(f"/api/organisations/{provider.pk}", {field: value}, content_type="application/json")
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == f"body.{field}" and message in error["message"]
    assert getattr(Organisation.objects.get(pk=provider.pk), field) != value


def test_a_phone_number_is_kept_the_way_people_dial_it(provider_api, provider):
    answer = provider_api.patch(f"/api/organisations/{provider.pk}", {"phone": "+441214960000"},
                                content_type="application/json")
    assert answer.status_code == 200 and answer.json()["phone"] == "0121 496 0000"


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "42"])
def test_a_patch_whose_body_is_not_an_object_is_refused(provider_api, provider, body):
    answer = provider_api.patch(f"/api/organisations/{provider.pk}", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"].startswith("The request body must be a JSON object")


def test_the_company_details_page_names_the_field_with_a_control_character(provider_admin, signed_in, council):
    page = signed_in(provider_admin).post("/enrolment/company/", {
        "name": "Acorn\u202eCare", "address": "1 High Street\nBirmingham", "postcode": "B13 9AB",
        "email": "office@acorn.example", "phone": "0121 496 0000"}).content.decode()
    assert "Registered name contains a character that reverses the direction of text (U+202E)" in page
    assert Organisation.objects.get(pk=provider_admin.organisation_id).name != "Acorn\u202eCare"
