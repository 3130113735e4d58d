"""Each council runs its own quality rating system: its own inspections, the statements sent to
it and its ratings are its own; what the CQC finds, every council reads."""

import datetime as dt

import pytest
from django.urls import reverse

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.framework.models import Section, SectionApproval
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.quality.models import ImprovementPlan, PqasSubmission, QualityRating
from caremarket.quality.services import record_inspection, rerate_everywhere, submit_pqas

D = dt.date


@pytest.fixture
def service(council, neighbour):
    """A care home on the first council's framework, which its neighbour has joined: both
    councils tender care to it, so both rate it. The CQC rates it Good."""
    provider = Organisation.objects.create(kind="provider", name="Maple Care")
    location = CareLocation.objects.create(organisation=provider, cqc_location_id="1-500000001", name="Maple Lodge",
                                           is_care_home=True)
    SectionApproval.objects.create(organisation=provider, approved_on=D(2026, 4, 1),
                                   section=Section.objects.get(service_type__code="residential-care",
                                                               need_group__code="older-people"))
    with clock.frozen(dt.datetime(2026, 10, 1, 9, 0, tzinfo=clock.LONDON)):
        record_inspection(location, "test: CQC", source="cqc", kind="full", outcome="Good", on=D(2026, 9, 1))
    return location


def _rating(location, council) -> str:
    return QualityRating.objects.get(location=location, council=council, is_current=True).label


def test_a_cqc_inspection_rates_the_service_under_every_councils_system(service, council, neighbour):
    assert (_rating(service, council), _rating(service, neighbour)) == ("Silver", "Silver")


def test_a_councils_own_inspection_moves_its_rating_alone(service, council, neighbour, make_user):
    officer = make_user(Role.QUALITY_OFFICER, neighbour, username="quality@sandwell.test")
    with clock.frozen(dt.datetime(2026, 10, 20, 9, 0, tzinfo=clock.LONDON)):
        inspection = record_inspection(service, officer, source="council", kind="full", outcome="Bronze",
                                       on=D(2026, 10, 14))
    assert inspection.council == neighbour
    assert (_rating(service, council), _rating(service, neighbour)) == ("Silver", "Bronze")
    # Bronze asks for an improvement plan, from the council that found it.
    assert list(ImprovementPlan.objects.values_list("council", flat=True)) == [neighbour.pk]
    # The first council's framework is its own to suspend: the neighbour's finding changes nothing there.
    assert SectionApproval.objects.get(organisation=service.organisation).status == "approved"


def test_a_provider_sends_its_statement_to_the_council_it_chooses(service, council, neighbour, make_user):
    admin = make_user(Role.PROVIDER_ADMIN, service.organisation, username="admin@maple.test")
    with clock.frozen(dt.datetime(2026, 10, 20, 9, 0, tzinfo=clock.LONDON)):
        submit_pqas(service, admin, self_rating=1, statement="We fell short", on=D(2026, 10, 20), council=neighbour)
    assert list(PqasSubmission.objects.values_list("council", flat=True)) == [neighbour.pk]
    assert _rating(service, council) == "Silver" and _rating(service, neighbour) != "Silver"


def test_each_councils_staff_see_their_own_rating_and_the_provider_sees_both(
        service, council, neighbour, make_user, signed_in):
    officer = make_user(Role.QUALITY_OFFICER, neighbour, username="quality@sandwell.test")
    with clock.frozen(dt.datetime(2026, 10, 20, 9, 0, tzinfo=clock.LONDON)):
        record_inspection(service, officer, source="council", kind="full", outcome="Bronze", on=D(2026, 10, 14))
    path = reverse("service-quality", args=[service.pk])
    first = signed_in(make_user(Role.QUALITY_OFFICER, council, username="quality@city.test")).get(path)
    page = first.content.decode()
    assert "cm-rating-silver" in page and "cm-rating-bronze" not in page and "Sandwell" not in page
    theirs = signed_in(officer).get(path).content.decode()
    assert "cm-rating-bronze" in theirs and "cm-rating-silver" not in theirs
    provider = signed_in(make_user(Role.PROVIDER_ADMIN, service.organisation, username="admin@maple.test"))
    own = provider.get(path).content.decode()
    assert "Test City Council" in own and "Sandwell Council" in own
    assert "cm-rating-silver" in own and "cm-rating-bronze" in own


def test_the_public_sees_each_councils_ratings_of_the_services_on_its_frameworks(
        service, council, neighbour, make_user, client):
    officer = make_user(Role.QUALITY_OFFICER, neighbour, username="quality@sandwell.test")
    with clock.frozen(dt.datetime(2026, 10, 20, 9, 0, tzinfo=clock.LONDON)):
        record_inspection(service, officer, source="council", kind="full", outcome="Bronze", on=D(2026, 10, 14))
    theirs = client.get(reverse("public-ratings-json"), {"council": neighbour.pk}).json()["services"]
    ours = client.get(reverse("public-ratings-json")).json()["services"]
    assert [s["council_rating"] for s in theirs] == ["Bronze"] and [s["council_rating"] for s in ours] == ["Silver"]
    page = client.get(reverse("public-ratings"), {"council": neighbour.pk}).content.decode()
    assert "Sandwell Council" in page and "Bronze" in page
    # A council that is not on the install is not a way in: the first council's are shown.
    assert client.get(reverse("public-ratings-json"), {"council": "99999"}).json()["services"][0][
        "council_rating"] == "Silver"


def test_the_cqc_data_changing_rates_again_under_each_council(service, council, neighbour):
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 0, tzinfo=clock.LONDON)):
        record_inspection(service, "test: CQC", source="cqc", kind="full", outcome="Outstanding", on=D(2026, 11, 2))
        assert {r.council_id for r in rerate_everywhere(service, "test")} == {council.pk, neighbour.pk}
    assert (_rating(service, council), _rating(service, neighbour)) == ("Gold", "Gold")
