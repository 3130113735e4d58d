"""Where a request comes from: the one rule for a client's address, used by sign-in lock-outs
(django-axes, through ``AXES_CLIENT_IP_CALLABLE``) and by every throttle.

Behind the council's HTTPS proxy every request reaches the service from the proxy's address,
and the client's own is in the ``X-Forwarded-For`` header the proxy adds. A header anyone can
send proves nothing, so it is read only when the request came from a proxy the council named
in ``CAREMARKET_TRUSTED_PROXIES`` (addresses or networks): the client is the right-most address
in it that is not itself a trusted proxy. Otherwise the address is the connection's own.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's address, from a trusted proxy's header where there is one."""
    connected = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(_address(connected or ""), networks):
        return connected
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            return connected  # a header the proxy did not write: trust none of it
        if not _trusted(address, networks):
            return str(address)
    return connected
