"""The market dashboard: each chart's figures from a small market whose answers are known, the
filters, the CSV of each chart, and who may see it."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.organisations.models import Organisation
from caremarket.govuk import charts
from caremarket.market import intelligence
from caremarket.market.models import SpendBudget
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.models import PaymentLine, PaymentRun
from caremarket.payments.tests.conftest import care_home, home_care  # noqa: F401 (fixtures)
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.tests.conftest import assessment_for, broker, citizen  # noqa: F401 (fixtures)

TODAY = dt.date(2026, 11, 30)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def market(db, citizen, care_home, home_care, broker, commissioner):  # noqa: F811
    """North: two home-support packages in place (10.5 and 20 hours), one handed back on 10
    November; the care home's only package ended in October, so it has left the market; one
    requirement still out to tender; period 1 paid £1,234.56 against a £10,000 budget."""
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        hours = [Decimal("10.5"), Decimal("20"), Decimal("5")]
        packages = [make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=20_000,
                                 hourly_rate_pence=2_250, weekly_hours=h, start_on=APRIL) for h in hours]
        handed_back = packages[2]
        PackageChange.objects.create(package=handed_back, kind="end", effective_from=dt.date(2026, 11, 10),
                                     end_cause="handed_back", reason="Cannot staff the visits", status="approved",
                                     requested_by=broker, requested_at=clock.now())
        CarePackage.objects.filter(pk=handed_back.pk).update(end_on=dt.date(2026, 11, 9), status="handed_back")
        ended = make_package(citizen, care_home, broker, start_on=APRIL)
        CarePackage.objects.filter(pk=ended.pk).update(end_on=dt.date(2026, 10, 15), status="ended")
        CareRequirement.objects.filter(pk=packages[0].requirement_id).update(
            raised_at=clock.now() - dt.timedelta(days=4))
        assessment = assessment_for(citizen, "home-support")
        CareRequirement.objects.create(
            reference="CR-000900", assessment=assessment, citizen=citizen, service_type=assessment.service_type,
            area=Area.objects.get(code="north"), eligible_needs="Help to wash", outcomes="Stay at home",
            start_on=TODAY, weekly_hours=7, raised_by=broker, raised_at=clock.now())
        year = publish_year(draft_year(2026, commissioner), commissioner)
        first = year.periods.get(number=1)
        SpendBudget.objects.create(period=first, amount_pence=1_000_000)
        run = PaymentRun.objects.create(period=first, status="posted", started_by=commissioner, started_at=clock.now())
        PaymentLine.objects.create(run=run, organisation=home_care, package=packages[0], kind="scheduled",
                                   first_day=first.start_date, last_day=first.end_date, days=28,
                                   amount_pence=123_456, reason="Four weeks")
        yield


def _filters(**chosen):
    return intelligence.Filters(council=Organisation.objects.get(kind="council").pk, year=2026, today=TODAY, **chosen)


def test_hours_in_place_are_set_beside_each_areas_commissioned_hours(market):
    chart = intelligence.hours_by_area(_filters())
    north = Area.objects.get(code="north")
    rows = {row[0]: row for row in chart.rows}
    assert chart.headings[1] == "Home support"
    assert rows["North"][1:] == [Decimal("30.5"), Decimal("30.5"), north.weekly_care_hours,
                                 f"{Decimal('30.5') / north.weekly_care_hours:.0%}"]
    assert rows["East"][1] == 0  # an area with nothing in place still shows its commissioned hours
    only_east = intelligence.hours_by_area(_filters(area=Area.objects.get(code="east")))
    assert [row[0] for row in only_east.rows] == ["East"]


def test_hand_backs_and_providers_leaving_are_counted_in_their_month(market):
    rows = {row[0]: row[1:] for row in intelligence.hand_backs_and_exits(_filters()).rows}
    assert rows["Apr 2026"] == [4, 0, 0]  # started
    assert rows["Oct 2026"] == [0, 0, 1]  # the care home's last package ended
    assert rows["Nov 2026"] == [0, 1, 0]  # the hand-back; the home-support provider still has packages
    assert "Dec 2026" not in rows  # months still to come are not shown


def test_time_to_award_is_the_median_of_the_months_awards(market):
    rows = {row[0]: row[1:] for row in intelligence.time_to_award_and_start(_filters()).rows}
    assert rows["Nov 2026"][0] == 4
    assert rows["Nov 2026"][1] == Decimal("0.0")  # 4, 0, 0, 0 days


def test_spend_is_set_beside_the_budget_and_waiting_requirements_by_area(market):
    spend = intelligence.spend_against_budget(_filters())
    assert spend.rows[0] == ["Period 1", Decimal("1234.56"), Decimal("10000.00")]
    waiting = intelligence.waiting_requirements(_filters())
    assert waiting.rows == [["North", 1, 0, 0, 0, 0, 0, 1]]  # a column for each waiting status, then all
    assert intelligence.waiting_requirements(_filters(area=Area.objects.get(code="east"))).rows == []


def test_every_chart_is_drawn_from_exact_figures_and_travels_as_json():
    spec = charts.bars([{"rating": "Gold", "pounds": Decimal("12.30")}], category="rating", category_title="Rating",
                       value="pounds", value_title="Pounds", description="x")
    assert spec["data"] == {"values": [{"rating": "Gold", "pounds": "12.30"}],
                            "format": {"parse": {"pounds": "number"}}}
    json.dumps(spec)


def test_the_dashboard_shows_every_chart_with_its_table_and_csv(market, signed_in, commissioner, make_user,
                                                                home_care):  # noqa: F811
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        page = signed_in(commissioner).get("/market/").content.decode()
        for chart in intelligence.CHARTS:
            assert f'id="{chart}"' in page
        assert page.count('data-chart="') == 7  # no tender was opened, so offers per tender says so
        assert page.count("Nothing to show for this year") == 1
        assert "19,225" not in page and "30.5" in page
        response = signed_in(commissioner).get("/market/hours-by-area.csv?year=2026&area=")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0][0] == "Area" and ["North", "30.5"] == [r for r in rows if r[0] == "North"][0][:2]
        refused = signed_in(commissioner).get("/market/?year=1900&area=nonsense")
        assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
        assert signed_in(commissioner).get("/market/nothing-here.csv").status_code == 404
        for role, organisation in ((Role.SOCIAL_WORKER, commissioner.organisation), (Role.PROVIDER_ADMIN, home_care)):
            assert signed_in(make_user(role, organisation)).get("/market/").status_code == 403


def test_each_councils_market_is_its_own(market, neighbour, home_care, broker, make_user, signed_in):  # noqa: F811
    from caremarket.citizens.models import Citizen

    theirs = Citizen.objects.create(council=neighbour, reference="SC0000001", given_name="Tess", family_name="Theirs",
                                    date_of_birth=dt.date(1940, 1, 1), address="1 Road", postcode="B70 1AA")
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        make_package(theirs, home_care, broker, service="home-support", weekly_price_pence=50_000,
                     hourly_rate_pence=2_500, weekly_hours=Decimal("40"), start_on=APRIL, reference="CR-000777")
    ours = intelligence.Filters(council=Organisation.objects.get(name="Test City Council").pk, year=2026, today=TODAY)
    north = lambda chart: {row[0]: row for row in chart.rows}[Area.objects.get(code="north").name]  # noqa: E731
    their_hours = north(intelligence.hours_by_area(intelligence.Filters(council=neighbour.pk, year=2026,
                                                                        today=TODAY)))
    assert Decimal("40") in their_hours and Decimal("30.5") not in their_hours
    assert Decimal("30.5") in north(intelligence.hours_by_area(ours))
    page = signed_in(make_user(Role.COMMISSIONER, neighbour, username="market@neighbour.test")).get("/market/")
    assert page.status_code == 200 and "£10,000" not in page.content.decode()  # the other council's budget
