from django.core.management.base import BaseCommand, CommandError

from caremarket.audit.models import AuditHead
from caremarket.audit.trail import verify


class Command(BaseCommand):
    help = "Check that no audit event has been changed or deleted since it was written."

    def handle(self, *args, **options):
        problems = verify()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"The audit trail has been tampered with: {len(problems)} problem(s) found")
        head = AuditHead.objects.get(pk=1)
        self.stdout.write(f"The audit trail is intact: {head.sequence} events, newest hash {head.hash[:16]}…")
