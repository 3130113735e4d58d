"""Next year's published fees reach the packages from 1 April: fixed fees re-priced, providers
off the contract kept at their fee, visits priced at the rate of their day, and applying again
changes nothing."""

import datetime as dt
from decimal import Decimal

from caremarket.fees import review
from caremarket.fees import services as fees
from caremarket.fees.models import FeeSchedule
from caremarket.framework.models import SectionApproval
from caremarket.packages.models import PackageChange
from caremarket.payments import ingest
from caremarket.payments.new_year import apply_new_year_prices

from .conftest import make_package


def _publish_next_year(actor) -> FeeSchedule:
    current = FeeSchedule.objects.get(start_year=2026)
    shares = {code: Decimal("0.75") for code in current.rates.values_list("service_type__code", flat=True)}
    inputs = review.Inputs(cpi_percent=Decimal("2.8"), cpih_percent=Decimal("3.0"), nlw_change_percent=Decimal("6.7"),
                           pension_ni_percent=Decimal("1.2"), affordability_cap_percent=Decimal("6"),
                           staff_share=shares)
    return fees.publish(fees.run_review(current, inputs, actor), actor)


def test_fixed_fees_move_on_1_april_and_off_contract_providers_keep_theirs(
        calendar, hourly_package, care_home, citizen, broker, finance):
    hourly_package.price_basis = "fixed fee"
    hourly_package.save()
    kept = make_package(citizen, care_home, broker, reference="CR-000778")
    kept.price_basis = "fixed fee"
    kept.save()
    SectionApproval.objects.filter(organisation=care_home).update(status=SectionApproval.Status.REMOVED)
    next_year = _publish_next_year(finance)

    assert apply_new_year_prices(next_year, finance) == 1
    change = PackageChange.objects.get()
    # 0.75 × (6.7% + 1.2%) + 0.25 × 3.0% = 6.675%, capped at 6%: £22.50 → £23.85 an hour, × 10.5 hours
    assert (change.package, change.effective_from, change.status) == (hourly_package, dt.date(2027, 4, 1), "approved")
    assert (change.hourly_rate_pence, change.weekly_price_pence) == (2385, 25043)
    assert change.reason.startswith("The 2027/28 fee schedule")
    assert ingest.hourly_rate_on(hourly_package, dt.date(2027, 3, 31)) == 2250
    assert ingest.hourly_rate_on(hourly_package, dt.date(2027, 4, 1)) == 2385
    assert apply_new_year_prices(next_year, finance) == 0  # applying again changes nothing


def test_finance_applies_the_published_fees_from_the_schedule_page(calendar, hourly_package, finance, signed_in,
                                                                     django_capture_on_commit_callbacks):
    from caremarket.payments.tasks import apply_new_year_prices as task

    hourly_package.price_basis = "fixed fee"
    hourly_package.save()
    _publish_next_year(finance)
    client = signed_in(finance)
    assert "Apply to care packages" in client.get("/fees/2027/").content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/fees/2027/apply/")
    assert len(callbacks) == 1
    assert task.call(2027, finance.pk) == 1
    page = client.get(f"/care-packages/{hourly_package.pk}/changes/").content.decode()
    assert "£250.43 a week" in page and "£23.85 an hour × 10.5 hours" in page
