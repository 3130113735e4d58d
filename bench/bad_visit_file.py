"""Benchmark: the largest visit file the service takes (100,000 rows), every row wrong, sent
through the real page as a provider would, then its result page; prints one JSON line.

Beside it, the reference: Python's own csv module reading the same bytes, so that the ratio
holds on a shared machine whose absolute times drift.

    python -m bench.bad_visit_file
"""

import csv
import io
import json
import os
import resource
import sys
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from bench.measuring import signed_in
    from caremarket.accounts.models import User
    from caremarket.demo.market import DemoMarket
    from caremarket.payments import ingest
    from caremarket.payments.models import VisitUpload
    from caremarket.payments.views import _open_periods

    call_command("migrate", verbosity=0)
    DemoMarket(scale=1).build()
    provider = User.objects.get(username="provider.admin@demo.caremarket.test")
    period = _open_periods().first()
    rows = settings.VISIT_FILE_MAX_ROWS
    data = ("visit_id,package,planned_start,planned_end,actual_start,actual_end,carers\n" + "".join(
        f"V{n},CP-999999,2026-10-14 08:00,not a time,,,9\n" for n in range(rows))).encode()

    started = time.perf_counter()
    sum(1 for _ in csv.reader(io.StringIO(data.decode())))
    csv_seconds = time.perf_counter() - started

    client = signed_in(provider)
    started = time.perf_counter()
    answer = client.post("/payments/visits/", {"period": period.pk, "keep_valid_rows": "yes",
                                               "file": SimpleUploadedFile("bad.csv", data, "text/csv")})
    upload = VisitUpload.objects.latest("pk")
    if upload.status == VisitUpload.Status.WAITING:  # a file this large is the background worker's: do its work here
        upload = ingest.check_waiting_file(upload.pk)
    upload_seconds = time.perf_counter() - started
    started = time.perf_counter()
    page = client.get(answer["Location"])
    page_seconds = time.perf_counter() - started
    assert page.status_code == 200 and upload.status == "refused"
    json.dump({"rows": rows, "file_mb": len(data) / 1024 / 1024, "errors": upload.error_count,
               "stored_kb": len(json.dumps(upload.errors)) / 1024, "upload_seconds": upload_seconds,
               "page_seconds": page_seconds, "csv_seconds": csv_seconds,
               "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, sys.stdout)


if __name__ == "__main__":
    main()
