"""What every API route shares (caremarket.api): the one error body, and the base of every
request body, which refuses control characters in any text (core.cleaning)."""

from typing import ClassVar

from ninja import Schema
from pydantic import ValidationInfo, field_validator

from . import cleaning


class ErrorItem(Schema):
    field: str
    message: str


class Errors(Schema):
    errors: list[ErrorItem]


# What any operation may answer besides success: a body that is not JSON or not an object (400),
# no or a wrong token (401), not allowed (403), nothing there (404), a body too large (413),
# a value that breaks a rule (422). Each comes with the one error body.
ERRORS = {400: Errors, 401: Errors, 403: Errors, 404: Errors, 413: Errors, 422: Errors}


class InputSchema(Schema):
    """The base of every request body: text never holds control characters, and holds line
    breaks only in the fields named in ``MULTILINE`` (as a page takes them only in a text
    area): the same rule as a form's (govuk.forms.GovukFormMixin)."""

    MULTILINE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info: ValidationInfo):
        for text in (value if isinstance(value, list) else [value]):
            if isinstance(text, str):
                why = cleaning.problem(text, multiline=info.field_name in cls.MULTILINE)
                if why:
                    raise ValueError(f"{info.field_name} {why}")
        return value


class OrganisationRef(Schema):
    """An organisation named in another record (a person's employer, say)."""

    id: int
    name: str
