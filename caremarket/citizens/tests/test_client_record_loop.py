"""The whole loop on one machine, with the stand-in client record system as its own process: it
sends people and assessments through the real API, Caremarket raises and awards the care, and
the stand-in hears of it by signed webhook, shown on its own page in the browser."""

import csv
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core import clock
from caremarket.core.local_processes import free_port, running
from caremarket.core.money import to_pence
from caremarket.events import delivery
from caremarket.events.models import Subscriber
from caremarket.events.subscribers import new_secret
from caremarket.geography.models import Area
from caremarket.organisations.models import Organisation
from caremarket.packages.services import create_package
from caremarket.payments import runs
from caremarket.payments.models import PaymentRun
from caremarket.payments.tests.conftest import calendar  # noqa: F401 (fixture)
from caremarket.periods.models import PaymentPeriod
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.services.requirements import new_requirement
from caremarket.tendering.tests.conftest import approved_provider, broker, offer_from  # noqa: F401
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.web.browser_testing import sign_in as browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]
REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture
def stand_in(live_server, make_user, council):
    port, secret = free_port(), new_secret()
    sender = make_user(Role.SOCIAL_WORKER, council, "crs.integration@council.test")
    Subscriber.objects.create(name="Client record system", url=f"http://127.0.0.1:{port}/webhooks", secret=secret,
                              kinds=["requirement.raised", "package.started"], personal_data=True)
    command = [sys.executable, "-m", "standin.client_record_system", "--port", str(port), "--caremarket",
               live_server.url, "--token", ApiToken.issue(sender, "client record system")[1], "--secret", secret]
    with running(command, port, cwd=REPOSITORY):
        yield f"http://127.0.0.1:{port}/"


def test_an_assessment_sent_in_becomes_care_and_the_client_record_system_hears_of_it(
        page, stand_in, broker, provider):  # noqa: F811
    page.goto(stand_in)
    page.get_by_role("button", name="Send people and assessments to Caremarket").click()
    assert "'created': 2" in page.locator("#sent").inner_text()
    assessment = Assessment.objects.get(source_id="MOS-A-5501")
    assert Citizen.objects.get(reference="MOS-100201").nhs_number == "9434765919"
    page.get_by_role("button", name="Send people and assessments to Caremarket").click()
    assert "'unchanged': 2" in page.locator("#sent").inner_text()  # sent twice: nothing changes

    with transaction.atomic():
        requirement = new_requirement(
            assessment, broker, need_groups=[], service_type=assessment.service_type,
            area=Area.objects.get(code="north"), eligible_needs=assessment.eligible_needs,
            outcomes=assessment.outcomes, weekly_hours=Decimal("10.5"), start_on=dt.date(2026, 12, 14))
        create_package(requirement, broker, organisation=provider, location=provider.locations.first(),
                       route="micro_tender", weekly_price_pence=26250, start_on=dt.date(2026, 12, 14))
    assert delivery.deliver_due() == 2  # what the delivering worker does
    page.reload()
    heard = page.locator("#events").inner_text()
    assert "requirement.raised" in heard and "package.started" in heard and requirement.reference in heard


PASSWORD = "a long test password"


def _sign_in(page, username):
    browser_sign_in(page, username, PASSWORD, fresh=True)


def test_the_broker_raises_and_awards_in_the_browser_the_stand_in_hears_and_finance_posts_and_downloads_the_ledger(
        page, stand_in, make_user, council, calendar):  # noqa: F811
    broker = make_user(Role.BROKERAGE_OFFICER, council, username="bola@council.example", password=PASSWORD)
    finance = make_user(Role.FINANCE_OFFICER, council, username="fran@council.example", password=PASSWORD)
    home = approved_provider("Elmfield House", "1-400000001", service="residential-care", area=None, need="dementia")
    Organisation.objects.filter(pk=home.pk).update(supplier_number="SUP-1001")
    clock.set_time(dt.datetime(2026, 12, 2, 9, 0, tzinfo=clock.LONDON))  # after the assessments were made
    try:
        page.goto(stand_in)
        page.get_by_role("button", name="Send people and assessments to Caremarket").click()
        assert "'created': 2" in page.locator("#sent").inner_text()

        _sign_in(page, broker.username)
        page.get_by_role("link", name="Brokerage").first.click()
        page.get_by_role("link", name="Raise a care requirement").click()
        page.get_by_label("Assessment", exact=True).fill("Oyel")
        page.get_by_role("option", name="Harold Oyelaran").first.click()
        page.get_by_label("Dementia").check()  # the area comes from the ward the client record system sent
        page.get_by_label("Eligible needs", exact=True).fill("24-hour care and supervision")
        page.get_by_label("Outcomes", exact=True).fill("To be safe and settled")
        fill_date(page, "Date care is needed from", "7", "12", "2026")
        page.get_by_role("button", name="Raise and route").click()
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading.endswith("Out to tender")
        requirement = CareRequirement.objects.get(reference=heading.split(":")[0])
        assert requirement.assessment.source_id == "MOS-A-5502"

        offer_from(requirement.tenders.get(), home, make_user(Role.PROVIDER_ADMIN, home))
        clock.advance(dt.timedelta(hours=48, minutes=1))
        page.get_by_role("link", name="Brokerage").first.click()
        page.get_by_role("link", name=requirement.reference).click()
        page.get_by_role("button", name="Check and award to the winning offer").click()
        assert "Only one provider made an offer" in page.locator(".govuk-warning-text").inner_text()
        page.get_by_label("I have read the warnings and want to go ahead").check()
        page.get_by_role("button", name="Award the care package").click()
        assert "Awarded to Elmfield House" in page.locator(".govuk-notification-banner").inner_text()

        assert delivery.deliver_due() >= 2  # the delivering worker's turn
        page.goto(stand_in)
        heard = page.locator("#events").inner_text()
        assert "package.started" in heard and requirement.package.reference in heard

        period = PaymentPeriod.objects.get(start_date__lte=dt.date(2026, 12, 7), end_date__gte=dt.date(2026, 12, 7))
        clock.set_time(dt.datetime.combine(period.end_date + dt.timedelta(days=1), dt.time(9), tzinfo=clock.LONDON))
        runs.run_period(period, finance)
        _sign_in(page, finance.username)
        page.goto(f"/payments/periods/{period.pk}/")
        page.get_by_role("button", name="Check and post the run").click()
        page.get_by_role("button", name="Post the run").click()
        assert "run is posted" in page.locator(".govuk-notification-banner").inner_text()
        page.get_by_role("link", name="Ledger files for the finance system").click()
        assert "The files add up to the run, to the penny." in page.content()
        assert accessibility_violations(page) == []
        run_total = runs.totals(PaymentRun.objects.get(period=period)).amount_pence
        for link, amount_column in (("creditor-payments", "amount"), ("journal", "debit")):
            with page.expect_download() as downloading:
                page.locator(f"a[href$='{link}.csv']").click()
            rows = list(csv.DictReader(open(downloading.value.path(), newline="", encoding="utf-8")))
            assert sum(to_pence(row[amount_column] or "0") for row in rows) == run_total > 0
    finally:
        clock.set_time(None)
