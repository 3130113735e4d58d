"""The open data: the micro-tenders as OCDS release packages (feed and yearly file) that
libcoveocds finds valid and that hold nothing about the person cared for, and the public page."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import home_care  # noqa: F401 (fixture)
from caremarket.tendering.models import CareRequirement, Offer, Tender
from caremarket.tendering.tests.conftest import assessment_for, broker, citizen  # noqa: F401 (fixtures)

from .ocds_validation import problems

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)
FEED = "/api/open-data/ocds/releases?since=2026-04-01&until=2026-11-30"


@pytest.fixture(autouse=True)
def publish_every_release(settings):
    """These tests are about the releases' content: k-anonymity (one process is enough) is tried below."""
    settings.OPEN_DATA_K = 1


def _tender(requirement, opens_at):
    closes_at = opens_at + dt.timedelta(days=2)
    tender = Tender.objects.create(requirement=requirement, opens_at=opens_at, closes_at=closes_at, closed_at=closes_at,
                                   status="closed", rule="strategy_2018")
    tender.areas.add(requirement.area)
    return tender


@pytest.fixture
def tendered(db, citizen, home_care, broker):  # noqa: F811
    """One tender awarded to Acorn, its price changed and the package ended (the citizen died);
    one that closed with no offers."""
    with clock.frozen(NOW):
        package = make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=23_625,
                               hourly_rate_pence=2_250, weekly_hours=Decimal("10.5"), start_on=dt.date(2026, 11, 25))
        requirement = package.requirement
        CareRequirement.objects.filter(pk=requirement.pk).update(
            eligible_needs="Zebedee needs help with his stoma bag", outcomes="To see his granddaughter Primrose",
            raised_at=NOW - dt.timedelta(days=12))
        tender = _tender(requirement, NOW - dt.timedelta(days=10))
        offer = Offer.objects.create(tender=tender, organisation=home_care, location=home_care.locations.first(),
                                     confirms_needs=True, outcomes_response="Morning visits by Mrs Ottoline Pargeter",
                                     weekly_price_pence=23_625, start_on=dt.date(2026, 11, 25), submitted_by=broker,
                                     submitted_at=NOW - dt.timedelta(days=9), changed_at=NOW - dt.timedelta(days=9))
        CarePackage.objects.filter(pk=package.pk).update(offer=offer)
        for kind, cause, reason in (("price", "", "Zebedee now needs a second call after his fall"),
                                    ("end", "death", "Zebedee Quigglesworth died at home on Tuesday")):
            PackageChange.objects.create(
                package=package, kind=kind, end_cause=cause, effective_from=dt.date(2026, 11, 28), reason=reason,
                weekly_price_pence=27_000 if kind == "price" else None, status="approved", requested_by=broker,
                requested_at=NOW, decided_by=broker, decided_at=NOW, decision_reason="Agreed with Zebedee's daughter")
        assessment = assessment_for(citizen, "home-support")
        unmet = CareRequirement.objects.create(
            reference="CR-000500", assessment=assessment, citizen=citizen, service_type=assessment.service_type,
            area=Area.objects.get(code="north"), eligible_needs="Help to wash", outcomes="Stay at home",
            start_on=dt.date(2026, 12, 1), weekly_hours=7, raised_by=broker, raised_at=NOW - dt.timedelta(days=5),
            status=CareRequirement.Status.NO_OFFERS)
        _tender(unmet, NOW - dt.timedelta(days=4))
        yield package


def test_the_feed_is_valid_ocds_and_names_nobody_cared_for(tendered, client, citizen):  # noqa: F811
    with clock.frozen(NOW):
        response = client.get(FEED)
    assert response.status_code == 200 and response["X-Total-Count"] == "2"
    package = response.json()
    assert problems(package) == {}
    by_process = {}
    for release in package["releases"]:
        by_process.setdefault(release["ocid"], []).append(release["tag"])
    assert by_process == {
        "ocds-cmdemo-CR-000001": [["tender"], ["award", "contract"], ["contractAmendment"], ["contractTermination"]],
        "ocds-cmdemo-CR-000500": [["tender"], ["tenderUpdate"]],
    }
    text = response.content.decode()
    for secret in (citizen.given_name, citizen.family_name, citizen.nhs_number, citizen.postcode, citizen.reference,
                   "Larkspur", citizen.date_of_birth.isoformat(), "stoma", "Primrose", "Ottoline", "died", "fall",
                   "daughter"):
        assert secret not in text, secret
    # Open codelists the checker does not carry: the values used are the standard's own.
    parties = {role for r in package["releases"] for p in r["parties"] for role in p["roles"]}
    assert parties == {"buyer", "procuringEntity", "supplier", "payee"}
    assert {r["relatedProcesses"][0]["relationship"][0] for r in package["releases"]} == {"framework"}


def test_the_feed_pages_and_filters_by_date(tendered, client):
    with clock.frozen(NOW):
        first = client.get(f"{FEED}&limit=1")
        assert first["Link"].endswith('offset=1&limit=1>; rel="next"')
        assert {r["ocid"] for r in first.json()["releases"]} == {"ocds-cmdemo-CR-000001"}
        assert "Link" not in client.get(f"{FEED}&offset=1&limit=1")
        assert client.get("/api/open-data/ocds/releases?since=2026-12-01&until=2027-03-31").json()["releases"] == []
        assert [r["tag"] for r in client.get(
            "/api/open-data/ocds/releases?since=2026-11-29&until=2026-11-30").json()["releases"]] == [
            ["award", "contract"], ["contractAmendment"], ["contractTermination"]]
        backwards = client.get("/api/open-data/ocds/releases?since=2026-11-30&until=2026-04-01")
        far_off = client.get("/api/open-data/ocds/releases?since=9999-12-31&until=9999-12-31")
    assert far_off.status_code == 422 and far_off.json()["errors"][0]["field"] == "query.since"
    assert backwards.status_code == 422
    assert backwards.json() == {"errors": [{"field": "query.until", "message": "must not be before since"}]}


def test_the_years_file_and_the_open_data_page(tendered, client, council):
    with clock.frozen(NOW):
        download = client.get(f"/open-data/{council.pk}/ocds/2026.json")
        package = json.loads(b"".join(download.streaming_content))
        page = client.get("/open-data/").content.decode()
        feed = client.get(FEED).json()
        assert client.get(f"/open-data/{council.pk}/ocds/2019.json").status_code == 404
    assert download["Content-Disposition"] == 'attachment; filename="micro-tenders-2026-27.json"'
    assert [r["id"] for r in package["releases"]] == [r["id"] for r in feed["releases"]]
    assert problems(package) == {}
    assert "Open Government Licence v3.0" in page and f"/open-data/{council.pk}/ocds/2026.json" in page
    assert "Care provider quality ratings" in page and "Framework sections" in page


def test_the_years_file_is_built_ahead_once_and_handed_out_as_it_is(tendered, client, council,
                                                                  django_assert_max_num_queries):
    """A second build changes nothing; the download reads no tenders; a change to the data
    makes the next build write the year again."""
    from caremarket.opendata import files

    with clock.frozen(NOW):
        assert files.build_all() == [(council.pk, 2026)]
        built = files.year_file(2026, council.pk).read_bytes()
        assert files.build_all() == [] and files.year_file(2026, council.pk).read_bytes() == built
        with django_assert_max_num_queries(4):  # the years there are: never the releases
            download = client.get(f"/open-data/{council.pk}/ocds/2026.json")
        assert b"".join(download.streaming_content) == built
        assert download["Content-Disposition"] == 'attachment; filename="micro-tenders-2026-27.json"'
        assert problems(json.loads(built)) == {}
    later = NOW + dt.timedelta(hours=2)
    with clock.frozen(later):
        tender = Tender.objects.order_by("pk").first()
        Tender.objects.filter(pk=tender.pk).update(opens_at=later)
        assert files.build_all() == [(council.pk, 2026)]


def test_releases_wait_until_k_processes_share_their_facts(tendered, client, settings, council):
    """The two processes say different things (one awarded and ended, one unmet): with k = 2
    nothing is published, and the page says how much waits."""
    from caremarket.opendata import files

    settings.OPEN_DATA_K = 2
    with clock.frozen(NOW):
        feed = client.get(FEED).json()
        assert feed["releases"] == []
        assert files.build_all() == [(council.pk, 2026)]
        assert json.loads(files.year_file(2026, council.pk).read_text())["releases"] == []
        page = client.get("/open-data/").content.decode()
    assert "6 releases held back until 2 processes share their facts" in page
    assert "Hours of care a week are published in bands" in page


def test_each_council_publishes_its_own_under_its_own_prefix(tendered, client, council, neighbour, broker):  # noqa: F811
    """With two councils, each one's file and feed hold only its own micro-tenders, under its
    own prefix and as its own publisher; the feed must be told whose."""
    from caremarket.citizens.models import Citizen
    from caremarket.opendata import files

    neighbour.ocid_prefix, neighbour.register_id = "ocds-sandwell", "SAW"
    neighbour.save()
    theirs = Citizen.objects.create(council=neighbour, reference="SC0000001", given_name="Tess", family_name="Theirs",
                                    date_of_birth=dt.date(1938, 3, 1), address="1 Road", postcode="B70 1AA")
    with clock.frozen(NOW):
        requirement = CareRequirement.objects.create(
            reference="CR-000900", assessment=assessment_for(theirs, "home-support"), citizen=theirs,
            service_type=tendered.requirement.service_type, area=Area.objects.get(code="north"),
            eligible_needs="Help", outcomes="Home", weekly_hours=7, start_on=dt.date(2026, 12, 1), raised_by=broker,
            raised_at=NOW - dt.timedelta(days=3))
        _tender(requirement, NOW - dt.timedelta(days=2))
        assert client.get(FEED).status_code == 422
        assert client.get(FEED).json()["errors"][0]["message"] == (
            "council: say whose releases (this service runs several councils)")
        assert client.get(f"{FEED}&council=999999").status_code == 422
        ours = client.get(f"{FEED}&council={council.pk}").json()
        their_feed = client.get(f"{FEED}&council={neighbour.pk}").json()
        assert sorted(files.build_all()) == sorted([(council.pk, 2026), (neighbour.pk, 2026)])
        their_file = json.loads(files.year_file(2026, neighbour.pk).read_text())
        page = client.get("/open-data/").content.decode()
    assert {r["ocid"] for r in ours["releases"]} == {"ocds-cmdemo-" + tendered.requirement.reference,
                                                     "ocds-cmdemo-CR-000500"}
    assert {r["ocid"] for r in their_feed["releases"]} == {"ocds-sandwell-CR-000900"}
    assert their_feed["publisher"] == {"name": "Sandwell Council"} and ours["publisher"] == {"name": "Test City Council"}
    assert {r["ocid"] for r in their_file["releases"]} == {"ocds-sandwell-CR-000900"}
    buyer = their_file["releases"][0]["buyer"]
    assert buyer["name"] == "Sandwell Council"
    assert next(p for p in their_file["releases"][0]["parties"] if p["id"] == buyer["id"])["identifier"]["id"] == "SAW"
    assert problems(their_file) == {}
    assert "Sandwell Council: micro-tenders, awards and contracts, 2026/27" in page
    assert f"/open-data/{neighbour.pk}/ocds/2026.json" in page and f"/open-data/{council.pk}/ocds/2026.json" in page
