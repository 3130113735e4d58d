import csv
import datetime as dt
import json
import random
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caremarket.audit.models import AuditEvent
from caremarket.cqc.importer import import_file
from caremarket.cqc.models import CqcImport, RegisteredLocation
from caremarket.cqc.parsing import ods_rows
from caremarket.cqc.samples import LOCATIONS_HEADER, location_row, write_locations_csv
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.quality.models import Inspection, QualityRating

EXAMPLES = Path(__file__).parent / "data"


@pytest.fixture
def home(council):
    provider = Organisation.objects.create(kind="provider", name="Lucerne Care", cqc_provider_id="1-102642955")
    return CareLocation.objects.create(organisation=provider, cqc_location_id="1-125856395", name="Lucerne House",
                                       is_care_home=True, has_nursing=True)


def test_an_api_record_of_an_outstanding_nursing_home_with_its_history(home):
    run = import_file(EXAMPLES / "location_outstanding_care_home.json")
    assert (run.status, run.file_kind, run.created, run.error_count) == ("finished", "api", 1, 0)
    entry = RegisteredLocation.objects.get(location_id="1-125856395")
    assert (entry.rating, entry.rating_published_on, entry.beds) == ("Outstanding", dt.date(2019, 10, 31), 75)
    assert entry.service_types == "Care home service with nursing"
    home.refresh_from_db()
    assert (home.cqc_rating, home.beds, home.registration) == ("Outstanding", 75, "registered")
    history = list(Inspection.objects.filter(location=home).order_by("inspected_on").values_list("outcome", flat=True))
    assert history[-1] == "Outstanding" and "Good" in history
    rating = QualityRating.objects.get(location=home, is_current=True)
    assert rating.label == "Gold"
    assert "Gold from the most recent full inspection: CQC full inspection on 31 October 2019" in rating.explanation[0]
    assert AuditEvent.objects.filter(action="quality_rating.changed", object_id=str(home.pk)).exists()


def test_a_deregistered_homecare_agency_with_no_published_rating(db):
    provider = Organisation.objects.create(kind="provider", name="Allied", cqc_provider_id="1-102643096")
    agency = CareLocation.objects.create(organisation=provider, cqc_location_id="1-134558905", name="Allied")
    run = import_file(EXAMPLES / "location_deregistered_homecare.json")
    assert run.status == "finished" and run.error_count == 0
    entry = RegisteredLocation.objects.get(location_id="1-134558905")
    assert (entry.registered, entry.deregistered_on, entry.rating) == (False, dt.date(2016, 11, 28),
                                                                      "No published rating")
    agency.refresh_from_db()
    assert agency.registration == "deregistered" and agency.cqc_rating == "No published rating"
    assert not Inspection.objects.filter(location=agency).exists()  # no rating is not an inspection outcome


def test_a_locations_file_imports_matches_the_councils_services_and_reports_bad_rows(home, tmp_path):
    path = tmp_path / "01_November_2026_HSCA_Active_Locations.csv"
    ours = location_row(0, random.Random(0), location_id="1-125856395", provider_id="1-102642955",
                        rating="Requires improvement", local_authority="Birmingham")
    write_locations_csv(path, 200, extra=[ours], bad={
        7: {"Location ID": "LOC-7"},
        9: {"Publication Date": "31/13/2021", "Location Latest Overall Rating": "Good"},
        11: {"Location Latest Overall Rating": "Excellent"},
        13: {"Care homes beds": "many"},
    })
    run = import_file(path)
    assert run.status == "finished" and run.file_kind == "locations"
    assert (run.rows_read, run.created, run.error_count) == (201, 197, 4)  # every row read, 4 refused
    assert run.errors == [
        {"row": 8, "message": "Location ID 'LOC-7' is not a CQC ID (like 1-123456789, or an NHS code like RY2Y2)"},
        {"row": 10, "message": "Publication Date '31/13/2021' is not a date (expected dd/mm/yyyy)"},
        {"row": 12, "message": "Location Latest Overall Rating 'Excellent' is not a CQC rating"},
        {"row": 14, "message": "Care homes beds 'many' is not a whole number"},
    ]
    home.refresh_from_db()
    assert home.cqc_rating == "Requires improvement"
    assert QualityRating.objects.get(location=home, is_current=True).label == "Bronze"
    vocabulary = set(RegisteredLocation.objects.values_list("rating", flat=True))
    assert {"", "Not Rated", "Inadequate"} <= vocabulary


def test_importing_the_same_file_again_changes_nothing(home, tmp_path):
    path = tmp_path / "locations.csv"
    write_locations_csv(path, 150, extra=[location_row(0, random.Random(0), location_id="1-125856395",
                                                       provider_id="1-102642955", rating="Good")])
    import_file(path)
    events, ratings = AuditEvent.objects.count(), QualityRating.objects.count()
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged, again.services_updated) == (0, 0, 151, 0)
    assert (AuditEvent.objects.count(), QualityRating.objects.count()) == (events, ratings)


def test_a_ratings_file_updates_only_the_overall_rating(home, tmp_path):
    import_file(EXAMPLES / "location_outstanding_care_home.json")
    path = tmp_path / "ratings.csv"
    header = ["Location ID", "Location Name", "Care Home?", "Location Post Code", "Service / Population Group",
              "Domain", "Latest Rating", "Publication Date", "Provider ID", "Provider Name"]
    rows = [["1-125856395", "Lucerne House", "Y", "EX2 8TU", "Overall", domain, word, "05/06/2026", "1-102642955",
             "Lucerne"] for domain, word in [("Safe", "Requires improvement"), ("Overall", "Good"),
                                             ("Caring", "Outstanding")]]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    run = import_file(path)
    assert (run.file_kind, run.updated, run.skipped) == ("ratings", 1, 2)
    entry = RegisteredLocation.objects.get(location_id="1-125856395")
    assert (entry.rating, entry.rating_published_on, entry.beds) == ("Good", dt.date(2026, 6, 5), 75)
    assert QualityRating.objects.get(location=home, is_current=True).label == "Silver"


def test_a_file_with_the_wrong_columns_is_refused_and_nothing_is_stored(tmp_path, db):
    path = tmp_path / "not-cqc.csv"
    path.write_text("Location ID,Name,Rating\n1-101,Somewhere,Good\n")
    with pytest.raises(CommandError, match="not a CQC locations, ratings or deactivated locations file"):
        call_command("import_cqc", str(path))
    assert RegisteredLocation.objects.count() == 0
    assert CqcImport.objects.get().status == "refused"


def test_a_file_missing_required_columns_names_them(tmp_path, db):
    path = tmp_path / "partial.csv"
    path.write_text("Location ID,Location Name,Location Latest Overall Rating\n1-101,Somewhere,Good\n")
    run = import_file(path)
    assert run.status == "refused"
    assert "'Care home?'" in run.message and "'Provider ID'" in run.message


def test_a_failure_midway_leaves_nothing_half_written(tmp_path, db, monkeypatch):
    path = tmp_path / "locations.csv"
    write_locations_csv(path, 12_000)
    from caremarket.cqc import importer

    original, calls = importer._write_batch, []

    def fail_on_third(batch, report):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        original(batch, report)

    monkeypatch.setattr(importer, "_write_batch", fail_on_third)
    with pytest.raises(OSError):
        import_file(path)
    assert RegisteredLocation.objects.count() == 0
    assert CqcImport.objects.get().status == "failed"


def _write_ods(path, sheets):
    """A minimal OpenDocument spreadsheet (rows, or sheets by name), with a repeated empty row at
    the end of each sheet as LibreOffice writes."""
    if isinstance(sheets, list):
        sheets = {"HSCA_Active_Locations": sheets}
    cells = lambda row: "".join(f"<table:table-cell office:value-type=\"string\"><text:p>{c}</text:p>"
                                "</table:table-cell>" if c else "<table:table-cell/>" for c in row)
    tables = "".join(
        f'<table:table table:name="{name}">' + "".join(f"<table:table-row>{cells(row)}</table:table-row>"
                                                       for row in rows)
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
          'table:number-columns-repeated="1024"/></table:table-row></table:table>'
        for name, rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'{tables}</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)


def test_an_ods_file_is_read_like_a_csv(home, tmp_path):
    ours = location_row(0, random.Random(0), location_id="1-125856395", provider_id="1-102642955", rating="Good")
    others = [location_row(n, random.Random(n)) for n in range(1, 6)]
    path = tmp_path / "01_November_2026_HSCA_Active_Locations.ods"
    _write_ods(path, [LOCATIONS_HEADER] + [[row[c] for c in LOCATIONS_HEADER] for row in [ours, *others]])
    assert sum(1 for _ in ods_rows(path)) == 7
    run = import_file(path)
    assert (run.status, run.file_kind, run.created, run.error_count) == ("finished", "locations", 6, 0)
    home.refresh_from_db()
    assert home.cqc_rating == "Good"


def test_a_quality_officer_uploads_a_file_that_the_worker_imports(home, make_user, council, signed_in,
                                                                 django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from caremarket.accounts.roles import Role
    from caremarket.cqc.tasks import import_cqc_file

    client = signed_in(make_user(Role.QUALITY_OFFICER, council))
    upload = SimpleUploadedFile("location.json", (EXAMPLES / "location_outstanding_care_home.json").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/cqc-data/", {"file": upload}).status_code == 302
    queued = DBTaskResult.objects.get()
    import_cqc_file.call(*queued.args_kwargs["args"])  # what the worker does
    assert CqcImport.objects.get().status == "finished"
    assert "1 read, 1 new" in client.get("/cqc-data/").content.decode()


def test_an_upload_that_is_not_a_cqc_file_type_is_refused(make_user, council, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caremarket.accounts.roles import Role

    client = signed_in(make_user(Role.QUALITY_OFFICER, council))
    page = client.post("/cqc-data/", {"file": SimpleUploadedFile("data.xlsx", b"PK")}).content.decode()
    assert "The file must be a CSV, ODS or JSON file" in page


def test_next_months_file_reads_only_the_rows_that_changed(home, tmp_path):
    rows = [location_row(n, random.Random(n)) for n in range(1, 6)]
    path = tmp_path / "october.csv"
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=LOCATIONS_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    import_file(path)
    rows[0]["Location Telephone Number"] = "0121 000 0000"  # not kept: only the fingerprint moves
    rows[1]["Location Latest Overall Rating"], rows[1]["Publication Date"] = "Inadequate", "01/11/2026"
    rows[2]["Publication Date"] = "31/02/2026"  # now unreadable: reported, the stored row kept
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=LOCATIONS_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    run = import_file(path)
    assert (run.created, run.updated, run.unchanged, run.error_count) == (0, 1, 3, 1)
    assert RegisteredLocation.objects.get(location_id=rows[1]["Location ID"]).rating == "Inadequate"
    again = import_file(path)
    assert (again.updated, again.unchanged, again.error_count) == (0, 4, 1)


def test_a_deactivated_locations_file_marks_the_service_deregistered(home, tmp_path):
    path = tmp_path / "Deactivated_Locations.csv"
    header = ["Location ID", "Location Name", "Location HSCA start date", "Location HSCA End Date", "Care home?",
              "Location Latest Overall Rating", "Publication Date", "Provider ID", "Location Postal Code"]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, ["1-125856395", "Lucerne House", "15/02/2011", "30/09/2026", "Y",
                                          "Good", "01/03/2024", "1-102642955", "EX2 8TU"]])
    run = import_file(path)
    assert (run.file_kind, run.created, run.error_count) == ("deactivated", 1, 0)
    entry = RegisteredLocation.objects.get()
    assert (entry.registered, entry.deregistered_on) == (False, dt.date(2026, 9, 30))
    home.refresh_from_db()
    assert home.registration == "deregistered"


# --- the files a council really gets, and failing loudly -----------------------------------------

def test_a_missing_file_is_one_line_and_the_command_exits_non_zero(db, tmp_path):
    with pytest.raises(CommandError, match=r"was not imported: Cannot read .*nowhere\.csv: No such file"):
        call_command("import_cqc", str(tmp_path / "nowhere.csv"))
    assert CqcImport.objects.get().status == "refused"


def test_an_unreadable_ods_file_is_refused_not_a_traceback(db, tmp_path):
    path = tmp_path / "latest.ods"
    path.write_bytes(b"this is not a zip file")
    run = import_file(path)
    assert run.status == "refused" and "is not a readable OpenDocument spreadsheet" in run.message


def test_an_import_that_stores_no_row_fails_and_exits_non_zero(db, tmp_path):
    path = tmp_path / "locations.csv"
    write_locations_csv(path, 3, bad={n: {"Location ID": f"LOC-{n}"} for n in (1, 2, 3)})
    with pytest.raises(CommandError, match="No row could be stored: 3 read, 3 refused"):
        call_command("import_cqc", str(path))
    assert CqcImport.objects.get().status == "failed"
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(LOCATIONS_HEADER) + "\n")
    assert import_file(empty).status == "failed"


def test_the_summary_states_rows_read_stored_unchanged_and_refused(db, tmp_path, capsys):
    path = tmp_path / "locations.csv"
    write_locations_csv(path, 5, bad={2: {"Location ID": "LOC-2"}})
    call_command("import_cqc", str(path))
    call_command("import_cqc", str(path))
    said = capsys.readouterr().out
    assert "5 rows read, 4 stored (4 new, 0 changed), 0 unchanged, 1 refused" in said
    assert "5 rows read, 0 stored (0 new, 0 changed), 4 unchanged, 1 refused" in said


def test_a_missing_descriptive_column_is_named_before_anything_is_stored(db, tmp_path):
    path = tmp_path / "locations.csv"
    header = [c for c in LOCATIONS_HEADER if c not in ("Location City", "Care homes beds")]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(location_row(1, random.Random(1)))
    said = []
    run = import_file(path, progress=said.append)
    assert run.status == "finished"
    assert said[0] == "Warning: The file has no 'Location City', 'Care homes beds' columns: left blank for every location"
    assert run.warnings == [said[0].removeprefix("Warning: ")]


def test_a_ratings_file_without_care_home_is_refused_rather_than_defaulted(db, tmp_path):
    path = tmp_path / "ratings.csv"
    header = ["Location ID", "Location Name", "Location Post Code", "Service / Population Group", "Domain",
              "Latest Rating", "Publication Date", "Provider ID"]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, ["1-125856395", "Lucerne House", "EX2 8TU", "Overall", "Overall", "Good",
                                          "05/06/2026", "1-102642955"]])
    run = import_file(path)
    assert run.status == "refused" and "'Care Home?'" in run.message
    assert not RegisteredLocation.objects.exists()


def test_an_api_record_error_names_its_location_and_expects_iso_dates(db, tmp_path):
    record = json.loads((EXAMPLES / "location_outstanding_care_home.json").read_text())
    record["registrationDate"] = "15/02/2011"  # the files' format, not the API's
    path = tmp_path / "records.json"
    path.write_text(json.dumps([record]))
    run = import_file(path)
    assert run.status == "failed"
    assert run.errors == [{"row": 1, "message": "Location 1-125856395: registrationDate '15/02/2011' is not a date "
                                                "(expected an ISO date like 2026-03-01)"}]


@pytest.mark.parametrize("cut", range(1, 40))
def test_a_truncated_json_file_is_reported_as_incomplete_wherever_it_is_cut(db, tmp_path, cut):
    text = (EXAMPLES / "location_outstanding_care_home.json").read_text()
    path = tmp_path / "records.json"
    path.write_text(text[: len(text) * cut // 40])
    run = import_file(path)
    assert run.status == "refused" and run.message.startswith("The JSON file is incomplete"), run.message


def test_broken_json_says_what_is_wrong_once(db, tmp_path):
    path = tmp_path / "records.json"
    path.write_text('{"locationId": "1-1\x07", "name": "A"}')  # a raw control character in a string
    run = import_file(path)
    assert run.status == "refused" and " at at " not in run.message and "at line 1" in run.message


def test_a_locations_file_with_nhs_rows_imports_them(db, tmp_path):
    path = tmp_path / "01_December_2026_HSCA_Active_Locations.csv"
    nhs = [location_row(n, random.Random(n), location_id=code, provider_id="RY2") for n, code in
           enumerate(("RY2Y2", "RY2X4", "RXK01"))]
    write_locations_csv(path, 5, extra=nhs)
    run = import_file(path)
    assert run.status == "finished" and run.error_count == 0, run.errors
    assert set(RegisteredLocation.objects.filter(provider_id="RY2").values_list("location_id", flat=True)) == {
        "RY2Y2", "RY2X4", "RXK01"}


RATINGS_HEADER = ["Location ID", "Location Name", "Care Home?", "Location Post Code", "Service / Population Group",
                  "Domain", "Latest Rating", "Publication Date", "Provider ID", "Provider Name"]
PROVIDERS_HEADER = ["Provider ID", "Provider Name", "Provider Type", "Service / Population Group", "Domain",
                    "Latest Rating", "Publication Date", "Report Type"]


def test_the_latest_ratings_ods_is_read_from_its_locations_sheet(home, tmp_path):
    path = tmp_path / "01_November_2026_Latest_ratings.ods"
    _write_ods(path, {
        "Providers": [PROVIDERS_HEADER, ["RP1", "Example NHS Trust", "NHS Healthcare Organisation", "Overall",
                                         "Overall", "Good", "01/03/2026", "Provider"]],
        "Locations": [RATINGS_HEADER, ["1-125856395", "Lucerne House", "Y", "EX2 8TU", "Overall", "Overall",
                                       "Good", "05/06/2026", "1-102642955", "Lucerne"]],
    })
    run = import_file(path)
    assert (run.status, run.file_kind, run.created) == ("finished", "ratings", 1)


@pytest.mark.parametrize("suffix", [".ods", ".csv"])
def test_the_providers_sheet_alone_is_refused_with_what_to_import_instead(db, tmp_path, suffix):
    path = tmp_path / f"Latest_ratings_Providers{suffix}"
    rows = [PROVIDERS_HEADER, ["RP1", "Example NHS Trust", "NHS Healthcare Organisation", "Overall", "Overall",
                               "Good", "01/03/2026", "Provider"]]
    if suffix == ".ods":
        _write_ods(path, {"Providers": rows})
    else:
        with open(path, "w", newline="") as f:
            csv.writer(f).writerows(rows)
    run = import_file(path)
    assert run.status == "refused"
    assert run.message.startswith("This is the providers sheet") and "import the Locations sheet" in run.message
