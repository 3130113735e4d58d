"""Benchmark: a citizen's subject access export, JSON and PDF; prints one JSON line.

The citizen of a demo market (scale 1) with the most visits, given five years of them (four a
day), as a person in long-term home support would have. Median of 3 of each file. Beside it, in
the same run, the reference: the very SQL statements the JSON export sent, sent again straight
to the engine. The goal is under a minute for each file.

    python -m bench.subject_access
"""

import datetime as dt
import json
import sys

from bench.measuring import bare, demo_market, median_seconds, reads

YEARS, A_DAY = 5, 4


def main():
    demo_market(default_scale=1)
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from caremarket.citizens.models import Citizen
    from caremarket.core import clock
    from caremarket.payments.models import Visit
    from caremarket.privacy import subject_access

    citizen = (Citizen.objects.annotate(visits=Count("requirements__package__visits")).order_by("-visits").first())
    package = citizen.requirements.filter(package__isnull=False).first().package
    one = Visit.objects.filter(package=package).first()
    start = dt.datetime(2021, 4, 1, 8, tzinfo=clock.LONDON)
    Visit.objects.bulk_create([
        Visit(organisation_id=one.organisation_id, invoice_id=one.invoice_id, upload_id=one.upload_id,
              package=package, visit_id=f"BENCH-{n}", planned_start=start + dt.timedelta(hours=6 * n),
              planned_end=start + dt.timedelta(hours=6 * n, minutes=45), carers=1, paid_minutes=45, carers_paid=1,
              amount_pence=1_700) for n in range(YEARS * 365 * A_DAY)], batch_size=2_000)
    visits = Visit.objects.filter(package__requirement__citizen=citizen).count()

    sizes = {}

    def as_json():
        sizes["json"] = len(subject_access.as_json(subject_access.for_citizen(citizen)))

    def as_pdf():
        sizes["pdf"] = len(subject_access.as_pdf(subject_access.for_citizen(citizen), "Birmingham City Council"))

    json_seconds = median_seconds(as_json, asks=3)
    pdf_seconds = median_seconds(as_pdf, asks=3)
    with CaptureQueriesContext(connection) as captured:
        subject_access.for_citizen(citizen)
    statements = reads(captured)
    json.dump({"visits": visits, "json_seconds": json_seconds, "pdf_seconds": pdf_seconds,
               "json_mb": sizes["json"] / 1e6, "pdf_mb": sizes["pdf"] / 1e6, "statements": len(statements),
               "engine_seconds": median_seconds(bare(statements), asks=3)}, sys.stdout)


if __name__ == "__main__":
    main()
