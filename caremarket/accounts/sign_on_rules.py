"""Sign-in rules, pure: whether an ID token from the council's identity provider may be believed
(OpenID Connect Core 1.0, section 3.1.3.7; the signature is checked before, with the provider's
published keys), which role a person's groups give them, and who must give a second factor."""

from __future__ import annotations

LEEWAY_SECONDS = 60  # the two machines' clocks may differ a little


def id_token_problem(claims: dict, *, issuer: str, client_id: str, now: float) -> str | None:
    """Why these ID token claims may not be believed, or None."""
    if claims.get("iss") != issuer:
        return f"The token was issued by {claims.get('iss')!r}, not the council's identity provider ({issuer})"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        return "The token was issued for another service, not Caremarket"
    if len(audiences) > 1 and claims.get("azp") != client_id:
        return "The token was issued for several services and not authorised for Caremarket"
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + LEEWAY_SECONDS < now:
        return "The token has expired"
    if isinstance(claims.get("iat"), (int, float)) and claims["iat"] - LEEWAY_SECONDS > now:
        return "The token was issued in the future"
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        return "The token does not say who the person is"
    return None


def role_from_groups(groups, mapping: list[tuple[str, str]]) -> str | None:
    """The role the first mapping row matching one of the person's groups grants, or None.
    ``mapping`` is (group, role) in order of precedence."""
    held = set(groups or ())
    return next((role for group, role in mapping if group in held), None)


# Independent quality assessors (Role.QUALITY_ASSESSOR) see services' inspections, never a
# citizen, a carer or money. Roles by their values: this module imports nothing.
WITHOUT_PERSONAL_DATA_OR_MONEY = frozenset({"quality_assessor"})


def needs_second_factor(role: str, *, is_superuser: bool, signed_in_by_council: bool) -> bool:
    """Whether a person signed in this way must also give a code: everyone who can see a
    citizen's or carer's personal data or move money, unless the council's own sign-in (with
    its own second factor) let them in."""
    if signed_in_by_council:
        return False
    return is_superuser or role not in WITHOUT_PERSONAL_DATA_OR_MONEY
