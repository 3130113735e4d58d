"""Two councils on one install, each with its own payment calendar: each council's run pays only
its own packages and payments due, each council's finance sees and runs only its own periods,
and a provider working for both sees both calendars, each labelled with its council."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Citizen
from caremarket.core import clock
from caremarket.payments import runs
from caremarket.payments.models import PaymentDue, PaymentRun
from caremarket.periods.models import FinancialYear, PaymentPeriod
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.periods.tasks import draft_next_payment_calendar

from .conftest import make_package


@pytest.fixture
def councils(council, neighbour, make_user, care_home):
    """Each council: its finance officer, its calendar, a citizen in one of the provider's homes."""
    found = {}
    for number, owner in enumerate((council, neighbour), start=1):
        finance = make_user(Role.FINANCE_OFFICER, owner, username=f"finance{number}@council.test")
        broker = make_user(Role.BROKERAGE_OFFICER, owner, username=f"broker{number}@council.test")
        year = publish_year(draft_year(2026, finance), finance)
        citizen = Citizen.objects.create(council=owner, reference="CM0000001", given_name=f"Person{number}",
                                         family_name="Example", date_of_birth=dt.date(1940, 1, 1),
                                         address="1 High Street", postcode="B23 6SD")
        package = make_package(citizen, care_home, broker, weekly_price_pence=80000 + number * 1000,
                               reference=f"CR-00000{number}")
        period = year.periods.get(number=7)
        found[owner.pk] = {"finance": finance, "package": package, "period": period}
    PaymentDue.objects.create(council=neighbour, reference="DUE-1", organisation=care_home, service="Vouchers",
                              due_on=dt.date(2026, 9, 30), amount_pence=5000, reason="Time for Me vouchers",
                              decided_at=clock.now())
    return found


def test_each_council_keeps_its_own_calendar_from_one_draft_rule(councils, council, neighbour):
    assert FinancialYear.objects.filter(start_year=2026).count() == 2
    for owner in (council, neighbour):
        assert PaymentPeriod.objects.filter(council=owner, financial_year__start_year=2026).count() == 13
        assert councils[owner.pk]["period"].council_id == owner.pk


def test_each_councils_run_pays_only_its_own_packages_and_payments_due(councils, council, neighbour):
    for owner, others in ((council, neighbour), (neighbour, council)):
        mine = councils[owner.pk]
        run = runs.run_period(mine["period"], mine["finance"])
        assert run.council_id == owner.pk
        paid = set(run.lines.values_list("package__reference", flat=True))
        assert paid - {None} == {mine["package"].reference}
        assert set(run.lines.values_list("council", flat=True)) == {owner.pk}
        dues = list(run.lines.filter(due__isnull=False).values_list("due__reference", flat=True))
        assert dues == (["DUE-1"] if owner == neighbour else [])
    assert PaymentRun.objects.count() == 2


def test_a_councils_finance_sees_and_runs_only_its_own_periods(councils, council, neighbour, signed_in):
    ours, theirs = councils[council.pk], councils[neighbour.pk]
    finance = signed_in(ours["finance"])
    assert finance.get(f"/payments/periods/{ours['period'].pk}/").status_code == 200
    assert finance.get(f"/payments/periods/{theirs['period'].pk}/").status_code == 404
    assert finance.post(f"/payments/periods/{theirs['period'].pk}/run/").status_code == 404
    assert not PaymentRun.objects.exists()
    calendar = finance.get("/payment-calendar/").content.decode()
    assert "Sandwell" not in calendar and calendar.count("2026/27") == 1


def test_a_provider_working_for_both_sees_both_calendars_each_labelled(councils, care_home, signed_in):
    admin = signed_in(care_home.people.first())
    calendar = admin.get("/payment-calendar/").content.decode()
    assert "Sandwell Council: 2026/27" in calendar and "Test City Council: 2026/27" in calendar


def test_next_years_calendar_is_drafted_for_every_council_that_has_none(councils, council, neighbour):
    with clock.frozen(dt.datetime(2027, 1, 5, 3, 0, tzinfo=clock.LONDON)):
        assert draft_next_payment_calendar.call() == "drafted"
        assert draft_next_payment_calendar.call() == "already drafted"
    assert set(FinancialYear.objects.filter(start_year=2027).values_list("council", flat=True)) == {
        council.pk, neighbour.pk}


def test_a_provider_sees_its_packages_and_invoices_from_both_councils_labelled_and_filterable(
        councils, council, neighbour, care_home, signed_in):
    from caremarket.payments.models import Invoice

    for owner in (council, neighbour):
        Invoice.objects.create(reference="INV-000001-2026-P07", organisation=care_home,
                               period=councils[owner.pk]["period"], status=Invoice.Status.RECEIVED,
                               received_at=clock.now(), due_on=dt.date(2026, 11, 20))
    admin = signed_in(care_home.people.first())
    packages = admin.get("/care-packages/").content.decode()
    assert "CP-000001" in packages and "CP-000002" in packages
    assert "Sandwell Council" in packages and "Test City Council" in packages
    only_theirs = admin.get("/care-packages/", {"council": neighbour.pk}).content.decode()
    assert "CP-000002" in only_theirs and "CP-000001" not in only_theirs
    invoices = admin.get("/payments/invoices/").content.decode()
    assert "Sandwell Council: 2026/27 period 7" in invoices and "Test City Council: 2026/27 period 7" in invoices
    assert admin.get("/payments/invoices/", {"council": council.pk}).content.decode().count("INV-000001-2026-P07") == 1
    # Council staff have no council filter: they see their own council's alone.
    finance = signed_in(councils[council.pk]["finance"])
    assert "Sandwell" not in finance.get("/care-packages/").content.decode()
    assert finance.get("/payments/invoices/", {"status": ""}).content.decode().count("INV-000001-2026-P07") == 1
