"""In a real browser: finance checks next year's fees before publishing them, is told what is
unusual (a rate last year had and this year has not), and must say so before they are published."""

from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.fees import review, services
from caremarket.fees.models import FeeRate, FeeSchedule
from caremarket.tendering.tests.test_tendering_journey import PASSWORD, sign_in
from caremarket.web.browser_testing import accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


def test_a_draft_schedule_is_checked_and_its_warning_acknowledged_before_it_is_published(page, make_user, council):
    finance = make_user(Role.FINANCE_OFFICER, council, password=PASSWORD)
    based_on = FeeSchedule.objects.get(start_year=2026)
    shares = {rate.service_type.code: Decimal("0.6") for rate in based_on.rates.exclude(kind=FeeRate.Kind.FNC)}
    services.run_review(based_on, review.Inputs(
        cpi_percent=Decimal("2.8"), cpih_percent=Decimal("3.0"), nlw_change_percent=Decimal("6.7"),
        pension_ni_percent=Decimal("1.2"), affordability_cap_percent=Decimal("6"), staff_share=shares), finance)

    sign_in(page, finance.username)
    page.goto("/fees/2027/")
    page.get_by_role("button", name="Check and publish the 2027/28 fees").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check the 2027/28 fees before you publish them"
    assert "is missing" in page.locator(".govuk-warning-text").inner_text()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Publish the fees").click()
    assert "Tick the box to confirm" in page.locator(".govuk-error-summary").inner_text()
    assert not FeeSchedule.objects.get(start_year=2027).is_published
    page.get_by_label("I have read the warnings and want to go ahead").check()
    page.get_by_role("button", name="Publish the fees").click()
    assert "fee schedule is published" in page.locator(".govuk-notification-banner").inner_text()
    assert FeeSchedule.objects.get(start_year=2027).is_published
