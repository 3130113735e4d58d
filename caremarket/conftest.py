"""Shared test fixtures: organisations and people in each role."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from caremarket.accounts.models import User
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.web.browser_testing import browser, page  # noqa: F401  (fixtures for browser tests)


@pytest.fixture(autouse=True)
def fresh_fee_copy():
    """Each test's published fee schedules are its own: no process copy carries over (in
    service, published schedules never change, and the copy follows each publication)."""
    from caremarket.fees.services import forget_published_copy

    forget_published_copy()
    yield


@pytest.fixture
def council(db):
    return Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Test City Council")


@pytest.fixture
def neighbour(council, make_user):
    """A second council on the install, partner in the first council's framework (asked by the
    first council's commissioner, agreed by its own), so its care is tendered under it, with
    fees of its own 5% above the first council's."""
    from decimal import Decimal

    from caremarket.fees import services as fees
    from caremarket.fees.models import FeeSchedule
    from caremarket.framework import councils
    from caremarket.framework.models import Framework

    neighbour = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    asks = make_user(Role.COMMISSIONER, council, username="asks@council.test")
    partner = councils.ask_to_join(Framework.objects.get(council=council), neighbour, asks)
    theirs = make_user(Role.COMMISSIONER, neighbour, username="agrees@neighbour.test")
    councils.agree_to_join(partner, theirs)
    for schedule in FeeSchedule.objects.filter(council=council, published_at__isnull=False):
        fees.publish(fees.adopt_schedule(schedule, neighbour, theirs, percent=Decimal(5)), theirs)
    return neighbour


@pytest.fixture
def provider(db):
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.PROVIDER, name="Acorn Home Care", cqc_provider_id="1-100000001"
    )
    CareLocation.objects.create(organisation=organisation, cqc_location_id="1-200000001", name="Acorn Home Care Office")
    return organisation


@pytest.fixture
def other_provider(db):
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.PROVIDER, name="Birchwood Lodge", cqc_provider_id="1-100000002"
    )
    CareLocation.objects.create(organisation=organisation, cqc_location_id="1-200000002", name="Birchwood Lodge",
                                is_care_home=True, beds=40)
    return organisation


@pytest.fixture
def make_user(db):
    def make(role: Role, organisation: Organisation, username: str | None = None, password: str | None = None):
        user = User(
            username=username or f"{role.value}.{organisation.pk}@example.test",
            email=username or f"{role.value}.{organisation.pk}@example.test",
            role=role, organisation=organisation, first_name=role.label.split()[0], last_name="Tester",
            email_confirmed_at=clock.now(),
        )
        user.set_password(password) if password else user.set_unusable_password()
        user.full_clean()
        user.save()
        return user

    return make


@pytest.fixture
def commissioner(make_user, council):
    return make_user(Role.COMMISSIONER, council)


@pytest.fixture
def provider_admin(make_user, provider):
    return make_user(Role.PROVIDER_ADMIN, provider)


@pytest.fixture
def signed_in():
    """A client signed in as the person, with their second factor given (accounts.two_factor)."""
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return client_for


def authenticator_app(user):
    """The person's confirmed authenticator app (django-otp TOTP), made if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A wide tolerance: a journey may sign one person in several times within a code's 30 seconds.
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True, tolerance=10)


def code_from(device) -> str:
    """What the app shows now (or the next step's, when now's has been used: one code, one use)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client: Client, user) -> None:
    """As if the person had given a code from their app (one is made for them if need be)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_app(user).persistent_id
    session.save()


# Data that migrations load. Tests that commit (transactional_db) have the tables
# emptied after them, so those tests load it again with this fixture.
DATA_MIGRATIONS = [
    "caremarket.audit.migrations.0002_genesis",
    "caremarket.geography.migrations.0002_birmingham",
    "caremarket.reference.migrations.0002_service_types_and_need_groups",
    "caremarket.scheduling.migrations.0002_jobs",
    "caremarket.scheduling.migrations.0003_framework_and_quality_jobs",
    "caremarket.framework.migrations.0002_framework_2026",
    "caremarket.quality.migrations.0002_trigger_thresholds",
    "caremarket.quality.migrations.0003_toolkit",
    "caremarket.scheduling.migrations.0004_tender_deadlines",
    "caremarket.tendering.migrations.0002_tender_policies",
    "caremarket.tendering.migrations.0006_offers_scored_against_criteria",
    "caremarket.fees.migrations.0002_schedule_2026",
    "caremarket.payments.migrations.0002_visit_rules",
    "caremarket.management.migrations.0002_review_policy_and_job",
    "caremarket.management.migrations.0004_default_targets",
    "caremarket.opendata.migrations.0001_publish_nightly",
    "caremarket.packages.migrations.0005_end_care_job",
    "caremarket.tendering.migrations.0008_raise_from_client_records_job",
    "caremarket.events.migrations.0002_delivery_job",
    "caremarket.ledger.migrations.0002_codes",
    "caremarket.national_return.migrations.0002_codes",
    "caremarket.privacy.migrations.0002_default_schedule",
]


@pytest.fixture
def committed_db(transactional_db):
    """A database whose changes really commit (threads, other processes, a live server)."""
    for name in DATA_MIGRATIONS:
        module = importlib.import_module(name)
        loader = getattr(module, "load", None) or getattr(module, "create_head")
        loader(apps, None)


@pytest.fixture(autouse=True)
def uploaded_files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
