"""Each council's frameworks: a provider applies to several councils' frameworks from one account,
each council decides its own applications and may bar a provider, and a joint framework is
shared only with a council that has agreed to join it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caremarket.accounts.permissions import visible
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Citizen
from caremarket.core import clock
from caremarket.framework import councils, enrolment
from caremarket.framework.models import Application, Barring, Framework, Section, SectionApproval
from caremarket.organisations.models import Organisation
from caremarket.reference.models import ServiceType
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.tests.conftest import raise_home_support

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def sandwell(council):
    """A second council with a framework of its own, for supported living."""
    sandwell = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    framework = Framework.objects.create(council=sandwell, name="Sandwell Care Framework 2026",
                                         starts_on=dt.date(2026, 4, 1), initial_procurement_closes_on=dt.date(2027, 3, 31))
    Section.objects.create(framework=framework, service_type=ServiceType.objects.get(code="supported-living"),
                           open_to_new_entrants=True)
    return sandwell


def _sandwell_citizen(sandwell):
    return Citizen.objects.create(council=sandwell, reference="SC0000001", given_name="Person", family_name="Sandwell",
                                  date_of_birth=dt.date(1940, 1, 1), address="1 High Street", postcode="B23 6SD")


def test_a_provider_applies_to_both_councils_frameworks_from_one_account(sandwell, provider_admin, signed_in,
                                                                          make_user, council, provider):
    client = signed_in(provider_admin)
    page = client.get("/enrolment/").content.decode()
    assert "Councils' frameworks you can apply to" in page and "Sandwell Care Framework 2026" in page
    ours = Framework.objects.get(council=sandwell)
    client.get(f"/enrolment/?framework={Framework.objects.get(council=council).pk}")
    client.post("/enrolment/bank-details/", {"bank_account_name": "Acorn", "bank_sort_code": "12-34-56",
                                             "bank_account_number": "12345678"})  # to the first council's
    assert client.get(f"/enrolment/?framework={ours.pk}").status_code == 302
    assert "Sandwell Care Framework 2026, Sandwell Council" in client.get("/enrolment/").content.decode()
    client.post("/enrolment/bank-details/", {"bank_account_name": "Acorn", "bank_sort_code": "12-34-56",
                                             "bank_account_number": "12345678"})
    drafts = Application.objects.filter(organisation=provider)
    assert sorted(a.council.name for a in drafts) == ["Sandwell Council", "Test City Council"]
    for application in drafts:  # both submitted, each to its own council
        application.status = Application.Status.SUBMITTED
        application.save()
    theirs = make_user(Role.COMMISSIONER, sandwell, username="commissioner@sandwell.test")
    page = signed_in(theirs).get("/applications/").content.decode()
    assert "Acorn Home Care" in page
    city = make_user(Role.COMMISSIONER, council, username="commissioner@city.test")
    sandwells = drafts.get(council=sandwell)
    assert signed_in(city).get(f"/applications/{sandwells.pk}/").status_code == 404
    with pytest.raises(ValidationError, match="Only Sandwell Council decides applications"):
        enrolment.decide(sandwells, city, approve=False, reason="Not ours to decide")
    assert Application.objects.get(pk=sandwells.pk).status == Application.Status.SUBMITTED


def test_a_provider_barred_by_a_council_cannot_apply_to_its_frameworks_and_nothing_changes(
        sandwell, provider_admin, signed_in, make_user, provider):
    Barring.objects.create(council=sandwell, organisation=provider, reason="Contract terminated for fraud",
                           barred_on=dt.date(2026, 6, 1), barred_by=make_user(Role.COMMISSIONER, sandwell))
    client = signed_in(provider_admin)
    framework = Framework.objects.get(council=sandwell)
    response = client.get(f"/enrolment/?framework={framework.pk}", follow=True)
    page = response.content.decode()
    assert ("Sandwell Council has barred Acorn Home Care from applying to its frameworks since 01 June 2026: "
            "Contract terminated for fraud") in page
    assert "Adult Social Care Framework 2026, Test City Council" in page  # still applying to the other council
    with pytest.raises(ValidationError, match="has barred Acorn Home Care"):
        enrolment.draft_for(provider, framework, provider_admin)
    assert not Application.objects.filter(framework=framework).exists()
    assert not AuditEvent.objects.filter(action="application.started").exists()
    assert client.get("/enrolment/?framework=999999", follow=True).status_code == 200  # not a framework: said so


def test_a_joint_framework_is_shared_only_once_the_other_council_agrees(council, make_user):
    sandwell = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    framework = Framework.objects.get(council=council)
    city, theirs = make_user(Role.COMMISSIONER, council), make_user(Role.COMMISSIONER, sandwell)
    partner = councils.ask_to_join(framework, sandwell, city)
    with pytest.raises(ValidationError, match="Only Test City Council can ask"):
        councils.ask_to_join(framework, council, theirs)
    with pytest.raises(ValidationError, match="Only Sandwell Council can agree to join .* it has not agreed"):
        councils.agree_to_join(partner, city)  # the lead council cannot agree on the other's behalf
    partner.refresh_from_db()
    assert partner.agreed_at is None
    assert not visible(Section.objects.all(), theirs).exists()  # asked, not yet agreed: nothing shared
    broker = make_user(Role.BROKERAGE_OFFICER, sandwell, username="broker@sandwell.test")
    with pytest.raises(ValidationError, match="no tender policy for Home support under the council's frameworks"):
        raise_home_support(_sandwell_citizen(sandwell), broker)
    assert not CareRequirement.objects.exists()

    councils.agree_to_join(partner, theirs)
    assert visible(Section.objects.all(), theirs).count() == Section.objects.filter(framework=framework).count()
    assert visible(SectionApproval.objects.all(), theirs).count() == SectionApproval.objects.count()
    assert raise_home_support(Citizen.objects.get(council=sandwell), broker).council == sandwell
    assert list(AuditEvent.objects.filter(object_type="framework.framework").values_list("action", flat=True)
                .order_by("pk")) == ["framework.partner_asked", "framework.partner_agreed"]


def test_a_new_install_s_first_council_adopts_the_framework_it_was_loaded_with(db):
    assert Framework.objects.get().council is None  # loaded before there was a council
    first = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="First Council")
    Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Second Council")
    assert Framework.objects.get().council == first
    assert set(Section.objects.values_list("council", flat=True)) == {first.pk}


def test_commissioners_ask_and_agree_to_a_joint_framework_on_its_page(council, commissioner, make_user, signed_in):
    sandwell = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    framework = Framework.objects.get(council=council)
    ours, theirs = signed_in(commissioner), signed_in(make_user(Role.COMMISSIONER, sandwell))
    assert "Asked" not in theirs.get("/frameworks/").content.decode()
    page = ours.post(f"/frameworks/{framework.pk}/ask/", {"council": sandwell.pk}, follow=True).content.decode()
    assert "Sandwell Council has been asked to join Adult Social Care Framework 2026" in page
    assert "Asked, not yet agreed" in page
    page = ours.post(f"/frameworks/{framework.pk}/ask/", {"council": ""}, follow=True).content.decode()
    assert "Choose the council to ask" in page
    partner = framework.partners.get()
    assert theirs.post(f"/frameworks/{framework.pk}/ask/", {"council": council.pk}).status_code == 404  # not theirs
    assert ours.post(f"/frameworks/joining/{partner.pk}/agree/").status_code == 404  # only Sandwell agrees
    partner.refresh_from_db()
    assert partner.agreed_at is None
    page = theirs.get("/frameworks/").content.decode()
    assert "Agree to join Adult Social Care Framework 2026" in page
    page = theirs.post(f"/frameworks/joining/{partner.pk}/agree/", follow=True).content.decode()
    assert "Your council has joined Adult Social Care Framework 2026" in page
    partner.refresh_from_db()
    assert partner.agreed_by.organisation == sandwell


def test_in_the_reference_data_screens_a_council_keeps_its_own_and_reads_a_joint_frameworks(
        council, neighbour, make_user, signed_in):
    from caremarket.tendering.models import TenderPolicy

    policy = TenderPolicy.objects.filter(council=council).first()
    theirs = signed_in(make_user(Role.COMMISSIONER, neighbour, username="admin@neighbour.test"))
    url = f"/reference-data/settings/tendering/tenderpolicy/{policy.pk}/change/"
    page = theirs.get(url)
    assert page.status_code == 200 and 'name="rule"' not in page.content.decode()  # read, not changed
    assert theirs.post(url, {"rule": "prospectus_2012"}).status_code == 403
    policy.refresh_from_db()
    assert policy.rule != "prospectus_2012"
    dudley = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Dudley Council")
    outsider = signed_in(make_user(Role.COMMISSIONER, dudley, username="admin@dudley.test"))
    assert outsider.get(url).status_code in (302, 404)  # not there, to a council outside the framework
    listing = outsider.get("/reference-data/settings/fees/feeschedule/").content.decode()
    assert "2026/27" not in listing
