"""An offer is the market's busiest write and the opportunities list its busiest read: each
takes a small fixed number of SQL statements, however many tenders a provider is asked to
(a peer marketplace makes or changes a response in five to seven)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caremarket.accounts.models import ApiToken
from caremarket.citizens.models import Citizen
from caremarket.tendering.models import Offer

from .conftest import raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")
MOST_FOR_AN_OFFER = 8


def _statements(captured) -> list[str]:
    """What the request sent, without the savepoints the test's own transaction adds, nor the
    connection's council setting, which inside that transaction is sent again each time (out of
    one, a provider's request sends none: organisations/tests/test_row_level_security.py)."""
    return [q["sql"] for q in captured
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config('caremarket.council'"))]


@pytest.fixture
def api(home_market):
    _, key = ApiToken.issue(home_market["gold"].people.first(), "the provider's system")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _citizen(n):
    return Citizen.objects.create(reference=f"BCC-9000{n:02d}", given_name="Test", family_name=f"Citizen{n}",
                                  date_of_birth=dt.date(1940, 1, n + 1))


def test_making_and_changing_an_offer_takes_at_most_eight_statements(citizen, broker, home_market, api):
    tender = raise_home_support(citizen, broker).tenders.get()
    path = f"/api/tendering/opportunities/{tender.pk}/offer"
    body = {"location_id": home_market["gold"].locations.first().pk, "confirms_needs": True,
            "outcomes_response": "Named carers", "start_on": "2026-11-30"}
    api.get("/api/tendering/opportunities")  # the token's first use noted, this process's copy of the fees read
    for answer in ("Named carers", "Named carers and a weekly call"):  # made, then changed
        with CaptureQueriesContext(connection) as captured:
            response = api.put(path, body | {"outcomes_response": answer}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert len(_statements(captured)) <= MOST_FOR_AN_OFFER, "\n".join(_statements(captured))
    offer = Offer.objects.get()
    assert offer.outcomes_response == "Named carers and a weekly call" and offer.weekly_price_pence == 23625
    assert offer.submitted_at <= offer.changed_at


def test_the_opportunities_list_takes_the_same_statements_for_one_tender_or_many(citizen, broker, api):
    raise_home_support(citizen, broker)
    api.get("/api/tendering/opportunities")  # the token's first use noted, this process's copy of the fees read
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/tendering/opportunities").json()) == 1
    for n in range(4):
        raise_home_support(_citizen(n), broker)
    with CaptureQueriesContext(connection) as five:
        listed = api.get("/api/tendering/opportunities").json()
    assert len(listed) == 5 and {o["pricing"] for o in listed} == {"fixed_fee"}
    assert len(_statements(five.captured_queries)) == len(_statements(one.captured_queries)) <= 3


def test_a_schedule_published_after_the_copy_was_read_is_used_at_once(citizen, broker, home_market, api):
    from caremarket.fees.models import FeeSchedule

    tender = raise_home_support(citizen, broker).tenders.get()
    before = api.get(f"/api/tendering/opportunities/{tender.pk}").json()["fixed_weekly_price_pence"]
    schedule = FeeSchedule.objects.get(published_at__isnull=False, start_year=2026)
    FeeSchedule.objects.filter(pk=schedule.pk).update(published_at=None)  # as if not yet published ...
    schedule.rates.filter(service_type__code="home-support").update(amount_pence=F("amount_pence") + 100)
    FeeSchedule.objects.filter(pk=schedule.pk).update(published_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    after = api.get(f"/api/tendering/opportunities/{tender.pk}").json()["fixed_weekly_price_pence"]
    assert after > before  # ... then published with a new rate: read afresh, not the old copy
