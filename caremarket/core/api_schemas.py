"""What every API route shares (caremarket.api): the one error body, and the base of every
request body, which refuses control characters in any text (core.cleaning)."""

from ninja import Schema
from pydantic import ValidationInfo, field_validator

from . import cleaning


class ErrorItem(Schema):
    field: str
    message: str


class Errors(Schema):
    errors: list[ErrorItem]


ERRORS = {401: Errors, 403: Errors, 404: Errors, 422: Errors}


class InputSchema(Schema):
    """The base of every request body: text of one or more lines, never control characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info: ValidationInfo):
        for text in (value if isinstance(value, list) else [value]):
            if isinstance(text, str):
                why = cleaning.problem(text, multiline=True)
                if why:
                    raise ValueError(f"{info.field_name} {why}")
        return value
