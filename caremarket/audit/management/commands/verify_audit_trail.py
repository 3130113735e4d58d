from django.core.management.base import BaseCommand, CommandError

from caremarket.audit.models import AuditHead
from caremarket.audit.trail import verify, waiting_to_be_sealed


class Command(BaseCommand):
    help = "Check that no sealed audit event has been changed, deleted or reordered since it was sealed."

    def handle(self, *args, **options):
        problems = verify()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"The audit trail has been tampered with: {len(problems)} problem(s) found")
        head, _ = AuditHead.objects.get_or_create(pk=1)
        waiting = waiting_to_be_sealed()
        self.stdout.write(f"The audit trail is intact: {head.sequence} events, newest hash {head.hash[:16]}…"
                          + (f"; {waiting} newer events are waiting to be sealed (manage.py seal_audit_trail)"
                             if waiting else ""))
