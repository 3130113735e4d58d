"""Take the client record system's nightly files: people first, then assessments.

    manage.py receive_client_records --people people.csv --assessments assessments.jsonl

Each file is all or nothing, its problems named by row and field; sending the same files again
changes nothing. A file is CSV with a header row, or JSON Lines (.jsonl).
"""

from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from caremarket.citizens import intake


class Command(BaseCommand):
    help = "Take the client record system's nightly files of people and assessments (CSV or JSON Lines)"

    def add_arguments(self, parser):
        parser.add_argument("--people", help="The people file")
        parser.add_argument("--assessments", help="The assessments file")
        parser.add_argument("--sender", default="client record system",
                            help="Who the audit trail says sent them (a system's name)")

    def handle(self, *args, people=None, assessments=None, sender="client record system", **options):
        if not people and not assessments:
            raise CommandError("Name a --people file, an --assessments file, or both")
        for path, key, receive in ((people, "person_id", intake.receive_people),
                                   (assessments, "assessment_id", intake.receive_assessments)):
            if not path:
                continue
            try:
                with open(path, "rb") as stream:
                    rows = intake.rows_from_file(stream, path, key)
                outcome = receive(rows, sender)
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except ValueError as error:  # which council's people they are cannot be told
                raise CommandError(f"{path}: nothing was stored; {error}") from None
            except intake.BatchRefused as refused:
                shown = "\n".join(f"  {problem}" for problem in refused.problems[:intake.PROBLEMS_KEPT])
                raise CommandError(f"{path}: nothing was stored; {len(refused.problems):,} problems "
                                   f"(row 1 is the first after the header):\n{shown}") from None
            self.stdout.write(f"{path}: " + ", ".join(f"{count:,} {what}" for what, count in asdict(outcome).items()))
