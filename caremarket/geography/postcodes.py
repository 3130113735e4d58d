"""UK postcodes, as pure functions."""

import re

# The outward code (district) and inward code of a UK postcode, e.g. "B23 6SD".
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


class PostcodeError(ValueError):
    pass


def normalise(postcode: str) -> str:
    """``" b236sd "`` → ``"B23 6SD"``; raises ``PostcodeError`` when it is not a postcode."""
    match = POSTCODE.match(postcode.strip().upper())
    if not match:
        raise PostcodeError(f"'{postcode.strip()}' is not a UK postcode (for example B23 6SD)")
    return f"{match[1]} {match[2]}"


def district(postcode: str) -> str:
    """The postcode district: ``"B23 6SD"`` → ``"B23"``."""
    return normalise(postcode).split()[0]
