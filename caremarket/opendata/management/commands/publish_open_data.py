from django.core.management.base import BaseCommand

from caremarket.opendata import files
from caremarket.periods.calendar import financial_year_label


class Command(BaseCommand):
    help = "Build each financial year's open contracting file whose data changed since it was last built."

    def handle(self, *args, **options):
        written = files.build_all(progress=lambda done, total: self.stdout.write(f"  … {done:,} of {total:,} "
                                                                                 "contracting processes"))
        if not written:
            self.stdout.write("Every year's file is up to date.")
        for year in written:
            self.stdout.write(f"Built {files.year_file(year).name} ({financial_year_label(year)}).")
