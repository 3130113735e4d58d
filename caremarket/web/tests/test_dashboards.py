"""Each role's home page lists its work, most urgent first, each task saying which records and
linking to the list filtered to them; a figure that asks nothing of anyone is not shown."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.packages.services import request_change
from caremarket.payments import ingest, queries
from caremarket.payments.models import Invoice, PaymentQuery
from caremarket.payments.tests.conftest import calendar, finance, home_care, hourly_package  # noqa: F401
from caremarket.tendering.models import CareRequirement, Tender
from caremarket.tendering.tests.conftest import assessment_for, broker, citizen  # noqa: F401
from caremarket.core.urgency import OVERDUE, SOON
from caremarket.web.dashboards import tasks_for
from caremarket.organisations.models import AccountManagement

NOVEMBER_12 = dt.datetime(2026, 11, 12, 10, 0, tzinfo=clock.LONDON)
MISSED = [{"visit_id": "M1", "package": "CP-000777", "planned_start": "2026-10-14 08:00",
           "planned_end": "2026-10-14 08:30", "actual_start": "", "actual_end": "", "carers": "1"}]


@pytest.fixture(autouse=True)
def twelfth_of_november():
    with clock.frozen(NOVEMBER_12):
        yield


def _page(client) -> str:
    return client.get("/").content.decode()


def test_a_provider_and_finance_each_see_their_part_of_a_query_an_invoice_and_a_change(  # noqa: F811
        calendar, hourly_package, home_care, finance, broker, signed_in):
    admin = home_care.people.first()
    ingest.store_visits(home_care, calendar[8], MISSED, admin, keep_valid_rows=True)
    ingest.submit_invoice(Invoice.objects.get(), admin)
    provider = _page(signed_in(admin))
    assert "1 payment query is waiting for your answer" in provider
    assert 'href="/payments/queries/?status=open"' in provider

    queries.answer(PaymentQuery.objects.get(), admin, text="The carer was there; the phone failed")
    request_change(hourly_package, broker, kind="suspension", effective_from=dt.date(2026, 11, 20),
                   effective_to=dt.date(2026, 11, 27), reason="In hospital")
    council = _page(signed_in(finance))
    assert "1 invoice is received and not yet paid" in council and "28 days left" in council
    assert "1 payment query has been answered and can be settled" in council
    assert 'href="/payments/queries/?status=answered"' in council
    assert "1 package change is waiting for approval" in council
    assert "Next payment date: Tuesday 17 November 2026, in 5 days" in council
    assert "Audit events" not in council


def test_a_broker_sees_urgent_care_already_late_before_tenders_to_award(citizen, broker, signed_in):  # noqa: F811
    assessment = assessment_for(citizen, "home-support")
    common = {"assessment": assessment, "citizen": citizen, "service_type": assessment.service_type,
              "area_id": 1, "eligible_needs": "Help to wash", "outcomes": "To stay at home", "raised_by": broker,
              "raised_at": clock.now() - dt.timedelta(days=2)}
    ready = CareRequirement.objects.create(reference="CR-000001", status="ready_to_award",
                                           start_on=dt.date(2026, 11, 20), **common)
    Tender.objects.create(requirement=ready, opens_at=clock.now() - dt.timedelta(days=2),
                          closes_at=clock.now() - dt.timedelta(hours=5), status="closed", rule="strategy_2018")
    CareRequirement.objects.create(reference="CR-000002", urgency="urgent", start_on=dt.date(2026, 11, 10),
                                   status="tendering", **{**common, "assessment": assessment_for(citizen, "residential-care")})
    tasks = tasks_for(broker)
    assert [task.title for task in tasks] == ["1 urgent requirement is past the day care was needed",
                                              "1 tender has closed and can be awarded"]
    assert tasks[0].urgency == OVERDUE and tasks[0].items[0].note == "needed from 10 November, 2 days ago"
    assert tasks[1].items[0].note == "offers closed 5 hours ago"
    page = _page(signed_in(broker))
    assert 'href="/brokerage/?status=ready_to_award"' in page and "CR-000001" in page


def test_someone_with_nothing_to_do_is_told_so(make_user, council, signed_in):
    assert "Nothing needs you right now" in _page(signed_in(make_user(Role.SOCIAL_WORKER, council)))


def test_an_account_manager_sees_the_services_of_its_providers_that_need_attention(
        make_user, council, provider, other_provider, signed_in):
    from caremarket.quality.models import FocussedInspectionRequest, ImprovementPlan

    manager = make_user(Role.ACCOUNT_MANAGER, council)
    assert "Nothing needs you right now" in _page(signed_in(manager))
    AccountManagement.objects.create(organisation=provider, manager=manager)
    assert "Nothing needs you for the 1 provider you manage" in _page(signed_in(manager))
    acorn, birchwood = provider.locations.get(), other_provider.locations.get()
    ImprovementPlan.objects.create(location=acorn, required_for=3, opened_on=dt.date(2026, 6, 1),
                                   due_on=dt.date(2026, 11, 1))
    for location in (acorn, birchwood):  # Birchwood is someone else's
        FocussedInspectionRequest.objects.create(location=location, raised_on=dt.date(2026, 11, 2),
                                                 reasons=["3 complaints in 91 days"])
    tasks = tasks_for(manager)
    assert [t.title for t in tasks] == ["1 service you manage has an open improvement plan",
                                        "1 service you manage has an inspection called for"]
    assert tasks[0].urgency == OVERDUE and tasks[0].items[0].note == "due 1 November 2026"
    assert [i.text for i in tasks[1].items] == [f"{acorn.name}, {provider.name}"]


def test_finance_is_told_which_invoices_fall_due_before_the_next_payment_date(
        calendar, home_care, finance):  # noqa: F811
    next_payment = min(p.payment_date for p in calendar.values() if p.payment_date >= NOVEMBER_12.date())
    Invoice.objects.create(reference="INV-EARLY", organisation=home_care, period=calendar[8], status="received",
                           received_at=NOVEMBER_12, due_on=next_payment - dt.timedelta(days=1))
    task = next(t for t in tasks_for(finance) if "not yet paid" in t.title)
    assert task.urgency == SOON
    assert task.items[0].note.endswith(f"due before the next payment date ({next_payment:%-d %B})")


def test_work_that_waits_is_soon_only_as_it_nears_its_expected_time_and_then_overdue(  # noqa: F811
        calendar, hourly_package, finance, broker, signed_in):
    from caremarket.core.urgency import TO_DO

    request_change(hourly_package, broker, kind="suspension", effective_from=dt.date(2026, 11, 20),
                   effective_to=dt.date(2026, 11, 27), reason="In hospital")

    def change_task():
        return next(t for t in tasks_for(finance) if "package change" in t.title)

    assert change_task().urgency == TO_DO  # just asked for: nothing to flag yet
    with clock.frozen(NOVEMBER_12 + dt.timedelta(days=3)):  # approvals are expected within 2 days
        assert change_task().urgency == OVERDUE
        assert "Overdue" in _page(signed_in(finance)).split("package change")[0].rsplit("<h3", 1)[1]
