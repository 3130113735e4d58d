"""In a real browser, what slowed people down when every role was walked through: what finance
pays adds up, the most urgent work comes first, care is raised from an assessment found by
typing, people are found by their full name, queries are answered many at a time on a phone,
and a care home sees only what is its own. axe checks every page; no two buttons touch."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.payments import ingest, runs
from caremarket.payments.models import PaymentQuery
from caremarket.payments.tests.conftest import calendar, care_home, finance, home_care, hourly_package  # noqa: F401
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.tests.conftest import assessment_for, broker, citizen  # noqa: F401
from caremarket.web.browser_testing import accessibility_violations, touching_buttons

from .test_journeys import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

NOVEMBER_12 = dt.datetime(2026, 11, 12, 10, 0, tzinfo=clock.LONDON)
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def twelfth_of_november():
    clock.set_time(NOVEMBER_12)
    yield
    clock.set_time(None)


def _looks_right(page) -> None:
    assert accessibility_violations(page) == []
    assert touching_buttons(page) == []


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def _missed(*visit_ids) -> list[dict]:
    return [{"visit_id": visit, "package": "CP-000777", "planned_start": f"2026-10-{14 + n} 08:00",
             "planned_end": f"2026-10-{14 + n} 08:30", "actual_start": "", "actual_end": "", "carers": "1"}
            for n, visit in enumerate(visit_ids)]


def test_finance_reads_a_spend_that_adds_up_with_its_chart_and_downloads_it(  # noqa: F811
        page, calendar, hourly_package, home_care, finance, twelfth_of_november):
    admin = home_care.people.first()
    ingest.store_visits(home_care, calendar[8], [
        {"visit_id": "V1", "package": "CP-000777", "planned_start": "2026-10-14 08:00",
         "planned_end": "2026-10-14 09:00", "actual_start": "2026-10-14 08:00", "actual_end": "2026-10-14 09:00",
         "carers": "1"}], admin, keep_valid_rows=True)
    ingest.submit_invoice(ingest.invoice_for(home_care, calendar[8]), admin)
    runs.post_run(runs.run_period(calendar[8], finance), finance)
    sign_in(page, _with_password(finance).username)
    page.goto("/payments/spend/")
    main = page.locator("main").inner_text()
    assert "£22.50" in main and "pence" not in main
    assert page.locator("#by-service-chart").is_visible()
    _looks_right(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the spend (CSV)").click()
    assert "22.50" in open(download.value.path(), encoding="utf-8").read()
    page.goto(f"/payments/periods/{calendar[1].pk}/")  # before Caremarket's first run
    main = page.locator("main").inner_text()
    assert "Paid outside Caremarket" in main and "Due to be paid" not in main
    assert page.get_by_role("button", name="Start the payment run").count() == 0  # it would pay it twice
    _looks_right(page)


def test_a_broker_sees_urgent_care_past_its_day_first_on_the_dashboard_and_in_the_queue(  # noqa: F811
        page, citizen, broker, twelfth_of_november):
    assessment = assessment_for(citizen, "home-support")
    common = {"assessment": assessment, "citizen": citizen, "service_type": assessment.service_type,
              "area": Area.objects.get(code="north"),
              "eligible_needs": "Help to wash", "outcomes": "To stay at home", "raised_by": broker,
              "raised_at": clock.now() - dt.timedelta(days=3)}
    CareRequirement.objects.create(reference="CR-000001", start_on=dt.date(2026, 11, 30), **common)
    CareRequirement.objects.create(reference="CR-000002", urgency="urgent", start_on=dt.date(2026, 11, 10), **common)
    sign_in(page, _with_password(broker).username)
    first = page.locator(".cm-task").first.inner_text()
    assert first.startswith("Overdue") and "past the day care was needed" in first and "CR-000002" in first
    _looks_right(page)
    page.get_by_role("link", name="See urgent requirements").click()
    assert page.locator("tbody tr").first.inner_text().startswith("CR-000002")
    _looks_right(page)


def test_a_social_worker_finds_a_citizen_by_full_name_and_raises_care_picking_the_assessment_by_typing(  # noqa: F811
        page, citizen, make_user, council):
    worker = make_user(Role.SOCIAL_WORKER, council, password=PASSWORD)
    assessment = assessment_for(citizen, "home-support")
    Assessment.objects.filter(pk=assessment.pk).update(status="awaiting_service")
    sign_in(page, worker.username)
    page.goto("/citizens/")
    page.get_by_label("Name or council record number").fill(f"{citizen.given_name} {citizen.family_name}")
    page.get_by_role("button", name="Apply filters").click()
    row = page.locator("tbody tr").first.inner_text()
    assert citizen.family_name in row and citizen.postcode in row and "Awaiting a service" in row
    assert row.split("\t")[-1] == str((clock.today() - assessment.assessed_on).days)  # days waiting
    _looks_right(page)
    page.goto("/brokerage/raise/")
    page.locator("#id_assessment").fill(citizen.family_name[:5])  # the accessible-autocomplete box
    page.get_by_role("option").first.click()
    page.locator("#id_assessment").blur()
    assert page.get_by_role("group", name="Needs").get_by_role("checkbox").count() >= 1  # ticked, not typed
    fit = page.get_by_role("group", name="Date medically fit to leave hospital (Quick Discharge)")
    fit.get_by_label("Day", exact=True).fill("1")  # the GOV.UK date boxes, then the time
    page.get_by_label("Time medically fit to leave hospital").fill("25:00")
    _looks_right(page)
    page.get_by_role("button", name="Raise and route").click()
    problems = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the time on the 24-hour clock, like 14:30" in problems
    assert page.locator("#id_assessment").input_value() != ""  # the choice is kept
    _looks_right(page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_provider_ticks_its_payment_queries_and_answers_them_at_once(  # noqa: F811
        viewport, page, calendar, hourly_package, home_care, twelfth_of_november):
    admin = _with_password(home_care.people.first())
    ingest.store_visits(home_care, calendar[8], _missed("M1", "M2", "M3"), admin, keep_valid_rows=True)
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, admin.username)
    page.get_by_role("link", name="Answer them").click()
    _looks_right(page)
    page.get_by_label("Select visit M1").check()
    page.get_by_label("Select visit M3").check()
    page.get_by_label("What happened on the selected visits").fill("The carer's phone failed; the visits took place")
    page.get_by_role("button", name="Answer the selected queries").click()
    assert "2 answers were sent" in page.locator(".govuk-notification-banner").inner_text()
    assert dict(PaymentQuery.objects.values_list("visit__visit_id", "status")) == {
        "M1": "answered", "M2": "open", "M3": "answered"}
    _looks_right(page)
    page.get_by_role("link", name="M2").click()
    assert page.get_by_label("What happened on this visit").is_visible()
    _looks_right(page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_care_home_sees_neither_visit_uploads_nor_spare_home_support_hours(viewport, page, care_home):  # noqa: F811
    admin = _with_password(care_home.people.first())
    if viewport:
        page.set_viewport_size(viewport)
    sign_in(page, admin.username)
    page.goto("/payments/")
    main = page.locator("main").inner_text()
    assert "Send a period's visits" not in main and "visits" not in main.lower().split("payment queries")[0]
    _looks_right(page)
    assert page.goto("/payments/visits/").status == 403
    page.goto("/opportunities/")
    assert "Your spare capacity" not in page.locator("main").inner_text()
    _looks_right(page)
