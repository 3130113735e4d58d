"""Where an action sends the person afterwards when a form names it (``next``): only ever a
path of this service, never another site (an open redirect would let a link that looks like
the council's send people anywhere)."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def to_own_path(request, asked: str | None, fallback, *args, **kwargs):
    """A redirect to ``asked`` when it is a path of this service, else to ``fallback``."""
    asked = (asked or "").strip()
    if asked.startswith("/") and not asked.startswith(("//", "/\\")) and url_has_allowed_host_and_scheme(
            asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(asked)
    return redirect(fallback, *args, **kwargs)
