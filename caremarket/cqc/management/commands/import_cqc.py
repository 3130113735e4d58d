from django.core.management.base import BaseCommand, CommandError

from caremarket.cqc.importer import import_file
from caremarket.cqc.models import CqcImport


class Command(BaseCommand):
    help = ("Import the CQC's published data: the active locations file or the latest ratings file (CSV or ODS), "
            "the deactivated locations file, or CQC API location records (JSON). Exits non-zero when the file is "
            "refused or no row could be stored, so a scheduled job notices.")

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        run = import_file(path, progress=lambda message: self.stdout.write(f"  … {message}"))
        if run.status == CqcImport.Status.REFUSED:
            raise CommandError(f"{path} was not imported: {run.message}")
        self.stdout.write(
            f"{run.file_name} ({run.file_kind or 'unknown'}): {run.rows_read:,} rows read, "
            f"{run.created + run.updated:,} stored ({run.created:,} new, {run.updated:,} changed), "
            f"{run.unchanged:,} unchanged, {run.error_count:,} refused, {run.skipped:,} not needed; "
            f"{run.services_updated:,} of the council's services updated.")
        for error in run.errors[:20]:
            self.stderr.write(f"  row {error['row']}: {error['message']}")
        if run.error_count > 20:
            self.stderr.write(f"  … and {run.error_count - 20:,} more (see the import record)")
        if run.status == CqcImport.Status.FAILED:
            raise CommandError(f"{path} was not imported: {run.message}")
