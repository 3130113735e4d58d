import datetime as dt
from decimal import Decimal

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.management import performance
from caremarket.management.performance import VisitFacts
from caremarket.payments import ingest
from caremarket.payments.tests.conftest import calendar, home_care, hourly_package  # noqa: F401 (fixtures)
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)

TARGETS = {"late": Decimal(5), "missed": Decimal(1), "delivered": Decimal(95), "award_to_start": Decimal(7),
           "hand_backs": Decimal(1)}


def test_a_worked_month_of_visits():
    visits = ([VisitFacts(60, 0, 60)] * 16 + [VisitFacts(60, 16, 45)] * 2 + [VisitFacts(30, 15, 30)]
              + [VisitFacts(30, None, None)])
    found = {r.measure.key: r for r in performance.month(visits, [3, 10, 5], 2, TARGETS)}
    assert found["late"].value == Decimal("10.5") and found["late"].met is False  # 2 of 19 delivered
    assert found["missed"].value == Decimal("5.0") and found["missed"].met is False  # 1 of 20 planned
    assert found["delivered"].value == Decimal("97.3") and found["delivered"].met is True  # 1,080 of 1,110 minutes
    assert found["award_to_start"].value == Decimal("5.0") and found["award_to_start"].met is True
    assert found["hand_backs"].value == 2 and found["hand_backs"].met is False


def test_a_visit_checked_in_and_never_checked_out_is_late_or_not_never_missed_and_has_no_time():
    visits = [VisitFacts(60, 0, 60), VisitFacts(60, 20, None), VisitFacts(60, None, None)]
    found = {r.measure.key: r for r in performance.month(visits, [], 0, TARGETS)}
    assert found["late"].value == Decimal("50.0")  # 1 of the 2 that started
    assert found["missed"].value == Decimal("33.3")  # 1 of 3: the open one is not missed
    assert found["delivered"].value == Decimal("100.0")  # over the one visit whose length is known
    assert found["delivered"].note == "1 visit with a check-in and no check-out left out"
    only_open = {r.measure.key: r for r in performance.month([VisitFacts(60, 0, None)], [], 0, TARGETS)}
    assert only_open["delivered"].value is None and only_open["delivered"].met is None


def test_a_month_with_nothing_to_measure_is_neither_met_nor_missed():
    found = {r.measure.key: r for r in performance.month([], [], 0, TARGETS)}
    assert found["late"].value is None and found["late"].met is None
    assert found["award_to_start"].value is None and found["hand_backs"].met is True


def test_the_provider_sees_its_own_performance_from_its_visits_and_the_council_sees_it_too(
        calendar, hourly_package, home_care, make_user, council, signed_in, other_provider):  # noqa: F811
    period = calendar[8]
    rows = [{"visit_id": f"V{n}", "package": hourly_package.reference, "planned_start": f"2026-10-{n:02d} 08:00",
             "planned_end": f"2026-10-{n:02d} 09:00", "actual_start": "" if n == 20 else
             f"2026-10-{n:02d} {'08:30' if n in (15, 16) else '08:00'}",
             "actual_end": "" if n == 20 else f"2026-10-{n:02d} 09:00", "carers": "1"} for n in range(14, 24)]
    admin = make_user(Role.PROVIDER_ADMIN, home_care)
    ingest.store_visits(home_care, period, rows, admin, keep_valid_rows=True)
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        page = signed_in(admin).get(f"/providers/{home_care.pk}/performance/").content.decode()
        assert "October 2026" in page and "22.2%" in page  # 2 of 9 delivered visits started 30 minutes late
        assert "10.0%" in page  # 1 of 10 missed
        assert signed_in(make_user(Role.FINANCE_OFFICER, council)).get(
            f"/providers/{home_care.pk}/performance/").status_code == 200
        assert signed_in(make_user(Role.PROVIDER_ADMIN, other_provider)).get(
            f"/providers/{home_care.pk}/performance/").status_code == 404


def test_the_performance_page_shows_a_month_with_a_visit_never_checked_out(
        calendar, hourly_package, home_care, make_user, signed_in):  # noqa: F811
    rows = [{"visit_id": f"V{n}", "package": hourly_package.reference, "planned_start": f"2026-10-{n:02d} 08:00",
             "planned_end": f"2026-10-{n:02d} 09:00", "actual_start": f"2026-10-{n:02d} 08:00",
             "actual_end": "" if n == 15 else f"2026-10-{n:02d} 09:00", "carers": "1"} for n in (14, 15, 16)]
    admin = make_user(Role.PROVIDER_ADMIN, home_care)
    ingest.store_visits(home_care, calendar[8], rows, admin, keep_valid_rows=True)
    with clock.frozen(dt.datetime(2026, 11, 30, 12, tzinfo=clock.LONDON)):
        response = signed_in(admin).get(f"/providers/{home_care.pk}/performance/")
    assert response.status_code == 200
    assert "1 visit with a check-in and no check-out left out" in response.content.decode()
