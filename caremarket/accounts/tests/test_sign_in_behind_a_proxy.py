"""Sign-in lock-outs behind the council's HTTPS proxy: the client's address is read from the
proxy's header only when the request came from a trusted proxy, and an account is locked by
its own failures (alone, and with the address they came from), never everyone behind one
address. A real proxy runs in its own process in front of the service; clients connect to it
from different loopback addresses."""

import http.client
import re
import sys
import urllib.parse
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from caremarket.accounts.roles import Role
from caremarket.core.clients import client_address
from caremarket.core.local_processes import free_port, running

PASSWORD = "correct horse battery staple"


@pytest.fixture
def proxy(live_server, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    port = free_port()
    upstream = urllib.parse.urlsplit(live_server.url).port
    with running([sys.executable, str(Path(__file__).with_name("reverse_proxy.py")), str(port), str(upstream)], port):
        yield port


def sign_in_from(client_ip: str, port: int, username: str, password: str) -> int:
    """Sign in through the proxy from one client address; the answer's status."""
    def request(method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client_ip, 0))
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer, answer.read().decode()

    answer, page = request("GET", "/sign-in/")
    cookie = re.search(r"csrftoken=([^;]+)", answer.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    answer, _ = request("POST", "/sign-in/", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Cookie": f"csrftoken={cookie}"})
    return answer.status


@pytest.mark.usefixtures("committed_db")
def test_one_persons_failures_behind_the_proxy_lock_only_their_account(proxy, make_user, council):
    guessed = make_user(Role.COMMISSIONER, council, username="guessed@council.test", password=PASSWORD)
    colleague = make_user(Role.FINANCE_OFFICER, council, username="colleague@council.test", password=PASSWORD)
    answers = [sign_in_from("127.0.0.2", proxy, guessed.username, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"127.0.0.2"}  # the client, not the proxy
    assert sign_in_from("127.0.0.2", proxy, guessed.username, PASSWORD) == 429  # the account is locked
    assert sign_in_from("127.0.0.3", proxy, guessed.username, PASSWORD) == 429  # from anywhere
    # Everyone else behind the same proxy, even at the same address, signs in.
    assert sign_in_from("127.0.0.3", proxy, colleague.username, PASSWORD) == 302
    assert sign_in_from("127.0.0.2", proxy, colleague.username, PASSWORD) == 302


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize("remote, forwarded, client", [
    ("198.51.100.9", "203.0.113.5", "198.51.100.9"),  # not from a trusted proxy: the header is anyone's
    ("127.0.0.1", "203.0.113.5", "203.0.113.5"),
    ("127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # what the client wrote itself is passed over
    ("127.0.0.1", "203.0.113.5, 127.0.0.9", "203.0.113.5"),  # a second trusted proxy in the chain
    ("127.0.0.1", "not an address", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1"),
    ("127.0.0.1", "2001:db8::7", "2001:db8::7"),
])
def test_the_client_address_is_read_from_the_header_only_through_a_trusted_proxy(settings, remote, forwarded,
                                                                                   client):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    assert client_address(_Request(remote, forwarded)) == client
