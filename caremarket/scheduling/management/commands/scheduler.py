import time

from django.core.management.base import BaseCommand

from caremarket.scheduling.dispatch import dispatch_due_jobs


class Command(BaseCommand):
    help = "Enqueue scheduled jobs when they are due, for the background worker (db_worker) to run."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15, help="Seconds between checks")
        parser.add_argument("--once", action="store_true", help="Check once and stop")

    def handle(self, *args, interval, once, **options):
        while True:
            for name in dispatch_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
