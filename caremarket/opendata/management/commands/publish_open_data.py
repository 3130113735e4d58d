from django.core.management.base import BaseCommand

from caremarket.opendata import files
from caremarket.organisations.models import Organisation
from caremarket.periods.calendar import financial_year_label


class Command(BaseCommand):
    help = "Build each financial year's open contracting file whose data changed since it was last built."

    def handle(self, *args, **options):
        written = files.build_all(progress=lambda done, total: self.stdout.write(f"  … {done:,} of {total:,} "
                                                                                 "contracting processes"))
        if not written:
            self.stdout.write("Every year's file is up to date.")
        names = dict(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", "name"))
        for council_id, year in written:
            self.stdout.write(f"Built {names[council_id]}'s {files.year_file(year, council_id).name} "
                              f"({financial_year_label(year)}).")
