"""In a real browser: a member registers a carer and asks for a Time for Me voucher; the carer
signs in on a phone with the link e-mailed to them and books an activity; the member sees the
booking, and after the payment run the payment on its statement. axe checks every page."""

import datetime as dt
import re

import pytest
from django.core import mail

from caremarket.core import clock
from caremarket.outcomes import contracts
from caremarket.outcomes.models import Listing, VoucherBudget
from caremarket.payments import runs
from caremarket.periods.models import PaymentPeriod
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.web.tests.test_journeys import PASSWORD, sign_in

from .conftest import at, new_carer
from .test_alliance_pages import build_alliance

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db", "tasks_at_once")]
TODAY = dt.date(2026, 11, 30)
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def market(consortium, calendar):
    clock.set_time(at(TODAY))
    member = consortium["north_user"]
    member.set_password(PASSWORD)
    member.save()
    VoucherBudget.objects.create(contract=consortium["contract"], starts_on=dt.date(2026, 10, 1),
                                 ends_on=dt.date(2027, 3, 31), budget_pence=150_000)
    Listing.objects.create(organisation=consortium["north"], title="Spa afternoon", category="therapy",
                           description="A massage and afternoon tea", where="Moseley", price_pence=6_000, places=10)
    yield consortium
    clock.set_time(None)


def test_a_carer_gets_a_voucher_by_emailed_link_on_a_phone_and_books_and_the_member_is_paid(page, browser, market):
    sign_in(page, market["north_user"].username)
    page.get_by_role("link", name="Carers register").first.click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Register a carer").click()
    page.get_by_label("Given name").fill("Priya")
    page.get_by_label("Family name").fill("Shah")
    fill_date(page, "Date of birth", "3", "2", "1961")
    page.get_by_label("Postcode").fill("B12 9QT")
    page.get_by_label("Email address (optional)").fill("priya@example.test")
    page.get_by_label("The person cared for").fill("Her husband, after a stroke")
    page.get_by_label("Hours of care a week").fill("35")
    for question in ("Do they live alone", "Do they have significant health", "Does the person cared for",
                     "Are they registered for emergency"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("No").check()
    fill_date(page, "Date registered", "30", "11", "2026")
    fill_date(page, "Date their needs were assessed", "30", "11", "2026")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Register the carer").click()
    assert "Priya Shah is registered as C" in page.locator("main").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Ask for a voucher").click()
    assert "Granted: ready to spend" in page.locator("main").inner_text()

    phone = browser.new_context(base_url=page.url.split("/carers")[0], viewport=PHONE)
    carer = phone.new_page()
    carer.goto("/time-for-me/")
    assert accessibility_violations(carer) == []
    carer.get_by_label("Email address").fill("priya@example.test")
    carer.get_by_role("button", name="Email me a link").click()
    assert "Check your email" in carer.locator("h1").inner_text()
    assert accessibility_violations(carer) == []
    link = re.search(r"https?://\S+/time-for-me/sign-in/\S+/", mail.outbox[-1].body).group(0)
    carer.goto(link)
    assert "Your voucher is worth £150.00" in carer.locator("main").inner_text()
    assert accessibility_violations(carer) == []
    carer.get_by_role("link", name="Spa afternoon").click()
    assert accessibility_violations(carer) == []
    carer.get_by_role("button", name="Book with your voucher").click()
    assert "You are booked" in carer.locator("main").inner_text()
    assert accessibility_violations(carer) == []
    phone.close()

    page.get_by_role("link", name="Time for Me marketplace").first.click()
    bookings = page.locator("table").nth(1).inner_text()
    assert "Priya Shah" in bookings and "£60.00" in bookings
    assert accessibility_violations(page) == []

    period = PaymentPeriod.objects.get(start_date__lte=TODAY, end_date__gte=TODAY)
    clock.set_time(at(period.payment_date - dt.timedelta(days=2)))
    runs.post_run(runs.run_period(period, market["finance"]), market["finance"])
    page.get_by_role("link", name="Payments").first.click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name=re.compile("View")).first.click()
    remittance = page.locator("main").inner_text()
    assert "Payment by results" in remittance and "Time for Me voucher V" in remittance and "£60.00" in remittance
    assert accessibility_violations(page) == []


def test_every_contract_page_passes_axe_for_the_people_who_use_it(page, market, make_user):

    carer = new_carer(market, market["north"], market["north_user"], assessed_on=dt.date(2026, 5, 1))
    new_carer(market, market["south"], market["south_user"], given="Jo", registered_on=dt.date(2026, 6, 1))
    with clock.frozen(at(dt.date(2026, 7, 10))):
        contracts.send_return(market["integrator"], market["year"], 1)
    ally = build_alliance(make_user, market["commissioner"])
    contract, alliance = market["contract"].pk, ally["contract"].pk
    for user in (market["integrator"], market["finance"], ally["commissioner"], ally["people"][0]):
        user.set_password(PASSWORD)
        user.save()
    visits = {
        market["north_user"]: [f"/carers/{carer.pk}/", f"/carers/{carer.pk}/wellbeing/", "/carers/activity/",
                               f"/consortium-contracts/{contract}/statements/", "/marketplace/add/"],
        market["integrator"]: ["/carers/duplicates/", f"/carers/duplicates/merge/?kept={carer.pk}&merged={carer.pk + 1}",
                               f"/carers/duplicates/dismiss/?first={carer.pk}&second={carer.pk + 1}",
                               f"/consortium-contracts/{contract}/", f"/consortium-contracts/{contract}/kpis/?by=month",
                               f"/consortium-contracts/{contract}/2026/quarter-2/return/",
                               f"/consortium-contracts/{contract}/voucher-budgets/"],
        market["finance"]: ["/consortium-contracts/", f"/consortium-contracts/{contract}/2026/quarter-1/release/"],
        ally["commissioner"]: ["/alliances/", f"/alliances/{alliance}/",
                               f"/alliances/{alliance}/periods/{ally['period'].pk}/scores/",
                               f"/alliances/{alliance}/periods/{ally['period'].pk}/settle/"],
        ally["people"][0]: [f"/alliances/{alliance}/periods/{ally['period'].pk}/costs/"],
    }
    for user, addresses in visits.items():
        page.context.clear_cookies()
        sign_in(page, user.username)
        for address in addresses:
            page.goto(address)
            assert page.locator("h1").count() == 1, address
            assert accessibility_violations(page) == [], address
