"""In a real browser, within the content security policy: the market dashboard draws every
chart that has figures, each with its table, and axe finds nothing serious."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import care_home, home_care  # noqa: F401 (fixtures)
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)
from caremarket.web.browser_testing import accessibility_violations
from caremarket.web.tests.test_journeys import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def november():
    clock.set_time(dt.datetime(2026, 11, 30, 10, tzinfo=clock.LONDON))
    yield
    clock.set_time(None)


def test_the_market_dashboard_draws_its_charts_beside_their_tables(
        page, november, citizen, care_home, home_care, broker, make_user, council):  # noqa: F811
    make_package(citizen, care_home, broker, start_on=dt.date(2026, 5, 1))
    make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=20_000,
                 hourly_rate_pence=2_250, weekly_hours=Decimal("10.5"), start_on=dt.date(2026, 6, 1))
    commissioner = make_user(Role.COMMISSIONER, council, password=PASSWORD)
    sign_in(page, commissioner.username)
    page.goto("/")
    page.get_by_role("link", name="More").click()
    page.get_by_role("link", name="The market").click()
    charts = page.locator("[data-chart]")
    assert charts.count() >= 5
    # Waited for by selector, not by a script string: the page's CSP refuses eval, Playwright's too.
    expect(page.locator("[data-chart]:not([data-drawn])")).to_have_count(0)
    expect(page.locator("[data-chart][data-drawn] svg")).to_have_count(charts.count())
    hours = page.locator("section", has=page.get_by_role("heading", name="Care hours a week by area"))
    assert hours.locator("[role='graphics-document'][aria-label^='Care hours a week'] svg").count() == 1
    assert "10.5" in hours.get_by_role("table").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_label("Area", exact=True).select_option(label="North")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/market/?year=2026&area=*")
    page.wait_for_selector("#hours-by-area ~ [data-drawn]")
    assert page.locator("#hours-by-area ~ .cm-table-scroll tbody tr").count() == 1
    assert accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 740})  # on a phone each table scrolls, by keyboard too
    page.reload()
    expect(page.locator("[data-chart]:not([data-drawn])")).to_have_count(0)
    assert accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
