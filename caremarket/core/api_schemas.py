"""The one error body every API route answers with, shared by the routers (caremarket.api)."""

from ninja import Schema


class ErrorItem(Schema):
    field: str
    message: str


class Errors(Schema):
    errors: list[ErrorItem]


ERRORS = {401: Errors, 403: Errors, 404: Errors, 422: Errors}
