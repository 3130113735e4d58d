import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from caremarket.organisations.models import Organisation
from caremarket.privacy import retention


class Command(BaseCommand):
    help = ("Remove or anonymise the personal data the retention schedule says has been kept long enough "
            "(the nightly job does this; --dry-run only says what would go).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing")
        parser.add_argument("--as-of", help="Count the periods to this day (YYYY-MM-DD) instead of today")

    def handle(self, *args, dry_run=False, as_of=None, **options):
        try:
            today = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of: '{as_of}' is not a date written YYYY-MM-DD") from None
        for council in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("pk"):
            run = retention.apply(today=today, dry_run=dry_run, council_id=council.pk, progress=self.stdout.write)
            self.stdout.write(f"{council}: {'would remove' if dry_run else 'removed or anonymised'} "
                              f"{sum(run.removed.values()):,} records as of {run.as_of:%-d %B %Y}; "
                              f"{sum(run.held.values()):,} kept by a legal hold")
