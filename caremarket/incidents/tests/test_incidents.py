import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.incidents import rules
from caremarket.incidents.models import Incident
from caremarket.quality.models import FocussedInspectionRequest, Intelligence

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def frozen():
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        yield


@pytest.fixture
def people(make_user, council, other_provider):
    return {"quality": make_user(Role.QUALITY_OFFICER, council), "home": make_user(Role.PROVIDER_ADMIN, other_provider),
            "finance": make_user(Role.FINANCE_OFFICER, council)}


def report(client, location, **changes):
    if "location_pk" in changes:
        location = type(location)(pk=changes.pop("location_pk"))
    form = {"location": location.pk, "kind": "safeguarding", "occurred_on-day": "20", "occurred_on-month": "11",
            "occurred_on-year": "2026", "what_happened": "Unexplained bruising on a resident's arm",
            "immediate_action": "GP called; family told"}
    return client.post("/incidents/report/", {**form, **changes})


def test_a_report_missing_what_it_must_say_is_refused_and_nothing_is_stored(frozen, other_provider, people, signed_in):
    client, location = signed_in(people["home"]), other_provider.locations.get()
    for changes, says in (({"immediate_action": ""}, "Say what was done at once to keep people safe"),
                          ({"what_happened": ""}, "Say what happened"),
                          ({"occurred_on-year": "2027"}, "cannot be in the future"),
                          ({"kind": "safeguarding", "location_pk": "999999"}, "Choose one of the services listed"),
                          ({"kind": ""}, "Choose what kind of report it is")):
        response = report(client, location, **changes)
        assert response.status_code == 200 and says in response.content.decode(), says
    assert not Incident.objects.exists()
    assert rules.report_problems("complaint", TODAY, "Late visits", "", TODAY) == {}


def test_reports_that_stand_count_towards_the_focussed_inspection_trigger(frozen, other_provider, people, signed_in):
    provider, quality = signed_in(people["home"]), signed_in(people["quality"])
    location = other_provider.locations.get()
    for n in range(4):
        assert report(provider, location).status_code == 302
    stands = {"triage-substantiated": "yes", "triage-severity": "high", "triage-notes": "Body map and photos seen",
              "triage": "1"}
    incidents = list(Incident.objects.order_by("pk"))
    quality.post(f"/incidents/{incidents[0].pk}/", {**stands, "triage-substantiated": "no",
                                                    "triage-notes": "Explained by a fall recorded that day"})
    for incident in incidents[1:3]:
        quality.post(f"/incidents/{incident.pk}/", stands)
    assert Intelligence.objects.filter(kind="safeguarding_alert").count() == 2
    assert not FocussedInspectionRequest.objects.filter(location=location).exists()  # the threshold is 3
    quality.post(f"/incidents/{incidents[3].pk}/", stands)
    raised = FocussedInspectionRequest.objects.get(location=location)
    assert "3 safeguarding alerts" in " ".join(raised.reasons)
    closed = Incident.objects.get(pk=incidents[0].pk)
    assert closed.status == "closed" and closed.intelligence is None


def test_a_report_is_closed_with_findings_and_learning(frozen, other_provider, people, signed_in):
    report(signed_in(people["home"]), other_provider.locations.get(), kind="complaint", immediate_action="")
    incident = Incident.objects.get()
    quality = signed_in(people["quality"])
    quality.post(f"/incidents/{incident.pk}/", {"triage-substantiated": "yes", "triage-severity": "low",
                                                "triage-notes": "Three late visits in a week", "triage": "1"})
    refused = quality.post(f"/incidents/{incident.pk}/", {"close-findings": "Rota gap", "close": "1"})
    assert "Record the learning" in refused.content.decode()
    quality.post(f"/incidents/{incident.pk}/", {"close-findings": "Rota gap", "close-learning": "Cover rota agreed",
                                                "close": "1"})
    incident.refresh_from_db()
    assert (incident.status, incident.learning) == ("closed", "Cover rota agreed")
    assert signed_in(people["home"]).post(f"/incidents/{incident.pk}/", {"triage": "1"}).status_code == 403


def test_compliments_never_count_and_finance_does_not_report(frozen, other_provider, people, signed_in):
    assert rules.intelligence_kind("compliment", True) is None
    assert rules.intelligence_kind("serious_incident", True) == "concern"
    assert rules.intelligence_kind("complaint", False) is None
    assert signed_in(people["finance"]).get("/incidents/").status_code == 403


def test_the_quality_teams_home_page_asks_for_reports_to_be_triaged(frozen, other_provider, people, signed_in):
    report(signed_in(people["home"]), other_provider.locations.get())
    page = signed_in(people["quality"]).get("/").content.decode()
    assert "1 report is waiting to be triaged" in page and "safeguarding alert at" in page


def test_a_provider_working_for_two_councils_reports_to_the_one_it_chooses_and_only_its_team_triages(
        frozen, other_provider, people, signed_in, neighbour, make_user):
    client, location = signed_in(people["home"]), other_provider.locations.get()
    page = report(client, location).content.decode()
    assert "Choose the council it is for" in page and not Incident.objects.exists()  # two councils: asked
    assert report(client, location, council=neighbour.pk).status_code == 302
    incident = Incident.objects.get()
    assert incident.council == neighbour
    ours = signed_in(people["quality"])
    assert incident.reference not in ours.get("/incidents/").content.decode()
    assert ours.get(f"/incidents/{incident.pk}/").status_code == 404
    assert ours.post(f"/incidents/{incident.pk}/", {"triage-substantiated": "yes", "triage-severity": "high",
                                                     "triage-notes": "Not ours", "triage": "1"}).status_code == 404
    theirs = signed_in(make_user(Role.QUALITY_OFFICER, neighbour, username="quality@neighbour.test"))
    assert incident.reference in theirs.get("/").content.decode()  # waiting for its own team to triage
    assert Incident.objects.get().status == Incident.Status.REPORTED


def test_council_staff_report_to_their_own_council_whatever_the_form_says(frozen, other_provider, people, signed_in,
                                                                           neighbour):
    page = report(signed_in(people["quality"]), other_provider.locations.get(), council=neighbour.pk)
    assert "Choose one of the councils listed" in page.content.decode() and not Incident.objects.exists()
    assert report(signed_in(people["quality"]), other_provider.locations.get()).status_code == 302
    assert Incident.objects.get().council.name == "Test City Council"
