"""Changing a package: four eyes, and problems named by field (the rule is packages.changes)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.packages import changes
from caremarket.packages.models import PackageChange
from caremarket.packages.services import decide_change, request_change
from caremarket.payments.tests.conftest import care_home  # noqa: F401 (fixture)
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)

from .conftest import make_package

D = dt.date


@pytest.fixture
def social_worker(make_user, council):
    return make_user(Role.SOCIAL_WORKER, council, username="sw@council.test")


@pytest.fixture
def package(citizen, care_home, broker):  # noqa: F811
    return make_package(citizen, care_home, broker)


def test_the_person_who_asks_for_a_change_cannot_approve_it(package, social_worker):
    change = request_change(package, social_worker, kind="end", effective_from=D(2026, 10, 1),
                            end_cause="moved", reason="Moved to her son's in Leeds")
    with pytest.raises(PermissionDenied):
        decide_change(change, social_worker, approve=True)
    assert PackageChange.objects.get(pk=change.pk).status == "proposed"
    assert AuditEvent.objects.filter(action="package_change.requested").exists()


def test_a_change_says_what_is_wrong_by_field(package, social_worker):
    with pytest.raises(Exception) as problem:
        request_change(package, social_worker, kind="suspension", effective_from=D(2026, 3, 1), reason="")
    assert set(problem.value.message_dict) == {"effective_from", "effective_to", "reason"}
    assert not PackageChange.objects.exists()


@given(effective_from=st.dates(D(2026, 1, 1), D(2027, 12, 31)), kind=st.sampled_from([changes.PRICE, changes.END]))
def test_no_change_applies_before_the_package_started_or_after_it_ended(effective_from, kind):
    found = changes.problems(kind=kind, start_on=D(2026, 4, 1), end_on=D(2027, 3, 31), effective_from=effective_from,
                             effective_to=None, weekly_hours=None, weekly_price_pence=50000, hourly_rate_pence=None,
                             end_cause="death", end_causes=["death"], reason="Reviewed")
    assert ("effective_from" in found) == (not D(2026, 4, 1) <= effective_from <= D(2027, 3, 31))
