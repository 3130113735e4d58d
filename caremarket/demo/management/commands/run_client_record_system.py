"""Run the stand-in client record system beside the demo (`make run CRS=8900`): register it as
a subscriber to events, give it an API token of an integration account, then become it.

It sends the demo a few people and assessments through the real API when its page's button is
pressed, and shows the events it is sent."""

import os
import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from caremarket.accounts.models import ApiToken, User
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.events.models import Subscriber
from caremarket.events.subscribers import KINDS, new_secret
from caremarket.organisations.models import Organisation

ACCOUNT = "client.record.system@demo.caremarket.test"


class Command(BaseCommand):
    help = "Run the stand-in client record system on a port, subscribed to the demo's events"

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8900")
        parser.add_argument("--caremarket", default="http://127.0.0.1:8000")

    def handle(self, *args, port, caremarket, **options):
        with transaction.atomic():
            account, _ = User.objects.get_or_create(username=ACCOUNT, defaults={
                "email": ACCOUNT, "password": "!", "role": Role.SOCIAL_WORKER, "first_name": "Client record", "last_name": "system",
                "organisation": Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).first()})
            ApiToken.objects.filter(user=account, revoked_at__isnull=True).update(revoked_at=clock.now())
            token = ApiToken.issue(account, "Stand-in client record system", scopes=["client-records:write"])[1]
            secret = new_secret()
            Subscriber.objects.update_or_create(name="Client record system (stand-in)", defaults={
                "url": f"http://127.0.0.1:{port}/webhooks", "secret": secret, "kinds": sorted(KINDS),
                "personal_data": True, "active": True})
        self.stdout.write(f"The stand-in client record system is on http://127.0.0.1:{port}/")
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, "-m", "standin.client_record_system", "--port", str(port),
                                  "--caremarket", caremarket, "--token", token, "--secret", secret])
