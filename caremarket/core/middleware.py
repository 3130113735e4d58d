"""Every answer under /api/ is JSON, errors included.

The API's own errors already have the one body (caremarket.api); this catches the rest,
which Django or the web server would otherwise answer in HTML: a path that matches no
operation (404), a method an operation does not take (405), a body too large or a request
refused before it reaches the API (400, 413), and a server error (500).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from . import cleaning
from .units import megabytes

MESSAGES = {
    400: "The request could not be read",
    403: "You do not have permission",
    404: "Not found: no operation has this path (see /api/docs)",
    405: "This operation does not take the {method} method",
    413: "The request body is too large",
    500: "Something went wrong on our side; it has been logged",
}


class ApiErrorsAsJson:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and _content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            most = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            return _body(413, f"The request body is {megabytes(_content_length(request))}: at most {most} is "
                              "taken at once")
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            return self.as_json(request, response)
        return response

    @staticmethod
    def as_json(request, response) -> HttpResponse:
        status = response.status_code
        message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
        message = message.format(method=request.method)
        if status == 405 and response.get("Allow"):
            message += f": use {response['Allow'].replace(', ', ' or ')}"
        replaced = _body(status, message)
        if response.get("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _body(status: int, message: str) -> HttpResponse:
    return HttpResponse(json.dumps({"errors": [{"field": "", "message": message}]}), status=status,
                        content_type="application/json")


class RefuseControlCharactersInAddress:
    """The address and its query string are text from outside too (core.cleaning): a search
    for "a\\x00b" is answered with what is wrong and where, not passed to the database (where
    PostgreSQL failed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        why = cleaning.problem(request.path)
        if why:
            return self.refuse(request, "path", f"The address {why}")
        for name, values in request.GET.lists():
            for text in (name, *values):
                why = cleaning.problem(text)
                if why:
                    return self.refuse(request, f"query.{name}", f"The search term {name!r} {why}")
        return self.get_response(request)

    @staticmethod
    def refuse(request, field: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return HttpResponse(json.dumps({"errors": [{"field": field, "message": message}]}),
                                status=422, content_type="application/json")
        return render(request, "web/400.html", {"message": message}, status=400)
