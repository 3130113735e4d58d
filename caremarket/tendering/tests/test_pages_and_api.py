"""The pages and API for placing care: what each side sees, and bad input."""

import datetime as dt

import pytest
from django.core import mail

from caremarket.accounts.models import User
from caremarket.citizens.models import Citizen
from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.reference.models import NeedGroup, ServiceType
from caremarket.tendering import notices, services
from caremarket.tendering.models import CareRequirement, Offer

from .conftest import IDENTIFYING, assessment_for, offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _shows_identity(text: str) -> list[str]:
    return [secret for secret in IDENTIFYING if secret in text]


def test_no_identifying_detail_reaches_a_provider_through_any_page_api_or_email(citizen, broker, home_market,
                                                                                signed_in, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    requirement = raise_home_support(citizen, broker, preferences="Prefers female carers")
    tender = requirement.tenders.get()
    gold = home_market["gold"]
    offer_from(tender, gold)
    notices.invitations(tender)
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    package = services.award(requirement, broker)
    notices.outcomes(package)
    assert mail.outbox, "emails were sent"
    for message in mail.outbox:
        assert _shows_identity(message.subject + message.body) == []

    for organisation in (gold, home_market["silver"]):
        client = signed_in(organisation.people.first())
        pages = ["/opportunities/", f"/opportunities/{tender.pk}/", "/care-packages/", "/api/tendering/opportunities",
                 f"/api/tendering/opportunities/{tender.pk}", "/"]
        if organisation == gold:
            pages += [f"/care-packages/{package.pk}/", f"/api/tendering/care-packages/{package.pk}"]
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            assert _shows_identity(response.content.decode()) == [], path
        shown = client.get(f"/api/tendering/opportunities/{tender.pk}").json()["requirement"]
        assert shown["age_band"] == "85 and over" and shown["preferences"] == "Prefers female carers"


def test_the_broker_sees_the_citizen_and_offers_stay_sealed_until_the_deadline(citizen, broker, home_market,
                                                                               signed_in):
    requirement = raise_home_support(citizen, broker)
    offer_from(requirement.tenders.get(), home_market["gold"])
    client = signed_in(broker)
    page = client.get(f"/brokerage/{requirement.pk}/").content.decode()
    assert "Zebedee Quigglesworth" in page and "sealed until it closes" in page
    assert "Goldcrest" not in page and "£236.25" not in page
    clock.advance(dt.timedelta(hours=48))
    page = client.get(f"/brokerage/{requirement.pk}/").content.decode()  # the deadline passed: it closes
    assert "Goldcrest Care wins: the highest rating (Gold)" in page and "£236.25" in page
    response = client.post(f"/brokerage/{requirement.pk}/award/", {"acknowledge": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/care-packages/")
    assert CareRequirement.objects.get(pk=requirement.pk).status == "awarded"
    queue = client.get("/brokerage/?status=awarded").content.decode()
    assert requirement.reference in queue


def test_raising_a_requirement_with_missing_details_names_each_field_and_stores_nothing(citizen, broker,
                                                                                         signed_in):
    assessment = assessment_for(citizen, "home-support")
    response = signed_in(broker).post("/brokerage/raise/", {
        "assessment": assessment.pk, "service_type": ServiceType.objects.get(code="home-support").pk,
        "area": Area.objects.get(code="north").pk, "need_groups": [NeedGroup.objects.first().pk],
        "eligible_needs": "Help", "outcomes": "Home", "start_on": "31/02/2026", "urgency": "standard"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The date care is needed from must be a real date, like 30 11 2026" in page
    assert "Enter the hours of care a week for home support" in page
    assert not CareRequirement.objects.exists()


def test_raising_from_the_form_routes_and_tenders(citizen, broker, home_market, signed_in):
    assessment = assessment_for(citizen, "home-support")
    response = signed_in(broker).post("/brokerage/raise/", {
        "assessment": assessment.pk, "service_type": ServiceType.objects.get(code="home-support").pk,
        "area": Area.objects.get(code="north").pk, "need_groups": [NeedGroup.objects.first().pk],
        "eligible_needs": "Help", "outcomes": "Home", "weekly_hours": "7", "start_on": "30/11/2026",
        "urgency": "urgent"})
    requirement = CareRequirement.objects.get()
    assert response["Location"] == f"/brokerage/{requirement.pk}/"
    assert requirement.tenders.get().invitations.count() == 2


def test_the_service_and_area_come_from_the_assessment_and_medically_fit_is_a_date_and_a_time(
        citizen, broker, home_market, signed_in):
    from caremarket.geography.models import Ward

    ward = Ward.objects.filter(area__code="north").first()
    Citizen.objects.filter(pk=citizen.pk).update(ward=ward)
    assessment = assessment_for(citizen, "quick-discharge")
    form = {"assessment": assessment.pk, "need_groups": [NeedGroup.objects.first().pk], "eligible_needs": "Help",
            "outcomes": "Home", "weekly_hours": "14", "start_on": "30/11/2026", "urgency": "urgent",
            "medically_fit_on-day": "24", "medically_fit_on-month": "11", "medically_fit_on-year": "2026"}
    client = signed_in(broker)
    page = client.post("/brokerage/raise/", form).content.decode()
    assert "Enter the time the citizen is medically fit to leave hospital" in page
    assert not CareRequirement.objects.exists()
    client.post("/brokerage/raise/", {**form, "medically_fit_time": "14:30"})
    requirement = CareRequirement.objects.get()
    assert (requirement.service_type.code, requirement.area) == ("quick-discharge", ward.area)
    assert clock.local(requirement.medically_fit_at).strftime("%d/%m/%Y %H:%M") == "24/11/2026 14:30"
    raise_page = client.get("/brokerage/raise/").content.decode()
    assert 'name="need_groups" type="checkbox"' in raise_page and 'data-autocomplete="true"' in raise_page


def test_raising_the_same_need_twice_links_to_the_live_requirement_and_a_broker_can_cancel_it(
        citizen, broker, home_market, signed_in):
    assessment = assessment_for(citizen, "home-support")
    form = {"assessment": assessment.pk, "service_type": ServiceType.objects.get(code="home-support").pk,
            "area": Area.objects.get(code="north").pk, "need_groups": [NeedGroup.objects.first().pk],
            "eligible_needs": "Help", "outcomes": "Home", "weekly_hours": "7", "start_on": "30/11/2026",
            "urgency": "standard"}
    client = signed_in(broker)
    client.post("/brokerage/raise/", form)
    first = CareRequirement.objects.get()
    again = client.post("/brokerage/raise/", form).content.decode()
    assert f"{first.reference} is already placing this care for this assessment" in again
    assert f'href="/brokerage/{first.pk}/">Open {first.reference}</a>' in again
    assert CareRequirement.objects.count() == 1

    page = client.get(f"/brokerage/{first.pk}/").content.decode()
    assert "Cancel the requirement" in page
    assert "Say why the care is no longer needed" in client.post(f"/brokerage/{first.pk}/cancel/", {"reason": ""},
                                                                  follow=True).content.decode()
    page = client.post(f"/brokerage/{first.pk}/cancel/", {"reason": "Moved to live with family"},
                       follow=True).content.decode()
    assert f"{first.reference}: Cancelled" in page and "Cancelled: Moved to live with family" in page
    assert "Cancel the requirement" not in page
    client.post("/brokerage/raise/", form)
    assert CareRequirement.objects.count() == 2  # the need can be placed again


def test_a_provider_offers_changes_and_is_refused_after_the_deadline_on_the_page(citizen, broker, home_market,
                                                                                  signed_in):
    tender = raise_home_support(citizen, broker).tenders.get()
    gold = home_market["gold"]
    client = signed_in(gold.people.first())
    form = {"location": gold.locations.first().pk, "outcomes_response": "Named carers", "start_on": "30/11/2026"}
    response = client.post(f"/opportunities/{tender.pk}/", form)  # no confirmation ticked
    assert "Confirm that you can meet the needs in the support plan" in response.content.decode()
    assert not Offer.objects.exists()
    response = client.post(f"/opportunities/{tender.pk}/", form | {"confirms_needs": "on"})
    assert response.status_code == 302 and Offer.objects.get().weekly_price_pence == 23625
    clock.advance(dt.timedelta(hours=48, seconds=1))
    response = client.post(f"/opportunities/{tender.pk}/", form | {"confirms_needs": "on",
                                                                  "outcomes_response": "Too late"}, follow=True)
    assert "Offers closed at 09:00 on 25 November 2026: this offer was not accepted" in response.content.decode()
    assert Offer.objects.get().outcomes_response == "Named carers"


def test_the_offer_form_shows_every_mistake_at_once(citizen, broker, home_market, signed_in):
    tender = raise_home_support(citizen, broker).tenders.get()
    client = signed_in(home_market["gold"].people.first())
    page = client.post(f"/opportunities/{tender.pk}/", {
        "location": "", "outcomes_response": " ", "start_on-day": "31", "start_on-month": "2",
        "start_on-year": "2026"}).content.decode()
    summary = page[page.index("govuk-error-summary"):page.index("</ul>", page.index("govuk-error-summary"))]
    for mistake in ("Choose the service that will deliver the care",  # the form's own checks
                    "Confirm that you can meet the needs in the support plan",  # and the offer rules
                    "Say how you will support the citizen&#x27;s outcomes", "The date you can start must be a real date"):
        assert mistake in summary, mistake
    assert summary.count("<li>") == 4 and not Offer.objects.exists()


def test_the_api_takes_an_offer_and_refuses_bad_or_late_ones_clearly(citizen, broker, home_market, signed_in):
    tender = raise_home_support(citizen, broker).tenders.get()
    gold = home_market["gold"]
    client = signed_in(gold.people.first())
    path = f"/api/tendering/opportunities/{tender.pk}/offer"
    body = {"location_id": gold.locations.first().pk, "confirms_needs": False, "outcomes_response": "",
            "start_on": "2026-11-30"}
    response = client.put(path, body, content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.confirms_needs", "body.outcomes_response"}
    response = client.put(path, body | {"confirms_needs": True, "outcomes_response": "Named carers"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["weekly_price_pence"] == 23625
    assert client.put("/api/tendering/opportunities/999999/offer", body,
                      content_type="application/json").status_code == 404  # unknown requirement
    clock.advance(dt.timedelta(hours=49))
    response = client.delete(path)
    assert response.status_code == 409 and "Offers closed at" in response.json()["errors"][0]["message"]


def test_council_only_routes_are_closed_to_providers(home_market, signed_in):
    client = signed_in(User.objects.filter(organisation=home_market["gold"]).get())
    for path in ("/brokerage/", "/brokerage/raise/", "/hand-backs/", "/api/tendering/requirements"):
        assert client.get(path).status_code == 403, path


def test_the_choice_page_shows_the_top_up_before_anything_is_confirmed(citizen, broker, signed_in, make_user):
    from caremarket.packages.models import CarePackage
    from caremarket.quality.ratings import Rating

    from .conftest import approved_provider
    from .test_routing_and_choice import tendered_care_home

    homes = [approved_provider(name, cqc, service="acquired-brain-injury", rating=Rating.GOLD, make_user=make_user)
             for name, cqc in [("Oakfield House", "1-400000001"), ("Elm Court", "1-400000002"),
                               ("Ashgrove", "1-400000003")]]
    requirement, offers = tendered_care_home(citizen, broker, homes, asked_for_more_expensive=True)
    client = signed_in(broker)
    path = f"/brokerage/{requirement.pk}/choice/"
    form = {"offer": offers["Elm Court"].pk, "top_up_payer": "Alan Smith, son"}
    page = client.post(path, form).content.decode()
    # All three are Gold: the council pays the lowest of them (Ashgrove's), the family the rest.
    assert "Council pays £1,100.00 a week; top-up £250.00 a week" in page
    assert "Confirm and award" in page and not CarePackage.objects.exists()
    response = client.post(path, form | {"confirm": "1"})
    package = CarePackage.objects.get()
    assert response["Location"] == f"/care-packages/{package.pk}/"
    assert (package.top_up_pence, package.top_up_payer) == (25000, "Alan Smith, son")
    assert "paid by Alan Smith, son" in client.get(response["Location"]).content.decode()


def test_a_commissioner_hands_back_a_providers_packages_from_the_page(citizen, broker, commissioner, home_market,
                                                                      signed_in):
    from caremarket.packages.models import CarePackage

    requirement = raise_home_support(citizen, broker)
    offer_from(requirement.tenders.get(), home_market["gold"])
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    package = services.award(requirement, broker)
    client = signed_in(commissioner)
    response = client.post("/hand-backs/", {"organisation": home_market["gold"].pk, "reason": ""})
    assert "Say why the packages are handed back" in response.content.decode()
    assert CarePackage.objects.get(pk=package.pk).status == "active"
    chosen = {"organisation": home_market["gold"].pk, "reason": "Leaving the market"}
    check = client.post("/hand-backs/", chosen).content.decode()
    assert "Check the hand-back before you make it" in check and "1 care package of Goldcrest Care" in check
    assert CarePackage.objects.get(pk=package.pk).status == "active"
    assert "Tick the box" in client.post("/hand-backs/", {**chosen, "confirm": "yes"}).content.decode()
    page = client.post("/hand-backs/", {**chosen, "confirm": "yes", "acknowledge": "on"}).content.decode()
    assert "1 package handed back" in page
    assert CarePackage.objects.get(pk=package.pk).status == "handed_back"


def test_urgent_care_past_its_window_comes_first_in_the_queue(citizen, broker, home_market, signed_in):
    older = raise_home_support(citizen, broker)  # standard, raised first: waiting longest
    clock.advance(dt.timedelta(minutes=5))
    CareRequirement.objects.filter(pk=older.pk).update(status=CareRequirement.Status.TENDERING)
    urgent = raise_home_support(citizen, broker, urgency="urgent", service_type=ServiceType.objects.get(
        code="quick-discharge"), medically_fit_at=clock.now(), weekly_hours=14)
    client = signed_in(broker)
    page = client.get("/brokerage/").content.decode()
    assert page.index(older.reference) < page.index(urgent.reference)  # within its window: longest waiting first
    clock.advance(dt.timedelta(hours=5))  # the urgent tender's 4-hour window has passed
    page = client.get("/brokerage/").content.decode()
    assert page.index(urgent.reference) < page.index(older.reference)
