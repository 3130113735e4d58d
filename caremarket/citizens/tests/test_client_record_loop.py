"""The whole loop on one machine, with the stand-in client record system as its own process: it
sends people and assessments through the real API, Caremarket raises and awards the care, and
the stand-in hears of it by signed webhook, shown on its own page in the browser."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core.local_processes import free_port, running
from caremarket.events import delivery
from caremarket.events.models import Subscriber
from caremarket.events.subscribers import new_secret
from caremarket.geography.models import Area
from caremarket.packages.services import create_package
from caremarket.tendering.services.requirements import new_requirement
from caremarket.tendering.tests.conftest import broker  # noqa: F401 (fixture)

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
