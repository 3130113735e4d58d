"""One provider's file or batch cannot knock the service over: limits on size and rows, the
problems kept compactly, and a large batch taken as its schema promises (issue 13: a 20 MB
file of bad rows stored 274 MB; the API refused anything over ~12,000 visits)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caremarket.accounts.models import ApiToken
from caremarket.core import clock
from caremarket.payments.models import Visit, VisitUpload

from .test_pages import HEADER, NOVEMBER_12

BAD_ROW = "V{n},CP-999999,2026-10-14 08:00,2026-10-14 08:30,,,1\n"  # not the provider's package


@pytest.fixture(autouse=True)
def twelfth_of_november():
    with clock.frozen(NOVEMBER_12):
        yield


def _post_file(client, period, text: str):
    return client.post("/payments/visits/", {
        "period": period.pk, "keep_valid_rows": "yes",
        "file": SimpleUploadedFile("october.csv", text.encode(), content_type="text/csv")}, follow=True)


def test_a_20_mb_file_is_refused_with_a_field_error_and_nothing_is_stored(calendar, hourly_package, home_care,
                                                                         signed_in):
    rows = "".join(BAD_ROW.format(n=n) for n in range(400_000))  # about 20 MB
    assert len(rows) > 20_000_000
    page = _post_file(signed_in(home_care.people.first()), calendar[8], HEADER + rows).content.decode()
    assert "The file is 21.3 MB: the largest taken is 15.0 MB, so send the period in smaller files" in page
    assert not VisitUpload.objects.exists() and not Visit.objects.exists()


def test_more_rows_than_the_limit_are_refused_as_one_problem(calendar, hourly_package, home_care, signed_in,
                                                            settings):
    settings.VISIT_FILE_MAX_ROWS = 1_000
    rows = "".join(BAD_ROW.format(n=n) for n in range(1_500))
    page = _post_file(signed_in(home_care.people.first()), calendar[8], HEADER + rows).content.decode()
    upload = VisitUpload.objects.get()
    assert upload.status == "refused" and upload.error_count == 1
    assert "There are 1,500 visits: at most 1,000 are taken at once" in page


# A file this size goes to the background worker, which closes its database connection
# between tasks, as a real worker process does.
def test_a_file_of_bad_rows_keeps_the_first_problems_compactly_and_its_page_shows_the_count(
        committed_db, calendar, hourly_package, home_care, signed_in):
    from django.core.management import call_command

    rows = "".join(BAD_ROW.format(n=n) for n in range(20_000))
    client = signed_in(home_care.people.first())
    _post_file(client, calendar[8], HEADER + rows)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload = VisitUpload.objects.get()
    page = client.get(f"/payments/visits/{upload.pk}/").content.decode()
    assert (upload.status, upload.error_count, len(upload.errors)) == ("refused", 20_000, 300)
    assert len(json.dumps(upload.errors)) < 1_000_000
    assert "20,000 problems" in page and "The first 300 problems are shown; there are 20,000 in all" in page
    assert page.count('<td class="govuk-table__cell">package</td>') == 300
    assert "20,000 problems" in client.get("/payments/visits/").content.decode()


@pytest.fixture
def provider_api(client, home_care):
    _, token = ApiToken.issue(home_care.people.first(), "Call monitoring")
    return lambda body, **extra: client.post("/api/payments/visits", body, content_type="application/json",
                                             HTTP_AUTHORIZATION=f"Bearer {token}", **extra)


def test_the_api_takes_a_batch_of_25000_visits_and_answers_with_the_first_problems(calendar, hourly_package,
                                                                                   provider_api):
    visits = [{"visit_id": f"V{n}", "package": "CP-999999", "planned_start": "2026-10-14 08:00",
               "planned_end": "2026-10-14 08:30", "carers": 1} for n in range(25_000)]
    body = json.dumps({"period_id": calendar[8].pk, "visits": visits})
    assert len(body) > 3_000_000  # above Django's default 2.5 MB, which refused it before
    answer = provider_api(body)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["error_count"], len(answer.json()["errors"])) == (
        "refused", 25_000, 300)


def test_a_body_larger_than_any_schema_is_refused_before_it_is_read(calendar, provider_api, settings):
    answer = provider_api("{}", CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert answer.status_code == 413
    assert answer.json() == {"errors": [{"field": "", "message": "The request body is 32.0 MB: at most 32.0 MB is "
                                                                 "taken at once"}]}


def test_a_control_character_in_a_visit_file_is_a_row_error_naming_the_column(calendar, hourly_package, home_care,
                                                                              signed_in):
    rows = ("V1,CP-000777,2026-10-14 08:00,2026-10-14 08:30,,,1\n"
            "V2\x00,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n"
            "V3,CP-000777,2026-10-16 08:00\x07,2026-10-16 08:30,,,1\n")
    page = _post_file(signed_in(home_care.people.first()), calendar[8], HEADER + rows).content.decode()
    upload = VisitUpload.objects.get()
    assert upload.stored == 1 and [(e["row"], e["column"]) for e in upload.errors] == [(3, "visit_id"),
                                                                                    (4, "planned_start")]
    assert "The visit id contains a null character (U+0000)" in page


@pytest.mark.parametrize("header", ["standard", "reordered"])
def test_a_cell_longer_than_a_csv_reader_takes_is_a_problem_on_its_line_not_a_server_error(
        calendar, hourly_package, home_care, signed_in, header):
    """131,072 characters is the csv module's most for one cell; the standard header goes
    through PostgreSQL's COPY, another order through Python, on both databases."""
    head = HEADER if header == "standard" else ",".join(reversed(HEADER.strip().split(","))) + "\n"
    good = "V1,CP-000777,2026-10-14 08:00,2026-10-14 08:30,,,1\n"
    if header != "standard":
        good = ",".join(reversed(good.strip().split(","))) + "\n"
    long_cell = "x" * 131_073
    rows = good + ("1,,," + "2026-10-15 08:30," * 2 + f"CP-000777,{long_cell}\n" if header != "standard"
                   else f"{long_cell},CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n")
    client = signed_in(home_care.people.first())
    client.raise_request_exception = False
    response = _post_file(client, calendar[8], head + rows)
    assert response.status_code == 200
    page = response.content.decode()
    upload = VisitUpload.objects.get()
    assert upload.error_count >= 1 and not Visit.objects.filter(visit_id__startswith="xxx").exists()
    if "cannot be read" in page:  # read by Python's csv module
        assert "Line 3 cannot be read: a cell is longer than 131,072 characters" in page
