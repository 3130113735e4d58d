"""The API keeps the promises of its OpenAPI document, whoever calls it: schemathesis generates
requests for every operation from /api/openapi.json (bounded, so that it runs in a minute or
two on each database) and fails on any server error, any status the document does not list
for the operation, and any answer whose body does not match the document."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.api import api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The document the API serves at /api/openapi.json, and the application that answers.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()
# The same document, asked only what it says is wrong (a missing field, a string for a number,
# a value past its bound): each must be refused with a 4xx, never accepted or answered with a 500.
refusals = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
refusals.app = schema.app
refusals.config.generation.update(modes=[GenerationMode.NEGATIVE])


@pytest.fixture(autouse=True)
def one_connection_for_the_test():
    """Called straight through WSGI, Django would close the database connection after each
    request, and with it the test's transaction; its own test client holds it open like this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token(user) -> dict:
    _, key = ApiToken.issue(user, "schemathesis")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def provider_headers(make_user, provider):
    return _token(make_user(Role.PROVIDER_ADMIN, provider, username="admin@fuzz.example"))


@pytest.fixture
def council_headers(make_user, council):
    return _token(make_user(Role.COMMISSIONER, council, username="commissioner@fuzz.example"))


BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@schema.parametrize()
@BOUNDED
def test_as_a_provider(case, provider_headers):
    case.call_and_validate(headers=provider_headers, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_as_the_council(case, council_headers):
    case.call_and_validate(headers=council_headers, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_as_nobody_signed_in(case, db):
    case.call_and_validate(checks=CHECKS)


@refusals.parametrize()
@BOUNDED
def test_what_the_document_says_is_wrong_is_refused(case, council_headers):
    case.call_and_validate(headers=council_headers, checks=[not_a_server_error, negative_data_rejection])
