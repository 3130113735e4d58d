import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from caremarket.accounts.models import User
from caremarket.accounts.roles import Role
from caremarket.audit.trail import verify
from caremarket.citizens.models import Citizen
from caremarket.demo.market import DemoMarket
from caremarket.framework.models import SectionApproval
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.periods.models import FinancialYear
from caremarket.quality.models import QualityRating
from caremarket.quality.ratings import Rating


def _fingerprint() -> str:
    rows = list(Organisation.objects.order_by("name").values_list("name", "cqc_provider_id", "council_funded_weekly_hours"))
    rows += list(Citizen.objects.order_by("reference").values_list("reference", "family_name", "postcode")[:500])
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Rollback(Exception):
    pass


def test_the_same_seed_builds_the_same_market_and_another_seed_does_not(db):
    prints = []
    for seed in (7, 7, 8):
        try:
            with transaction.atomic():
                DemoMarket(scale=1, seed=seed).build()
                prints.append(_fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1] != prints[2]


@pytest.fixture
def market(db, capsys):
    call_command("load_demo_market")
    return capsys.readouterr().out


def test_the_demo_market_is_birmingham_shaped(market):
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_out_of_city=False)
    home_support = providers.filter(council_funded_weekly_hours__gt=0)
    large = home_support.filter(council_funded_weekly_hours__gt=2000).count()
    medium = home_support.filter(council_funded_weekly_hours__gte=1000, council_funded_weekly_hours__lte=2000).count()
    small = home_support.filter(council_funded_weekly_hours__lt=1000).count()
    # The strategy's estimate: 10-15 large, 26-40 medium, 48-56 small.
    assert 10 <= large <= 15 and 26 <= medium <= 40 and 48 <= small <= 56
    homes = CareLocation.objects.filter(is_care_home=True)
    assert homes.filter(has_nursing=True).exists() and homes.filter(has_nursing=False).exists()
    ratings = set(CareLocation.objects.values_list("cqc_rating", flat=True))
    assert {"Outstanding", "Good", "Requires improvement", "Inadequate", "No published rating"} <= ratings
    assert Citizen.objects.filter(council__name="Birmingham City Council").count() == 10_000
    assert Citizen.objects.filter(ward__isnull=True).count() == 0
    assert FinancialYear.objects.filter(published_at__isnull=False).count() == 2  # one a council
    assert verify() == []
    # On the framework within its limits, each service rated by the engine.
    assert SectionApproval.objects.filter(section__service_type__code="quick-discharge").count() == 1
    assert SectionApproval.objects.filter(section__service_type__code="approved-premises").count() <= 4
    ratings = set(QualityRating.objects.values_list("rating", flat=True))
    assert {Rating.GOLD, Rating.SILVER, Rating.BRONZE, Rating.INADEQUATE} <= ratings
    suspended = QualityRating.objects.filter(suspended=True).values("location__organisation")
    assert not SectionApproval.objects.filter(organisation__in=suspended, status="approved").exists()
    # Someone to sign in as for every role, printed for the person who ran it.
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for role in Role:
        assert f"{role.label}" in market
    assert "password for all: caremarket-demo" in market


def test_the_neighbour_keeps_its_own_calendar_fees_and_framework_and_shares_the_providers(market):
    from caremarket.fees.models import FeeRate
    from caremarket.framework.councils import frameworks_of
    from caremarket.packages.models import CarePackage
    from caremarket.periods.models import PaymentPeriod
    from caremarket.tendering.models import Invitation

    birmingham, sandwell = (Organisation.objects.get(name=name) for name in
                            ("Birmingham City Council", "Sandwell Metropolitan Borough Council"))
    assert Citizen.objects.filter(council=sandwell).count() == 1_250
    assert PaymentPeriod.objects.filter(financial_year__council=sandwell).count() == 13
    ours, theirs = (FeeRate.objects.get(schedule__council=council, kind="fixed", service_type__code="home-support",
                                        age_band="all") for council in (birmingham, sandwell))
    assert theirs.amount_pence > ours.amount_pence
    frameworks = {f.name: f.council for f in frameworks_of(sandwell.pk)}
    assert frameworks == {"Adult Social Care Framework 2026": birmingham,  # joint, Sandwell having agreed
                          "Sandwell Care Homes Framework 2026": sandwell}
    assert CarePackage.objects.filter(council=sandwell).count() > 500
    provider = User.objects.get(username="provider.admin@demo.caremarket.test").organisation
    for council in (birmingham, sandwell):  # one provider administrator, work from both
        assert Invitation.objects.filter(council=council, organisation=provider).exists()
        assert CarePackage.objects.filter(council=council, organisation=provider).exists()
    assert "sandwell.commissioner@demo.caremarket.test" in market


def test_every_council_owned_record_of_the_demo_has_its_council(market):
    from caremarket.organisations.councils import council_owned_models

    from caremarket.quality.models import Inspection

    without = [model.__name__ for model in council_owned_models().values()
               if model.objects.filter(council__isnull=True).exists()]
    # The CQC's inspections are every council's: none is a council's own.
    without.remove("Inspection")
    assert not Inspection.objects.filter(council__isnull=True).exclude(source__in=["cqc", "nhs"]).exists()
    assert without == []


def test_loading_again_is_refused_or_skipped_and_changes_nothing(market, capsys):
    # Loading is one transaction; a market already there is never loaded over.
    before = (Organisation.objects.count(), Citizen.objects.count())
    with pytest.raises(CommandError, match="already holds a market"):
        call_command("load_demo_market")
    call_command("load_demo_market", "--if-empty")
    assert "already loaded" in capsys.readouterr().out
    assert (Organisation.objects.count(), Citizen.objects.count()) == before


def test_the_demo_has_care_in_place_and_work_in_the_brokerage_queue(market):
    from caremarket.citizens.models import Assessment
    from caremarket.packages.models import CarePackage
    from caremarket.tendering.models import CareRequirement, Invitation

    receiving = Assessment.objects.filter(status="receiving_service").count()
    assert CarePackage.objects.filter(route="micro_tender").count() == receiving
    # Home-support packages are with a provider approved in the citizen's area.
    package = CarePackage.objects.filter(requirement__service_type__code="home-support").select_related(
        "requirement").first()
    assert SectionApproval.objects.filter(organisation=package.organisation,
                                          section__area=package.requirement.area).exists()
    statuses = set(CareRequirement.objects.values_list("status", flat=True))
    assert {"tendering", "ready_to_award", "awaiting_choice"} <= statuses
    provider_admin = User.objects.get(username="provider.admin@demo.caremarket.test")
    assert Invitation.objects.filter(organisation=provider_admin.organisation).exists()


def test_the_demo_has_a_paid_period_and_payments_work_waiting(db, capsys):
    import datetime as dt

    from caremarket.core import clock
    from caremarket.packages.models import PackageChange
    from caremarket.payments.models import Invoice, PaymentQuery, PaymentRun, VisitUpload

    with clock.frozen(dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.LONDON)):
        call_command("load_demo_market")
    run = PaymentRun.objects.get()
    assert (run.status, run.period.number, run.posted_at.date()) == ("posted", 8, dt.date(2026, 11, 15))
    provider = User.objects.get(username="provider.admin@demo.caremarket.test").organisation
    invoice = Invoice.objects.get(organisation=provider)
    assert (invoice.status, invoice.due_on, invoice.paid_on) == ("paid", dt.date(2026, 12, 10), dt.date(2026, 11, 17))
    assert run.lines.filter(organisation=provider, invoice=invoice).exists()
    assert run.lines.filter(kind="scheduled").count() > 1000  # every care home and supported-living package
    upload = VisitUpload.objects.get(organisation=provider)
    assert upload.stored > 1000 and len(upload.errors) == 3
    waiting = Invoice.objects.filter(status="received")  # sent after the run: finance's work to do
    assert waiting.count() == 4 and {i.due_on for i in waiting} == {dt.date(2026, 12, 13)}
    assert not run.lines.filter(invoice__in=waiting).exists()
    assert PaymentQuery.objects.filter(status="open").exists() and PaymentQuery.objects.filter(status="accepted").exists()
    assert PackageChange.objects.filter(status="proposed").count() == 1
    assert verify() == []
