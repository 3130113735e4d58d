"""Invitations and outcomes go out over a real SMTP connection (a local aiosmtpd server)."""

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from caremarket.core import clock
from caremarket.tendering import notices, services

from .conftest import IDENTIFYING, offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


def test_each_invited_provider_is_emailed_once_and_told_the_outcome(smtp_server, citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    assert notices.invitations(tender) == 2
    assert notices.invitations(tender) == 0  # re-running sends nothing twice
    recipients = sorted(to for tos, _ in smtp_server.messages for to in tos)
    assert recipients == ["admin@1-300000001.test", "admin@1-300000002.test"]
    subject = smtp_server.messages[0][1]["Subject"]
    assert subject == f"Care package {requirement.reference}: offers close 09:00 on 25 November"

    offer_from(tender, home_market["gold"])
    offer_from(tender, home_market["silver"])
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    package = services.award(requirement, broker)
    smtp_server.messages.clear()
    assert notices.outcomes(package) == 2
    outcomes = {tos[0]: message["Subject"] for tos, message in smtp_server.messages}
    assert outcomes["admin@1-300000001.test"].endswith("awarded to you")
    assert outcomes["admin@1-300000002.test"].endswith("not awarded to you")
    for _, message in smtp_server.messages:
        assert not [s for s in IDENTIFYING if s in message.get_payload()]
