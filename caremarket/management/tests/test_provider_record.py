"""The provider record: its timeline holds every kind of event, contact is logged with its
actions, and the largest providers get a quarterly review with an agenda from the data."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.incidents.models import Incident
from caremarket.management import reviews, timeline
from caremarket.management.models import Action, ContactEntry, ContractReview, ReviewPolicy
from caremarket.packages.models import PackageChange
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import care_home, home_care  # noqa: F401 (fixtures)
from caremarket.quality.models import Intelligence
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)
from caremarket.organisations.models import AccountManagement

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def frozen():
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        yield TODAY


@pytest.fixture
def people(make_user, council):
    return {"manager": make_user(Role.ACCOUNT_MANAGER, council), "commissioner": make_user(Role.COMMISSIONER, council),
            "social_worker": make_user(Role.SOCIAL_WORKER, council)}


def test_the_timeline_holds_every_kind_of_event_newest_first(frozen, citizen, care_home, broker, people,  # noqa: F811
                                                             council):
    package = make_package(citizen, care_home, broker, weekly_price_pence=90_000, reference="CR-000101")
    location = care_home.locations.first()
    Intelligence.objects.create(location=location, kind="safeguarding_alert", occurred_on=dt.date(2026, 11, 2),
                                description="Bruising noted")
    PackageChange.objects.create(package=package, kind="end", effective_from=dt.date(2026, 11, 20),
                                 end_cause="handed_back", reason="Cannot meet needs", status="approved",
                                 requested_by=broker, requested_at=clock.now())
    Incident.objects.create(reference="INC-000001", location=location, kind="complaint", reported_by=broker,
                            occurred_on=dt.date(2026, 11, 3), what_happened="Late visits", reported_at=clock.now())
    ContactEntry.objects.create(organisation=care_home, kind="monitoring_visit", happened_on=dt.date(2026, 11, 25),
                                summary="Unannounced visit", recorded_by=people["manager"], recorded_at=clock.now())
    found = timeline.timeline(care_home, council.pk, dt.date(2025, 12, 1), TODAY)
    kinds = {e.kind for e in found.entries}
    assert {"quality", "concerns", "packages", "hand_backs", "contact"} <= kinds
    assert [e.on for e in found.entries] == sorted((e.on for e in found.entries), reverse=True)
    assert all(e.href.startswith("/") for e in found.entries)
    only = timeline.timeline(care_home, council.pk, dt.date(2025, 12, 1), TODAY, ["hand_backs"])
    assert [e.title for e in only.entries] == [f"{package.reference} handed back"]
    assert not found.cut_short
    assert "Complaint INC-000001 at" in " ".join(e.title for e in found.entries)


def test_the_largest_providers_are_scheduled_a_quarterly_review_once(frozen, citizen, care_home, home_care, broker,  # noqa: F811
                                                                    people):
    make_package(citizen, care_home, broker, weekly_price_pence=95_000, reference="CR-000201")
    make_package(citizen, home_care, broker, weekly_price_pence=5_000, reference="CR-000202")
    ReviewPolicy.objects.update(market_share=Decimal("0.1"))
    made = reviews.schedule("scheduler")
    assert [r.organisation for r in made] == [care_home]
    review = made[0]
    assert (review.start_year, review.quarter, review.due_on) == (2026, 3, dt.date(2026, 11, 15))
    assert [item["heading"] for item in review.agenda] == ["Quality", "Improvement plans", "Performance and capacity",
                                                           "Concerns and intelligence", "Actions from before"]
    assert "1 care packages in place, £950.00 a week" in review.agenda[2]["lines"][0]
    assert reviews.schedule("scheduler") == []  # run again: nothing new
    assert ContractReview.objects.count() == 1


def test_a_monitoring_visit_with_an_action_shows_on_the_timeline_and_the_next_reviews_agenda(
        frozen, citizen, care_home, broker, people, signed_in):  # noqa: F811
    make_package(citizen, care_home, broker, weekly_price_pence=95_000, reference="CR-000301")
    client = signed_in(people["manager"])
    response = client.post(f"/providers/{care_home.pk}/contact/", {
        "kind": "monitoring_visit", "happened_on-day": "28", "happened_on-month": "11", "happened_on-year": "2026",
        "summary": "Medication audit", "notes": "Two MAR charts incomplete", "action": "Send the MAR policy",
        "action_owner": people["manager"].pk, "action_due_on-day": "14", "action_due_on-month": "12",
        "action_due_on-year": "2026"})
    assert response.status_code == 302
    record = client.get(f"/providers/{care_home.pk}/").content.decode()
    assert "Monitoring visit: Medication audit" in record and "Send the MAR policy" in record
    review = reviews.schedule("scheduler")[0]
    assert any("Send the MAR policy" in line for line in review.agenda[4]["lines"])
    page = client.get(f"/providers/{care_home.pk}/reviews/{review.pk}/").content.decode()
    assert "Send the MAR policy" in page


def test_an_action_without_an_owner_or_date_is_refused_and_nothing_is_logged(
        frozen, care_home, people, signed_in):  # noqa: F811
    response = signed_in(people["manager"]).post(f"/providers/{care_home.pk}/contact/", {
        "kind": "call", "happened_on-day": "28", "happened_on-month": "11", "happened_on-year": "2026",
        "summary": "Rota gaps", "action": "Send the rota"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose who will do the action" in page
    assert "Enter the date the action is due by" in page
    assert not ContactEntry.objects.exists() and not Action.objects.exists()


def test_only_council_staff_who_need_it_open_a_provider_record(
        frozen, care_home, people, signed_in, make_user):  # noqa: F811
    assert signed_in(people["commissioner"]).get(f"/providers/{care_home.pk}/").status_code == 200
    assert signed_in(people["social_worker"]).get(f"/providers/{care_home.pk}/").status_code == 403
    provider_person = make_user(Role.PROVIDER_ADMIN, care_home)
    assert signed_in(provider_person).get(f"/providers/{care_home.pk}/").status_code == 403
    assert signed_in(people["social_worker"]).get(f"/providers/{care_home.pk}/contact/").status_code == 403


def test_the_account_managers_home_page_shows_reviews_to_hold_and_overdue_actions(
        frozen, care_home, people, signed_in):  # noqa: F811
    AccountManagement.objects.create(organisation=care_home, manager=people["manager"])
    ContractReview.objects.create(organisation=care_home, start_year=2026, quarter=3, due_on=dt.date(2026, 11, 15),
                                  market_share=Decimal("0.2"), agenda=[], scheduled_at=clock.now())
    Action.objects.create(organisation=care_home, description="Chase the rota", owner=people["manager"],
                          due_on=dt.date(2026, 11, 1))
    page = signed_in(people["manager"]).get("/").content.decode()
    assert "1 contract review is to hold" in page and "1 action of yours is overdue" in page
    assert "Chase the rota" in page


def test_an_attachment_larger_than_10_mb_is_refused_by_its_size_and_nothing_is_logged(
        frozen, care_home, people, signed_in, settings):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # as in service, a large upload waits on disk, unread
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 " + b"x" * (12 * 1024 * 1024), content_type="application/pdf")
    response = signed_in(people["manager"]).post(f"/providers/{care_home.pk}/contact/", {
        "kind": "letter", "happened_on-day": "28", "happened_on-month": "11", "happened_on-year": "2026",
        "summary": "Warning letter", "file": letter})
    assert response.status_code == 200
    assert "The file is 12.0 MB: the largest taken is 10.0 MB" in response.content.decode()
    assert not ContactEntry.objects.exists()


def test_who_will_do_an_action_is_chosen_by_name_role_and_team(frozen, care_home, people, signed_in):  # noqa: F811
    page = signed_in(people["manager"]).get(f"/providers/{care_home.pk}/contact/").content.decode()
    manager = people["manager"]
    assert f">{manager}, Account manager, {manager.organisation}</option>" in page
