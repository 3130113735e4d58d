"""The payments API: visits sent as a batch (by the provider or the council's feed), invoices
with their due dates, queries answered, and remittance advice."""

import datetime as dt

import pytest

from caremarket.accounts.models import ApiToken
from caremarket.core import clock
from caremarket.payments import runs
from caremarket.payments.models import Visit


def _visit(visit_id, day, actual=True, package="CP-000777", carers=1):
    times = {"actual_start": f"2026-10-{day} 08:00", "actual_end": f"2026-10-{day} 08:30"} if actual else {}
    return {"visit_id": visit_id, "package": package, "planned_start": f"2026-10-{day} 08:00",
            "planned_end": f"2026-10-{day} 08:30", "carers": carers, **times}


@pytest.fixture
def provider_api(client, home_care):
    _, token = ApiToken.issue(home_care.people.first(), "Call monitoring")
    return lambda method, path, body=None: getattr(client, method)(
        f"/api/payments{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_batch_is_checked_visit_by_visit_and_the_valid_ones_kept(calendar, hourly_package, provider_api):
    batch = {"period_id": calendar[8].pk, "visits": [_visit("A1", 14), _visit("A2", 15, actual=False),
                                                    _visit("A1", 16), _visit("A4", 17, package="CP-404"),
                                                    _visit("A5", 18, carers=9)]}
    refused = provider_api("post", "/visits", {**batch, "keep_valid_rows": False}).json()
    assert refused["status"] == "refused" and not Visit.objects.exists()
    assert [(e["row"], e["column"]) for e in refused["errors"]] == [(3, "visit_id"), (4, "package"), (5, "carers")]
    kept = provider_api("post", "/visits", batch).json()
    assert (kept["status"], kept["stored"], kept["invoice"]) == ("stored", 2, "INV-%06d-2026-P08" % hourly_package
                                                                 .organisation_id)
    again = provider_api("post", "/visits", {"period_id": calendar[8].pk, "visits": [_visit("A1", 14)]}).json()
    assert "already recorded" in again["errors"][0]["message"]  # a visit is never stored twice


def test_bad_json_and_a_missing_period_say_where(calendar, hourly_package, provider_api):
    missing = provider_api("post", "/visits", {"visits": []})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.period_id"
    unknown = provider_api("post", "/visits", {"period_id": 99999, "visits": []})
    assert unknown.json()["errors"] == [{"field": "body.period_id",
                                         "message": "There is no published payment period with this id"}]


def test_a_provider_cannot_send_as_the_council_feed(calendar, hourly_package, provider_api, home_care):
    response = provider_api("post", "/visits", {"period_id": calendar[8].pk, "organisation_id": home_care.pk,
                                                "visits": [_visit("A1", 14)]})
    assert response.status_code == 403 and not Visit.objects.exists()


def test_the_councils_feed_sends_visits_for_a_provider(calendar, hourly_package, home_care, finance, signed_in):
    response = signed_in(finance).post("/api/payments/visits", {
        "period_id": calendar[8].pk, "organisation_id": home_care.pk, "visits": [_visit("F1", 14)]},
        content_type="application/json")
    assert response.json()["stored"] == 1 and Visit.objects.get().organisation == home_care


def test_invoices_queries_and_remittances(calendar, hourly_package, provider_api, finance):
    provider_api("post", "/visits", {"period_id": calendar[8].pk, "visits": [_visit("A1", 14),
                                                                            _visit("A2", 15, actual=False)]})
    invoice = provider_api("get", "/invoices").json()[0]
    assert (invoice["status"], invoice["payable_pence"], invoice["due_on"]) == ("draft", 1125, None)
    with clock.frozen(dt.datetime(2026, 11, 12, 9, 0, tzinfo=clock.LONDON)):
        submitted = provider_api("post", f"/invoices/{invoice['id']}/submit").json()
    assert (submitted["status"], submitted["due_on"]) == ("received", "2026-12-10")
    query = provider_api("get", "/queries?status=open").json()[0]
    assert query["visit_id"] == "A2" and "not" in query["reason"]
    empty = provider_api("post", f"/queries/{query['id']}/answer", {"answer": " "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body.answer"
    answered = provider_api("post", f"/queries/{query['id']}/answer", {"answer": "Delivered", "claimed_minutes": 30})
    assert answered.json()["status"] == "answered"
    run = runs.run_period(calendar[8], finance)
    assert provider_api("get", "/remittances").json() == []  # a draft is not yet theirs to see
    runs.post_run(run, finance)
    advice = provider_api("get", "/remittances").json()[0]
    assert (advice["run"], advice["payment_date"], advice["total_pence"]) == ("2026/27-P08", "2026-11-17", 1125)
    assert advice["lines"][0]["invoice"] == invoice["reference"]
