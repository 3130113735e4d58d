"""Two locks keep one council's records from another's: the code's scoping rule, and on
PostgreSQL the database's row-level security, keyed on the setting each council person's
request makes. Here the first is deliberately forgotten, to show the second holding alone
(and, on SQLite, that the code's lock is all there is)."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from caremarket.accounts import permissions
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core import tenancy
from caremarket.accounts.models import User
from caremarket.framework import councils
from caremarket.framework.models import Framework, Section, SectionApproval
from caremarket.fees.models import FeeSchedule
from caremarket.framework.models import FrameworkRecord
from caremarket.organisations.councils import POLICY, council_owned_models, council_owned_tables
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage, PackageChange
from caremarket.tendering.models import CareRequirement, Invitation, Offer, Tender
from caremarket.tendering.tests.conftest import approved_provider, offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
PROBE_ROLE = "caremarket_council_probe"
COUNCIL_OWNED = (Citizen, Assessment, CareRequirement, Tender, Invitation, Offer, CarePackage, PackageChange)


@pytest.fixture
def frozen_clock():
    from caremarket.core import clock
    from caremarket.tendering.tests.conftest import MONDAY_9AM

    with clock.frozen(MONDAY_9AM):
        yield


@pytest.fixture
def two_markets(council, neighbour, make_user):
    """In each council: a citizen, their requirement out to tender, an offer from a provider
    that works for both, and a package with a change."""
    provider = approved_provider("Goldcrest Care", "1-300000001", make_user=make_user)
    for number, owner in enumerate((council, neighbour), start=1):
        broker = make_user(Role.BROKERAGE_OFFICER, owner, username=f"broker{number}@council.test")
        citizen = Citizen.objects.create(council=owner, reference="CM0000001", given_name=f"Person{number}",
                                         family_name=owner.name.split()[0], date_of_birth=dt.date(1940, 1, 1),
                                         address="1 High Street", postcode="B23 6SD")
        requirement = raise_home_support(citizen, broker)
        offer = offer_from(requirement.tenders.get(), provider)
        package = CarePackage.objects.create(
            reference=f"CP-TEST-{number}", requirement=requirement, organisation=provider, location=offer.location,
            route="micro_tender", offer=offer, weekly_price_pence=offer.weekly_price_pence,
            start_on=requirement.start_on, awarded_by=broker, awarded_at=offer.submitted_at)
        PackageChange.objects.create(package=package, kind="suspension", effective_from=dt.date(2026, 12, 1),
                                     reason="In hospital", requested_by=broker, requested_at=offer.submitted_at)
    return council, neighbour


def _councils_seen(model) -> set[int]:
    return set(model.objects.values_list("council_id", flat=True))


@pytest.fixture
def ordinary_role(db):
    """Work as an ordinary role from here to the end of the test (whose transaction undoes it):
    PostgreSQL's superusers, as tests connect, pass every policy."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN CREATE ROLE {PROBE_ROLE} NOLOGIN; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PROBE_ROLE}")
        cursor.execute(f"SET ROLE {PROBE_ROLE}")


def test_every_record_made_takes_its_citizens_council(two_markets):
    council, neighbour = two_markets
    for model in COUNCIL_OWNED:
        assert _councils_seen(model) == {council.pk, neighbour.pk}, model.__name__
    for requirement in CareRequirement.objects.select_related("citizen", "package"):
        assert requirement.council_id == requirement.citizen.council_id == requirement.package.council_id


@on_postgresql
def test_every_council_owned_table_obeys_its_policy_even_for_its_owner(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = %s", [POLICY])
        policed = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity")
        forced = {row[0] for row in cursor.fetchall()}
    tables = set(council_owned_tables())
    assert {model._meta.db_table for model in COUNCIL_OWNED} <= tables
    assert tables <= policed and tables <= forced


@on_postgresql
def test_an_unscoped_query_under_each_councils_setting_finds_only_that_councils_rows(two_markets, ordinary_role):
    council, neighbour = two_markets
    for owner in (council, neighbour):
        with tenancy.acting_for(owner.pk):
            for model in COUNCIL_OWNED:
                assert _councils_seen(model) == {owner.pk}, model.__name__
            assert CareRequirement.objects.count() == 1
            for model in council_owned_models().values():  # every table: its own rows, and a joint framework's
                shared = {council.pk} if issubclass(model, FrameworkRecord) else set()
                assert _councils_seen(model) <= {owner.pk} | shared, model.__name__
    # The system's own work (no council said): every council's.
    assert _councils_seen(Offer) == {council.pk, neighbour.pk}
    assert _councils_seen(FeeSchedule) == {council.pk, neighbour.pk}


@on_postgresql
def test_a_joint_frameworks_records_are_seen_by_the_council_that_agreed_to_it_and_no_other(
        two_markets, ordinary_role):
    council, neighbour = two_markets
    third = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Dudley Council")
    third_framework = Framework.objects.create(council=third, name="Dudley Framework", starts_on=dt.date(2026, 4, 1),
                             initial_procurement_closes_on=dt.date(2026, 6, 30))
    joint = Framework.objects.get(council=council)
    councils.ask_to_join(joint, third, User.objects.get(username="asks@council.test"))  # asked, not agreed
    approvals = SectionApproval.objects.count()
    assert approvals > 0
    for owner, frameworks, sections, seen_approvals in ((council, {joint.pk}, {joint.pk}, approvals),
                                                        (neighbour, {joint.pk}, {joint.pk}, approvals),
                                                        (third, {third_framework.pk, joint.pk}, set(), 0)):
        with tenancy.acting_for(owner.pk):
            assert set(Framework.objects.values_list("pk", flat=True)) == frameworks, owner
            assert set(Section.objects.values_list("framework", flat=True)) == sections, owner
            assert SectionApproval.objects.count() == seen_approvals, owner


@on_postgresql
def test_nothing_of_another_council_can_be_written_under_a_councils_setting(two_markets, ordinary_role):
    council, neighbour = two_markets
    theirs = Citizen.objects.get(council=neighbour)
    with tenancy.acting_for(council.pk):
        assert Citizen.objects.filter(pk=theirs.pk).update(family_name="Changed") == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Citizen.objects.create(council=neighbour, reference="CM0000002", given_name="Slipped", family_name="In",
                                   date_of_birth=dt.date(1950, 1, 1), address="2 High Street", postcode="B1 1AA")
    assert Citizen.objects.get(pk=theirs.pk).family_name == "Sandwell"
    assert not Citizen.objects.filter(given_name="Slipped").exists()


def test_a_council_persons_request_with_the_code_scope_forgotten(two_markets, ordinary_role, make_user, signed_in,
                                                                 monkeypatch):
    """With ``for_council`` forgotten, PostgreSQL still shows a broker only their council's
    requirements; SQLite, which has no second lock, shows both: its only lock is the code's."""
    council, neighbour = two_markets
    broker = signed_in(make_user(Role.BROKERAGE_OFFICER, council, username="forgetful@council.test"))
    assert "Sandwell" not in broker.get("/citizens/").content.decode()  # the code's lock, in place
    monkeypatch.setattr(permissions, "for_council", lambda queryset, user: queryset)
    listed = broker.get("/citizens/").content.decode()
    assert "Person1" in listed
    assert ("Person2" in listed) is (connection.vendor == "sqlite")


def _settings_sent(client, path="/") -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured if "set_config('caremarket.council'" in q["sql"]]


@on_postgresql
def test_the_setting_costs_a_council_persons_request_two_statements_and_a_providers_none(
        committed_db, council, provider, make_user, signed_in):
    """Out of a test's transaction, as in service: the connection remembers its setting."""
    broker = signed_in(make_user(Role.BROKERAGE_OFFICER, council, username="b@council.test"))
    admin = signed_in(make_user(Role.PROVIDER_ADMIN, provider, username="a@provider.test"))
    assert len(_settings_sent(broker)) == 2  # its council, then back to none
    assert _settings_sent(admin) == []
    assert len(_settings_sent(broker)) == 2


def test_a_provider_asked_by_both_councils_sees_each_opportunity_labelled(two_markets, signed_in):
    from caremarket.accounts.models import ApiToken

    admin = Organisation.objects.get(name="Goldcrest Care").people.first()
    page = signed_in(admin).get("/opportunities/").content.decode()
    assert "Test City Council" in page and "Sandwell Council" in page
    _, key = ApiToken.issue(admin, "the provider's system")
    listed = signed_in(admin).get("/api/tendering/opportunities", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert sorted(o["council"] for o in listed) == ["Sandwell Council", "Test City Council"]
