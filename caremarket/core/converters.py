"""The "id" path converter: a record's number in a URL, at most 18 digits.

Django's own "int" converter takes any number of digits, and a number past what the database
holds (2^63 and more) reached the query and failed there, a server error. A longer number
matches no route, so it is a plain "not found" (404), on pages and in the API alike.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter

MOST_DIGITS = 18  # 999,999,999,999,999,999 is below 2^63 − 1, the largest integer both databases hold
LARGEST_ID = 10 ** MOST_DIGITS - 1


class IdConverter(IntConverter):
    regex = f"[0-9]{{1,{MOST_DIGITS}}}"


register_converter(IdConverter, "id")
