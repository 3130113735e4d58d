"""The API answers every bad request with its one JSON error body, never a server error or
an HTML page (issue 13: numbers of 2^63 and more, unknown paths, wrong methods, page sizes)."""

import pytest
from django.test import Client

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role

HUGE = "99999999999999999999"  # past 2^63


@pytest.fixture
def council_api(make_user, council):
    _, key = ApiToken.issue(make_user(Role.COMMISSIONER, council), "tests")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("path", [f"/api/tendering/opportunities/{HUGE}", f"/api/organisations/{HUGE}",
                                  f"/api/citizens/{HUGE}", "/api/no-such-thing", "/api/organisations/abc"])
def test_a_path_that_names_nothing_is_a_json_404(council_api, path):
    answer = council_api.get(path)
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json()["errors"][0]["field"] == ""


def test_a_huge_number_in_a_page_address_is_not_found(council_api, signed_in, provider_admin):
    assert signed_in(provider_admin).get(f"/opportunities/{HUGE}/").status_code == 404


@pytest.mark.parametrize("query", ["limit=100000", "limit=0", "offset=-1", f"offset={HUGE}", "limit=abc"])
def test_page_sizes_and_offsets_out_of_bounds_are_refused(council_api, query):
    answer = council_api.get(f"/api/citizens?{query}")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"].startswith("query.")


def test_no_list_answers_with_more_than_500_records(council_api):
    assert council_api.get("/api/citizens?limit=500").status_code == 200
    schema = council_api.get("/api/openapi.json").json()
    limit = next(p for p in schema["paths"]["/api/citizens"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500


def test_a_method_an_operation_does_not_take_is_a_json_405(council_api):
    answer = council_api.delete("/api/citizens")
    assert answer.status_code == 405 and answer.json()["errors"][0]["message"].startswith(
        "This operation does not take the DELETE method: use GET")


def test_permission_is_checked_before_the_body(make_user, provider, council):
    """A caller who may not take an action is told so (403), not what is wrong with what it sent."""
    _, key = ApiToken.issue(make_user(Role.PROVIDER_ADMIN, provider, username="admin@p.example"), "tests")
    provider_api = Client(headers={"Authorization": f"Bearer {key}"})
    answer = provider_api.post("/api/framework/services/1/inspections", {"source": 42},
                               content_type="application/json")
    assert answer.status_code == 403
    _, key = ApiToken.issue(make_user(Role.FINANCE_OFFICER, council, username="fin@c.example"), "tests")
    finance_api = Client(headers={"Authorization": f"Bearer {key}"})
    assert finance_api.put("/api/tendering/opportunities/1/offer", "[]", content_type="application/json"
                           ).status_code == 403


def test_every_operation_documents_the_errors_it_can_answer(council_api):
    schema = council_api.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "413", "422"} <= set(operation["responses"]), (method, path)
