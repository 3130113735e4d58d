"""The JSON API under /api/: typed, documented (OpenAPI at /api/openapi.json, interactive at
/api/docs) and bound by the same permission rules as the pages (accounts.permissions).

Systems authenticate with ``Authorization: Bearer <token>`` (accounts.ApiToken); a signed-in
browser session works too. Every error has one body::

    {"errors": [{"field": "body.email", "message": "Enter a valid email address"}]}

with ``field`` empty when the error is not about one field.
"""

import json

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from caremarket.accounts.api import router as people
from caremarket.accounts.api_auth import BearerToken
from caremarket.citizens.api import client_records
from caremarket.citizens.api import router as citizens
from caremarket.events.api import router as events
from caremarket.framework.api import router as framework
from caremarket.opendata.api import router as open_data
from caremarket.organisations.api import router as organisations
from caremarket.outcomes.api import router as outcomes
from caremarket.payments.api import router as payments
from caremarket.periods.api import router as payment_calendar
from caremarket.quality.api import router as quality
from caremarket.reference.api import router as reference
from caremarket.tendering.api import router as tendering


class NotAnObject(ValueError):
    """Every request body is a JSON object; a list or a bare value would pass as an empty one."""


class ObjectBodies(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(f"The request body must be a JSON object ({{...}}), not {type(data).__name__}")
        return data


api = NinjaAPI(
    title="Caremarket API",
    parser=ObjectBodies(),
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)


def _error(request, status: int, errors: list[dict]):
    return api.create_response(request, {"errors": errors}, status=status)


def _field_path(loc) -> str:
    parts = [str(part) for part in loc if part != "__root__"]
    if parts[:1] == ["body"] and len(parts) > 2:
        del parts[1]  # the handler's parameter name ("payload") means nothing to a caller
    return ".".join(parts)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    kept = settings.ROW_ERRORS_KEPT  # a batch of 100,000 wrong visits is not answered with 100,000 errors
    errors = [{"field": _field_path(error.get("loc", ())),
               "message": error.get("msg", "Invalid value").removeprefix("Value error, ")}  # pydantic's words
              for error in exc.errors[:kept]]
    if len(exc.errors) > kept:
        errors.append({"field": "", "message": f"… and {len(exc.errors) - kept:,} more problems"})
    return _error(request, 422, errors)


@api.exception_handler(DjangoValidationError)
def invalid_model(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return _error(request, 422, [
            {"field": f"body.{name}", "message": message}
            for name, messages in exc.message_dict.items() for message in messages
        ])
    return _error(request, 422, [{"field": "", "message": message} for message in exc.messages])


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, [{"field": "", "message": "Sign in or send a valid API token"}])


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, [{"field": "", "message": str(exc) or "You do not have permission"}])


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, [{"field": "", "message": "Not found"}])


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message, cause = str(exc), exc.__cause__
    if isinstance(cause, json.JSONDecodeError):
        message = f"The request body is not valid JSON: {cause.msg} at line {cause.lineno}, column {cause.colno}"
    elif isinstance(cause, NotAnObject):
        message = str(cause)
    return _error(request, exc.status_code, [{"field": "body", "message": message}])


# --- each app's operations ------------------------------------------------------------------

api.add_router("", people)
api.add_router("/organisations", organisations)
api.add_router("/citizens", citizens)
api.add_router("/client-records", client_records)
api.add_router("/events", events)
api.add_router("/reference", reference)
api.add_router("/reference", payment_calendar)
api.add_router("/framework", framework)
api.add_router("/framework", quality)
api.add_router("/tendering", tendering)
api.add_router("/payments", payments)
api.add_router("/outcomes", outcomes)
api.add_router("/open-data", open_data)
