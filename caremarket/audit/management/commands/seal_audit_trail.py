import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from caremarket.audit.trail import seal


class Command(BaseCommand):
    help = ("Seal newly written audit events into the hash chain, in the order they were written: every "
            "few seconds, or once. Run one (or more) beside the web server and the background worker.")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=2, help="Seconds between seals")
        parser.add_argument("--once", action="store_true", help="Seal what is waiting and stop")

    def handle(self, *args, every, once, **options):
        while True:
            close_old_connections()
            if sealed := seal():
                self.stdout.write(f"sealed {sealed} audit events")
            if once:
                return
            time.sleep(every)
