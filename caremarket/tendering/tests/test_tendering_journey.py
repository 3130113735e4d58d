"""In a real browser: a brokerage officer raises a requirement, two providers offer, the
deadline passes, the package is awarded, and both providers see the outcome."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.quality.ratings import Rating
from caremarket.web.browser_testing import accessibility_violations, fill_date
from caremarket.web.browser_testing import sign_in as browser_sign_in

from .conftest import MONDAY_9AM, approved_provider, assessment_for

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]
PASSWORD = "a long test password"


def sign_in(page, username):
    browser_sign_in(page, username, PASSWORD, fresh=True)


def offer(page, reference, outcomes):
    page.get_by_role("link", name="Opportunities").first.click()
    page.get_by_role("link", name=reference).click()
    assert accessibility_violations(page) == []
    page.get_by_label("We can meet the needs in the support plan").check()
    page.get_by_label("How you will support the citizen's outcomes").fill(outcomes)
    fill_date(page, "Date you can start", "30", "November", "2026")
    page.get_by_role("button", name="Submit offer").click()
    assert "Your offer is saved" in page.locator(".govuk-notification-banner").inner_text()


def test_a_package_is_raised_offered_for_and_awarded_and_both_providers_see_the_outcome(page, make_user, council,
                                                                                        citizen):
    broker = make_user(Role.BROKERAGE_OFFICER, council, username="bola@council.example", password=PASSWORD)
    gold = approved_provider("Goldcrest Care", "1-300000001", rating=Rating.GOLD)
    silver = approved_provider("Silverbirch Care", "1-300000002", rating=Rating.SILVER)
    gold_admin = make_user(Role.PROVIDER_ADMIN, gold, username="gold@provider.example", password=PASSWORD)
    silver_admin = make_user(Role.PROVIDER_ADMIN, silver, username="silver@provider.example", password=PASSWORD)
    assessment = assessment_for(citizen, "home-support")
    Assessment.objects.filter(pk=assessment.pk).update(status="awaiting_service")

    clock.set_time(MONDAY_9AM)
    try:
        sign_in(page, broker.username)
        page.get_by_role("link", name="Brokerage").first.click()
        page.get_by_role("link", name="Raise a care requirement").click()
        assert accessibility_violations(page) == []
        chooser = page.get_by_label("Assessment", exact=True)  # found by typing (accessible-autocomplete)
        chooser.fill("Quigg")
        page.get_by_role("option", name="Zebedee Quigglesworth").first.click()
        # The service comes from the assessment; the citizen has no ward on record, so the area is chosen.
        page.get_by_label("Area", exact=True).select_option(label="North")
        page.get_by_label("Older people").check()
        page.get_by_label("Eligible needs", exact=True).fill("Help to wash and dress each morning")
        page.get_by_label("Outcomes", exact=True).fill("To stay living at home")
        page.get_by_label("Hours of care a week").fill("10.5")
        fill_date(page, "Date care is needed from", "30", "11", "2026")
        page.get_by_label("Urgent (hospital discharge or crisis)").check()
        page.get_by_role("button", name="Raise and route").click()
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading.endswith("Out to tender")
        reference = heading.split(":")[0]
        assert accessibility_violations(page) == []

        sign_in(page, gold_admin.username)
        offer(page, reference, "Two named carers who know the area")
        sign_in(page, silver_admin.username)
        offer(page, reference, "A key worker and weekly check-in calls")
        assert "Zebedee" not in page.content() and "BCC-778899" not in page.content()

        clock.advance(dt.timedelta(hours=4, minutes=1))  # an urgent tender closes after 4 hours
        sign_in(page, broker.username)
        page.get_by_role("link", name="Brokerage").first.click()
        page.get_by_role("link", name=reference).click()
        assert "Goldcrest Care wins: the highest rating (Gold)" in page.content()
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Check and award to the winning offer").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Check the award before you make it"
        assert "Goldcrest Care" in page.locator(".govuk-summary-list").inner_text()
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Award the care package").click()
        assert "Awarded to Goldcrest Care" in page.locator(".govuk-notification-banner").inner_text()
        assert accessibility_violations(page) == []

        sign_in(page, gold_admin.username)
        page.get_by_role("link", name="Opportunities").first.click()
        assert "Awarded to you" in page.locator("table").inner_text()
        sign_in(page, silver_admin.username)
        page.get_by_role("link", name="Opportunities").first.click()
        assert "Awarded to another provider" in page.locator("table").inner_text()
        page.get_by_role("link", name=reference).click()
        assert "Awarded to another provider" in page.locator("#outcome").inner_text()
        assert accessibility_violations(page) == []
    finally:
        clock.set_time(None)


def test_an_award_on_a_single_offer_is_warned_of_and_acknowledged_before_it_is_made(page, make_user, council,
                                                                                    citizen):
    from decimal import Decimal

    from caremarket.geography.models import Area
    from caremarket.reference.models import NeedGroup, ServiceType
    from caremarket.tendering import services

    broker = make_user(Role.BROKERAGE_OFFICER, council, username="bola@council.example", password=PASSWORD)
    gold = approved_provider("Goldcrest Care", "1-300000001", rating=Rating.GOLD)
    approved_provider("Silverbirch Care", "1-300000002", rating=Rating.SILVER)  # asked, but does not offer
    gold_admin = make_user(Role.PROVIDER_ADMIN, gold, username="gold@provider.example", password=PASSWORD)
    clock.set_time(MONDAY_9AM)
    try:
        requirement = services.raise_requirement(
            assessment_for(citizen, "home-support"), broker, need_groups=[NeedGroup.objects.get(code="older-people")],
            service_type=ServiceType.objects.get(code="home-support"), area=Area.objects.get(code="north"),
            eligible_needs="Help to wash and dress", outcomes="To stay at home", weekly_hours=Decimal("10.5"),
            start_on=dt.date(2026, 11, 30), urgency="urgent")
        sign_in(page, gold_admin.username)
        offer(page, requirement.reference, "Two named carers who know the area")
        clock.advance(dt.timedelta(hours=4, minutes=1))

        sign_in(page, broker.username)
        page.goto(f"/brokerage/{requirement.pk}/")
        page.get_by_role("button", name="Check and award to the winning offer").click()
        assert "Only one provider made an offer" in page.locator(".govuk-warning-text").inner_text()
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Award the care package").click()
        assert "Tick the box to confirm" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("I have read the warnings and want to go ahead").check()
        page.get_by_role("button", name="Award the care package").click()
        assert "Awarded to Goldcrest Care" in page.locator(".govuk-notification-banner").inner_text()
    finally:
        clock.set_time(None)


def test_under_the_2012_rule_the_broker_scores_each_response_then_awards(page, make_user, council, citizen):
    from decimal import Decimal

    from caremarket.geography.models import Area
    from caremarket.reference.models import NeedGroup, ServiceType
    from caremarket.tendering import services
    from caremarket.tendering.models import TenderPolicy

    TenderPolicy.objects.filter(service_type__code="home-support").update(rule=TenderPolicy.Rule.PROSPECTUS_2012)
    broker = make_user(Role.BROKERAGE_OFFICER, council, username="bola@council.example", password=PASSWORD)
    gold = approved_provider("Goldcrest Care", "1-300000001", rating=Rating.GOLD)
    silver = approved_provider("Silverbirch Care", "1-300000002", rating=Rating.SILVER)
    clock.set_time(MONDAY_9AM)
    try:
        requirement = services.raise_requirement(
            assessment_for(citizen, "home-support"), broker, need_groups=[NeedGroup.objects.get(code="older-people")],
            service_type=ServiceType.objects.get(code="home-support"), area=Area.objects.get(code="north"),
            eligible_needs="Help to wash and dress", outcomes="To cook for himself again", weekly_hours=Decimal("10.5"),
            start_on=dt.date(2026, 11, 30), urgency="urgent")
        tender = requirement.tenders.get()
        for provider, response in ((gold, "We will visit."), (silver, "Two named carers who cook with him")):
            services.submit_offer(tender, provider, broker, location=provider.locations.first(), confirms_needs=True,
                                  outcomes_response=response, start_on=dt.date(2026, 11, 30))
        clock.advance(dt.timedelta(hours=4, minutes=1))

        sign_in(page, broker.username)
        page.goto(f"/brokerage/{requirement.pk}/")
        page.get_by_role("button", name="Score the offers").click()
        assert accessibility_violations(page) == []
        for offer_number, score in ((0, "1: Meets it in part, with serious gaps"),
                                    (1, "4: Meets it fully, with clear evidence")):
            for criterion in ("How the offer meets the citizen's eligible needs",
                              "How the offer supports the citizen's outcomes"):
                page.get_by_role("group", name=criterion).nth(offer_number).get_by_label(score).check()
        page.get_by_role("button", name="Save the scores and evaluate the offers").click()
        summary = page.locator(".govuk-error-summary").inner_text()
        assert "Offer 1: give the reason for the score" in summary
        assert accessibility_violations(page) == []
        for reason in page.get_by_label("Why this score").all():
            reason.fill("As the response reads")
        page.get_by_role("button", name="Save the scores and evaluate the offers").click()
        assert "Silverbirch Care wins with" in page.locator(".govuk-notification-banner").inner_text()
        assert accessibility_violations(page) == []
        page.set_viewport_size({"width": 375, "height": 740})  # the requirement fits a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert accessibility_violations(page) == []
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("button", name="Check and award to the winning offer").click()
        page.get_by_role("button", name="Award the care package").click()
        assert "Awarded to Silverbirch Care" in page.locator(".govuk-notification-banner").inner_text()
    finally:
        clock.set_time(None)
