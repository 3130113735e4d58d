"""Every view of a citizen's record, or of a list of citizens, is recorded, and the council can
answer "who looked at my record?" (issue 13, finding 9)."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Citizen, RecordAccess


@pytest.fixture
def citizens(council):
    return [Citizen.objects.create(reference=f"BCC-{n:06d}", given_name="Alex", family_name=f"Person{n}",
                                   date_of_birth="1940-01-01") for n in range(60)]


@pytest.fixture
def social_worker(make_user, council):
    return make_user(Role.SOCIAL_WORKER, council, username="sam@council.example")


def test_a_record_and_a_list_are_logged_with_who_when_and_which(citizens, social_worker, signed_in):
    client = signed_in(social_worker)
    client.get(f"/citizens/{citizens[3].pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/citizens/?q=Person")
    inserts = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len([q for q in inserts if "citizens_recordaccess" in q["sql"]]) == 2  # one row, one bulk insert
    record, listed = RecordAccess.objects.order_by("at", "pk")
    assert (record.person, record.kind, list(record.citizens.all())) == (social_worker, "record", [citizens[3]])
    assert listed.kind == "list" and listed.citizens.count() == 50 and listed.where == "/citizens/?q=Person"


def test_api_reads_are_logged_too(citizens, make_user, council):
    _, key = ApiToken.issue(make_user(Role.BROKERAGE_OFFICER, council), "tests")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert len(api.get("/api/citizens?limit=20&offset=5").json()["items"]) == 20
    api.get(f"/api/citizens/{citizens[0].pk}")
    listed, record = RecordAccess.objects.order_by("at", "pk")
    assert listed.via_api and listed.citizens.count() == 20
    assert record.kind == "record" and list(record.citizens.all()) == [citizens[0]]


def test_the_data_protection_officer_finds_who_looked_at_one_citizen(citizens, social_worker, signed_in,
                                                                    make_user, council):
    signed_in(social_worker).get(f"/citizens/{citizens[7].pk}/")
    signed_in(social_worker).get(f"/citizens/{citizens[8].pk}/")
    officer = signed_in(make_user(Role.COMMISSIONER, council))
    page = officer.get("/citizens/access-log/?citizen=bcc-000007").content.decode()
    assert "Showing <b>1</b> to <b>1</b> of <b>1</b> records of access" in page
    assert "sam@council.example" in page and "BCC-000007" in page
    download = b"".join(officer.get("/citizens/access-log/?citizen=BCC-000007&format=csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(download.decode())))
    assert [(r["Person"], r["Citizens shown"]) for r in rows] == [("sam@council.example", "BCC-000007")]
    assert "BCC-000008" in officer.get("/citizens/access-log/?person=sam&since=1/1/2026").content.decode()
    page = officer.get("/citizens/access-log/?since=31/2/2026").content.decode()  # not a date: said, not used
    assert "Enter a real date, like 1/11/2026" in page and "BCC-000008" in page
    assert signed_in(social_worker).get("/citizens/access-log/").status_code == 403


def test_the_citizen_list_finds_a_full_name_and_shows_who_is_waiting(social_worker, signed_in):
    import datetime as dt

    from caremarket.citizens.models import Assessment
    from caremarket.core import clock
    from caremarket.reference.models import ServiceType

    zeb = Citizen.objects.create(reference="BCC-778899", given_name="Zebedee", family_name="Quigglesworth",
                                 date_of_birth="1931-02-17", postcode="B23 6AA")
    Citizen.objects.create(reference="BCC-111111", given_name="Zebedee", family_name="Smith", date_of_birth="1950-01-01")
    Assessment.objects.create(citizen=zeb, assessed_on=dt.date(2026, 11, 20), status="awaiting_service",
                              service_type=ServiceType.objects.get(code="home-support"), eligible_needs="x",
                              outcomes="y")
    client = signed_in(social_worker)
    with clock.frozen(dt.datetime(2026, 12, 1, 9, tzinfo=clock.LONDON)):
        page = client.get("/citizens/?q=zeb+quig").content.decode()
    assert "Quigglesworth" in page and "Smith" not in page
    assert "17 Feb 1931" in page and "B23 6AA" in page and "Awaiting a service" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">11</td>' in page  # days since assessed
    assert "Smith" in client.get("/citizens/?q=Zebedee").content.decode()
