"""Who may receive events, and where: a webhook address is checked before it is kept."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import urlsplit

from django.conf import settings

KINDS = {
    "requirement.raised": "A care requirement was raised",
    "tender.unmet": "A tender closed with no offer that could be awarded",
    "package.started": "A care package was awarded and starts",
    "package.changed": "A package's hours or price changed",
    "package.suspended": "A package was suspended",
    "package.ended": "A package ended (with why)",
    "package.handed_back": "A provider handed a package back; its citizen is re-placed",
    "invoice.approved": "A provider's invoice was approved in a posted payment run",
    "payment_run.posted": "A payment run was posted, with its lines",
    "rating.changed": "A service's published quality rating changed",
    "provider.suspended": "A provider was suspended from bidding on a section",
    "provider.reinstated": "A provider's suspension from bidding was lifted",
    "carer.registered": "A carer joined the carers' register (register number only)",
    "return.released": "A consortium's quarterly return was accepted and its payment released",
}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def url_problem(url: str) -> str | None:
    """Why events cannot be sent to this address, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "Enter a web address, like https://crs.council.example/caremarket-events"
    if parts.scheme != "https" and settings.PRODUCTION:
        return "Events are sent only to https:// addresses"
    ours = urlsplit(settings.SITE_URL)
    same_host = parts.hostname.lower() in {ours.hostname.lower(), *[h.lower() for h in settings.ALLOWED_HOSTS]}
    if same_host and (parts.port or _default_port(parts.scheme)) == (ours.port or _default_port(ours.scheme)):
        return "This is Caremarket's own address: events go to another system"
    return None


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
