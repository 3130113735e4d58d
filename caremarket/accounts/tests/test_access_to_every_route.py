"""Nobody sees what is not theirs, through any page or API route.

The table below names, for every route in the project, how to point it at a record
that belongs to another provider (or to the council). A route added without an entry
here fails ``test_every_route_is_covered``, so new routes are checked too.
"""

import datetime as dt
import html
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver

from caremarket.accounts.models import ApiToken
from caremarket.accounts.roles import COUNCIL_ROLES, CONSORTIUM_ROLES, PROVIDER_ROLES, Role
from caremarket.audit.trail import record
from caremarket.citizens.models import Assessment, Citizen, WaitingChange
from caremarket.conftest import verify_second_factor
from caremarket.core import clock
from caremarket.framework.models import Application, ComplianceDocument, DocumentType, Framework, FrameworkPartner
from caremarket.organisations.models import Organisation
from caremarket.geography.models import Area, Ward
from caremarket.packages.models import CarePackage
from caremarket.privacy.models import LegalHold
from caremarket.quality.models import FocussedInspectionRequest, PqasSubmission
from caremarket.reference.models import NeedGroup, ServiceType
from caremarket.tendering.models import CareRequirement, Invitation, Offer, Tender

# route → how to fill its parameters with someone else's record; None: no parameters.
ROUTES = {
    "": None,
    "more/": None,
    "find/": None,
    "change-password/": None,
    "notifications/": None,
    "where-you-are-signed-in/": None,
    "two-factor/": None,
    "two-factor/set-up/": None,
    "people/<id:pk>/reset-two-factor/": lambda s: {"pk": s["their_person"].pk},
    "accessibility/": None,
    "privacy/": None,
    "cookies/": None,
    "sign-in/": None,
    "oidc/authenticate/": None,
    "oidc/callback/": None,
    "sign-out/": None,
    "signed-out/": None,
    "set-password/<uidb64>/<token>/": lambda s: {"uidb64": "MQ", "token": "set-password"},
    "confirm-email/<str:token>/": lambda s: {"token": "not-a-signed-token"},
    "people/": None,
    "people/add/": None,
    "people/<id:pk>/": lambda s: {"pk": s["their_person"].pk},
    "people/<id:pk>/unlock/": lambda s: {"pk": s["their_person"].pk},
    "citizens/access-log/": None,
    "citizens/changes-waiting/": None,
    "citizens/changes-waiting/<id:pk>/": lambda s: {"pk": s["waiting_change"].pk},
    "api/client-records/people": None,
    "api/events": None,
    "payments/periods/<id:pk>/ledger/": lambda s: {"pk": s["their_run"].period_id},
    "payments/periods/<id:pk>/ledger/creditor-payments.csv": lambda s: {"pk": s["their_run"].period_id},
    "payments/periods/<id:pk>/ledger/journal.csv": lambda s: {"pk": s["their_run"].period_id},
    "national-return/": None,
    "national-return/<int:start_year>/<int:number>/": lambda s: {"start_year": 2026, "number": 3},
    "national-return/<int:start_year>/<int:number>/client-level-data.csv": lambda s: {"start_year": 2026,
                                                                                     "number": 3},
    "organisations/<id:pk>/supplier-number/": lambda s: {"pk": s["them"].pk},
    "data-protection/": None,
    "data-protection/retention/<str:kind>/": lambda s: {"kind": "citizen"},
    "data-protection/dry-run/": None,
    "data-protection/find/": None,
    "data-protection/holds/<id:pk>/lift/": lambda s: {"pk": s["their_hold"].pk},
    "data-protection/carer/<id:pk>/erase/": lambda s: {"pk": s["their_carer"].pk},
    "data-protection/<str:whom>/<id:pk>/": lambda s: {"whom": "citizen", "pk": s["citizen"].pk},
    "data-protection/<str:whom>/<id:pk>/hold/": lambda s: {"whom": "citizen", "pk": s["citizen"].pk},
    "data-protection/<str:whom>/<id:pk>/subject-access.json": lambda s: {"whom": "carer", "pk": s["their_carer"].pk},
    "data-protection/<str:whom>/<id:pk>/subject-access.pdf": lambda s: {"whom": "citizen", "pk": s["citizen"].pk},
    "api/client-records/assessments": None,
    "forgotten-password/": None,
    "forgotten-password/sent/": None,
    "api-tokens/": None,
    "api-tokens/<id:pk>/revoke/": lambda s: {"pk": s["their_token"].pk},
    "api-tokens/<id:pk>/rotate/": lambda s: {"pk": s["their_token"].pk},
    "people/api-tokens/": None,
    "scim/v2/": None,
    "scim/v2/Users": None,
    "scim/v2/Users/.search": None,
    "scim/v2/Users/<str:uuid>": lambda s: {"uuid": s["their_person"].scim_id},
    "scim/v2/ServiceProviderConfig": None,
    "scim/v2/ResourceTypes": None,
    "scim/v2/ResourceTypes/<str:uuid>": lambda s: {"uuid": "User"},
    "scim/v2/Schemas": None,
    "scim/v2/Schemas/<str:uuid>": lambda s: {"uuid": "urn:ietf:params:scim:schemas:core:2.0:User"},
    "enrolment/": None,
    "enrolment/company/": None,
    "enrolment/locations/": None,
    "enrolment/sections/": None,
    "enrolment/declarations/": None,
    "enrolment/documents/": None,
    "enrolment/bank-details/": None,
    "enrolment/submit/": None,
    "documents/<id:pk>/": lambda s: {"pk": s["their_document"].pk},
    "documents/<id:pk>/verify/": lambda s: {"pk": s["their_document"].pk},
    "applications/": None,
    "frameworks/": None,
    "frameworks/<id:pk>/ask/": lambda s: {"pk": s["their_framework"].pk},
    "frameworks/joining/<id:pk>/agree/": lambda s: {"pk": s["their_partnership"].pk},
    "applications/<id:pk>/": lambda s: {"pk": s["their_application"].pk},
    "services/<id:pk>/quality/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/inspections/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/intelligence/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/pqas/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/challenge/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/pqas/<id:pqas_pk>/falsified/": lambda s: {"pk": s["their_service"].pk, "pqas_pk": 1},
    "services/<id:pk>/feedback/": lambda s: {"pk": s["their_service"].pk},
    "services/<id:pk>/challenges/<id:challenge_pk>/decision/": lambda s: {"pk": s["their_service"].pk,
                                                                           "challenge_pk": 1},
    "services/<id:pk>/plans/<id:plan_pk>/actions/": lambda s: {"pk": s["their_service"].pk, "plan_pk": 1},
    "services/<id:pk>/plans/<id:plan_pk>/reinspection/": lambda s: {"pk": s["their_service"].pk, "plan_pk": 1},
    "services/<id:pk>/plans/<id:plan_pk>/complete/": lambda s: {"pk": s["their_service"].pk, "plan_pk": 1},
    "cqc-data/": None,
    "inspections/": None,
    "inspections/<id:pk>/": lambda s: {"pk": s["their_inspection"].pk},
    "ratings/": None,
    "ratings.csv": None,
    "ratings.json": None,
    "organisations/": None,
    "organisations/<id:pk>/": lambda s: {"pk": s["them"].pk},
    "citizens/": None,
    "citizens/<id:pk>/": lambda s: {"pk": s["citizen"].pk},
    "payment-calendar/": None,
    "payment-calendar/draft/": None,
    "payment-calendar/<id:start_year>/publish/": lambda s: {"start_year": 2026},
    "audit/": None,
    "reference-data/": None,
    "reference-data/service-types/": None,
    "reference-data/service-types/add/": None,
    "reference-data/service-types/<id:pk>/": lambda s: {"pk": ServiceType.objects.get(code="home-support").pk},
    "reference-data/need-groups/": None,
    "reference-data/need-groups/add/": None,
    "reference-data/need-groups/<id:pk>/": lambda s: {"pk": NeedGroup.objects.first().pk},
    "reference-data/areas/": None,
    "reference-data/areas/add/": None,
    "reference-data/areas/<id:pk>/": lambda s: {"pk": Area.objects.get(code="north").pk},
    "reference-data/wards/": None,
    "reference-data/wards/add/": None,
    "reference-data/wards/<id:pk>/": lambda s: {"pk": Ward.objects.first().pk},
    "audit/<str:object_type>/<str:object_id>/": lambda s: {
        "object_type": "organisations.organisation", "object_id": s["them"].pk},
    "brokerage/": None,
    "brokerage/raise/": None,
    "brokerage/<id:pk>/": lambda s: {"pk": s["requirement"].pk},
    "brokerage/<id:pk>/award/": lambda s: {"pk": s["requirement"].pk},
    "brokerage/<id:pk>/choice/": lambda s: {"pk": s["requirement"].pk},
    "brokerage/<id:pk>/scores/": lambda s: {"pk": s["requirement"].pk},
    "brokerage/<id:pk>/next-round/": lambda s: {"pk": s["requirement"].pk},
    "brokerage/<id:pk>/cancel/": lambda s: {"pk": s["requirement"].pk},
    "hand-backs/": None,
    "opportunities/": None,
    "opportunities/<id:tender_pk>/": lambda s: {"tender_pk": s["their_tender"].pk},
    "opportunities/<id:tender_pk>/withdraw/": lambda s: {"tender_pk": s["their_tender"].pk},
    "care-packages/": None,
    "care-packages/<id:pk>/": lambda s: {"pk": s["their_package"].pk},
    "care-packages/<id:pk>/changes/": lambda s: {"pk": s["their_package"].pk},
    "package-changes/": None,
    "package-changes/<id:pk>/decide/": lambda s: {"pk": s["their_change"].pk},
    "fees/": None,
    "fees/review/": None,
    "fees/<id:start_year>/": lambda s: {"start_year": 2026},
    "fees/<id:start_year>/publish/": lambda s: {"start_year": 2026},
    "fees/<id:start_year>/apply/": lambda s: {"start_year": 2026},
    "payments/": None,
    "payments/visits/": None,
    "payments/visits/<id:pk>/": lambda s: {"pk": s["their_invoice"].visits.first().upload_id},
    "payments/invoices/": None,
    "payments/invoices/<id:pk>/": lambda s: {"pk": s["their_invoice"].pk},
    "payments/invoices/<id:pk>/visits.csv": lambda s: {"pk": s["their_invoice"].pk},
    "payments/invoices/<id:pk>/submit/": lambda s: {"pk": s["their_invoice"].pk},
    "payments/queries/": None,
    "payments/queries/answers/": None,
    "payments/queries/answer-selected/": None,
    "payments/queries/<id:pk>/": lambda s: {"pk": s["their_query"].pk},
    "payments/runs/<id:run_pk>/remittances/<id:organisation_pk>/": lambda s: {
        "run_pk": s["their_run"].pk, "organisation_pk": s["them"].pk},
    "payments/runs/<id:run_pk>/remittances/<id:organisation_pk>.pdf": lambda s: {
        "run_pk": s["their_run"].pk, "organisation_pk": s["them"].pk},
    "payments/periods/<id:pk>/": lambda s: {"pk": s["their_run"].period_id},
    "payments/periods/<id:pk>/run/": lambda s: {"pk": s["their_run"].period_id},
    "payments/periods/<id:pk>/post/": lambda s: {"pk": s["their_run"].period_id},
    "payments/periods/<id:pk>/payment-file.csv": lambda s: {"pk": s["their_run"].period_id},
    "payments/spend/": None,
    "api/payments/visits": None,
    "api/payments/invoices": None,
    "api/payments/invoices/<id:invoice_id>": lambda s: {"invoice_id": s["their_invoice"].pk},
    "api/payments/invoices/<id:invoice_id>/submit": lambda s: {"invoice_id": s["their_invoice"].pk},
    "api/payments/queries": None,
    "api/payments/queries/<id:query_id>/answer": lambda s: {"query_id": s["their_query"].pk},
    "api/payments/remittances": None,
    "api/tendering/requirements": None,
    "api/tendering/opportunities": None,
    "api/tendering/opportunities/<id:tender_id>": lambda s: {"tender_id": s["their_tender"].pk},
    "api/tendering/opportunities/<id:tender_id>/offer": lambda s: {"tender_id": s["their_tender"].pk},
    "api/tendering/care-packages/<id:package_id>": lambda s: {"package_id": s["their_package"].pk},
    "providers/<id:pk>/": lambda s: {"pk": s["them"].pk},
    "providers/<id:pk>/contact/": lambda s: {"pk": s["them"].pk},
    "providers/<id:pk>/performance/": lambda s: {"pk": s["them"].pk},
    "providers/<id:pk>/contact/<id:entry_pk>/": lambda s: {"pk": s["them"].pk, "entry_pk": s["their_contact"].pk},
    "providers/<id:pk>/actions/<id:action_pk>/done/": lambda s: {"pk": s["them"].pk,
                                                                 "action_pk": s["their_action"].pk},
    "providers/<id:pk>/reviews/<id:review_pk>/": lambda s: {"pk": s["them"].pk, "review_pk": s["their_review"].pk},
    "contract-reviews/": None,
    "market/": None,
    "cost-of-care/": None,
    "cost-of-care/send/": None,
    "cost-of-care/<id:pk>/": lambda s: {"pk": s["their_cost_of_care"].pk},
    "open-data/": None,
    "open-data/<id:council>/ocds/<int:start_year>.json": lambda s: {  # published to everyone
        "council": Organisation.objects.filter(kind="council").order_by("pk").first().pk, "start_year": 2026},
    "api/open-data/ocds/releases": None,
    "market/<slug:key>.csv": lambda s: {"key": "waiting-requirements"},
    "incidents/": None,
    "incidents/report/": None,
    "incidents/<id:pk>/": lambda s: {"pk": s["their_incident"].pk},
    "carers/": None,
    "carers/register/": None,
    "carers/duplicates/": None,
    "carers/duplicates/merge/": None,
    "carers/duplicates/dismiss/": None,
    "carers/activity/": None,
    "carers/<id:pk>/": lambda s: {"pk": s["their_carer"].pk},
    "carers/<id:pk>/change/": lambda s: {"pk": s["their_carer"].pk},
    "carers/<id:pk>/wellbeing/": lambda s: {"pk": s["their_carer"].pk},
    "carers/<id:pk>/voucher/": lambda s: {"pk": s["their_carer"].pk},
    "marketplace/": None,
    "marketplace/add/": None,
    "marketplace/<id:pk>/": lambda s: {"pk": s["their_listing"].pk},
    "time-for-me/": None,
    "time-for-me/sign-in/<str:token>/": lambda s: {"token": "not-a-real-link"},
    "time-for-me/sign-out/": None,
    "time-for-me/activities/": None,
    "time-for-me/activities/<id:pk>/": lambda s: {"pk": s["their_listing"].pk},
    "time-for-me/your-voucher/": None,
    "consortium-contracts/<id:pk>/voucher-budgets/": lambda s: {"pk": s["their_contract"].pk},
    "alliances/": None,
    "alliances/<id:pk>/": lambda s: {"pk": s["their_alliance"].pk},
    "alliances/<id:pk>/periods/<id:period_pk>/costs/": lambda s: {"pk": s["their_alliance"].pk,
                                                                  "period_pk": s["their_alliance_period"].pk},
    "alliances/<id:pk>/periods/<id:period_pk>/scores/": lambda s: {"pk": s["their_alliance"].pk,
                                                                   "period_pk": s["their_alliance_period"].pk},
    "alliances/<id:pk>/periods/<id:period_pk>/settle/": lambda s: {"pk": s["their_alliance"].pk,
                                                                   "period_pk": s["their_alliance_period"].pk},
    "consortium-contracts/": None,
    "consortium-contracts/<id:pk>/": lambda s: {"pk": s["their_contract"].pk},
    "consortium-contracts/<id:pk>/kpis/": lambda s: {"pk": s["their_contract"].pk},
    "consortium-contracts/<id:pk>/kpis/<str:code>/": lambda s: {"pk": s["their_contract"].pk, "code": "1"},
    "consortium-contracts/<id:pk>/statements/": lambda s: {"pk": s["their_contract"].pk},
    "consortium-contracts/<id:pk>/<id:start_year>/quarter-<id:quarter>/return/": lambda s: {
        "pk": s["their_contract"].pk, "start_year": 2026, "quarter": 1},
    "consortium-contracts/<id:pk>/<id:start_year>/quarter-<id:quarter>/release/": lambda s: {
        "pk": s["their_contract"].pk, "start_year": 2026, "quarter": 1},
    "consortium-contracts/<id:pk>/<id:start_year>/performance/": lambda s: {
        "pk": s["their_contract"].pk, "start_year": 2026},
    "api/outcomes/carers": None,
    "api/outcomes/consortium-contracts": None,
    "api/outcomes/consortium-contracts/<id:contract_id>/kpis": lambda s: {"contract_id": s["their_contract"].pk},
    "api/outcomes/consortium-contracts/<id:contract_id>/returns": lambda s: {"contract_id": s["their_contract"].pk},
    "api/outcomes/alliances/<id:alliance_id>/periods": lambda s: {"alliance_id": s["their_alliance"].pk},
    "api/outcomes/alliances/<id:alliance_id>/periods/<id:period_id>/costs": lambda s: {
        "alliance_id": s["their_alliance"].pk, "period_id": s["their_alliance_period"].pk},
    "api/openapi.json": None,
    "api/docs": None,
    "api/": None,
    "api/me": None,
    "api/people": None,
    "api/organisations": None,
    "api/organisations/<id:organisation_id>": lambda s: {"organisation_id": s["them"].pk},
    "api/organisations/<id:organisation_id>/locations": lambda s: {"organisation_id": s["them"].pk},
    "api/citizens": None,
    "api/citizens/<id:citizen_id>": lambda s: {"citizen_id": s["citizen"].pk},
    "api/framework/sections": None,
    "api/framework/services/<id:service_id>/quality": lambda s: {"service_id": s["their_service"].pk},
    "api/framework/services/<id:service_id>/inspections": lambda s: {"service_id": s["their_service"].pk},
    "api/reference/areas": None,
    "api/reference/service-types": None,
    "api/reference/need-groups": None,
    "api/reference/payment-periods": None,
}
# Open to everyone by design (public reference data, sign-in, API description).
PUBLIC = {"", "sign-in/", "accessibility/", "privacy/", "cookies/", "ratings/", "ratings.csv", "ratings.json", "signed-out/", "set-password/<uidb64>/<token>/", "confirm-email/<str:token>/",
          "open-data/", "open-data/<id:council>/ocds/<int:start_year>.json", "api/open-data/ocds/releases",  # open data
          "forgotten-password/", "forgotten-password/sent/", "api/openapi.json", "api/docs",
          "api/reference/areas", "api/reference/service-types", "api/reference/need-groups",
          "api/reference/payment-periods", "api/framework/sections",
          "fees/<id:start_year>/",  # published fees: every signed-in person
          "time-for-me/", "time-for-me/sign-in/<str:token>/"}  # carers sign in with an e-mailed link


def all_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) != "reference-data/settings/":  # Django admin: checked below
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def fill(route: str, values: dict) -> str:
    path = route
    for name, value in values.items():
        path = path.replace(f"<id:{name}>", str(value)).replace(f"<str:{name}>", str(value)).replace(
            f"<slug:{name}>", str(value)).replace(f"<int:{name}>", str(value)).replace(
            f"<{name}>", str(value))
    return "/" + path


def test_every_route_is_covered():
    assert set(all_routes()) - set(ROUTES) == set(), "add the new route to ROUTES"


@pytest.fixture
def scene(db, council, provider, other_provider, make_user, commissioner):
    from django.db import transaction

    with transaction.atomic():
        record(commissioner, "organisation.checked", other_provider, reason="secret note about Birchwood")
    citizen = Citizen.objects.create(
        reference="CM0000001", given_name="Winifred", family_name="Zebedee", date_of_birth=dt.date(1940, 5, 1),
        address="1 Secret Street", postcode="B23 6SD",
    )
    their_person = make_user(Role.PROVIDER_ADMIN, other_provider)
    requirement, tender, package = _their_care(citizen, other_provider, their_person, commissioner)
    return {
        **_their_payments(package, their_person, commissioner),
        **_their_consortium(other_provider),
        **_their_account(other_provider, commissioner),
        "me": make_user(Role.PROVIDER_ADMIN, provider),
        "requirement": requirement,
        "their_tender": tender,
        "their_package": package,
        "them": other_provider,
        "their_person": their_person,
        "citizen": citizen,
        "their_service": other_provider.locations.get(),
        "their_inspection": FocussedInspectionRequest.objects.create(
            location=other_provider.locations.get(), raised_on=dt.date(2026, 11, 1),
            reasons=["3 safeguarding alerts about Birchwood Lodge"]),
        "their_token": ApiToken.issue(their_person, "Birchwood feed")[0],
        "their_document": ComplianceDocument.objects.create(
            organisation=other_provider, document_type=DocumentType.objects.get(code="insurance-el"),
            original_name="Birchwood insurance.pdf", file=ContentFile(b"%PDF-1.4 Birchwood", name="birchwood.pdf")),
        "waiting_change": WaitingChange.objects.create(
            assessment=requirement.assessment, values={"weekly_hours": "14.00"}, values_sha256="x" * 64,
            received_at=clock.now()),
        "their_hold": LegalHold.objects.create(citizen=citizen, reason="Claim about Winifred", placed_by=commissioner,
                                               placed_at=clock.now()),
        "their_application": Application.objects.create(
            organisation=other_provider, framework=Framework.objects.get(), status="submitted",
            bank_account_name="Birchwood Lodge Ltd"),
        "their_framework": Framework.objects.get(),
        "their_partnership": FrameworkPartner.objects.create(
            framework=Framework.objects.get(), asked_by=commissioner, asked_at=clock.now(),
            council=Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Dudley Council")),
    }


def _their_care(citizen, them, their_person, commissioner):
    """A requirement for the citizen, tendered to Birchwood alone, offered for and awarded to it."""
    now = clock.now()
    home_support = ServiceType.objects.get(code="home-support")
    assessment = Assessment.objects.create(citizen=citizen, assessed_on=dt.date(2026, 11, 1), service_type=home_support,
                                           eligible_needs="Help at home", outcomes="Stay at home")
    requirement = CareRequirement.objects.create(
        reference="CR-000999", assessment=assessment, citizen=citizen, service_type=home_support,
        area=Area.objects.get(code="north"), eligible_needs="Help at home", outcomes="Stay at home",
        weekly_hours=7, start_on=dt.date(2026, 12, 1), raised_by=commissioner, raised_at=now)
    tender = Tender.objects.create(requirement=requirement, opens_at=now, closes_at=now + dt.timedelta(days=30),
                                   rule="strategy_2018")
    Invitation.objects.create(tender=tender, organisation=them, invited_at=now)
    location = them.locations.get()
    offer = Offer.objects.create(tender=tender, organisation=them, location=location, confirms_needs=True,
                                 outcomes_response="The Birchwood way", weekly_price_pence=15750,
                                 start_on=dt.date(2026, 12, 1), submitted_by=their_person, submitted_at=now,
                                 changed_at=now)
    package = CarePackage.objects.create(
        reference="CP-000999", requirement=requirement, organisation=them, location=location, route="micro_tender",
        offer=offer, weekly_price_pence=15750, start_on=dt.date(2026, 12, 1), awarded_by=commissioner,
        awarded_at=now)
    return requirement, tender, package


def _their_payments(package, their_person, commissioner):
    """Birchwood's visits, invoice, query, a posted run that paid it, and a change to its package."""
    from caremarket.packages import services as packages
    from caremarket.payments import ingest, runs
    from caremarket.payments.models import PaymentQuery
    from caremarket.periods.models import PaymentPeriod
    from caremarket.periods.publishing import draft_year, publish_year

    publish_year(draft_year(2026, commissioner), commissioner)
    period = PaymentPeriod.objects.get(financial_year__start_year=2026, number=9)
    package.hourly_rate_pence = 2250
    package.save()
    ingest.store_visits(package.organisation, period, [
        {"visit_id": "B1", "package": package.reference, "planned_start": "2026-12-01 08:00",
         "planned_end": "2026-12-01 09:00", "actual_start": "2026-12-01 08:00", "actual_end": "2026-12-01 09:00",
         "carers": "1"},
        {"visit_id": "B2", "package": package.reference, "planned_start": "2026-12-02 08:00",
         "planned_end": "2026-12-02 09:00", "actual_start": "", "actual_end": "", "carers": "1"}],
        their_person, keep_valid_rows=False)
    invoice = ingest.submit_invoice(ingest.invoice_for(package.organisation, period), their_person)
    run = runs.run_period(period, commissioner)
    runs.post_run(run, commissioner)
    change = packages.request_change(package, commissioner, kind="suspension", effective_from=dt.date(2026, 12, 2),
                                    effective_to=dt.date(2026, 12, 3), reason="Birchwood hospital stay")
    assert run.lines.filter(organisation=package.organisation).exists()
    return {"their_invoice": invoice, "their_query": PaymentQuery.objects.get(), "their_run": run,
            "their_change": change}


def _their_account(them, commissioner):
    """The council's notes on Birchwood: a visit, an action and a review."""
    from caremarket.management.models import Action, ContactEntry, ContractReview

    contact = ContactEntry.objects.create(organisation=them, kind="monitoring_visit", happened_on=dt.date(2026, 11, 2),
                                          summary="Birchwood visit", notes="Secret Street", recorded_by=commissioner,
                                          recorded_at=clock.now())
    review = ContractReview.objects.create(organisation=them, start_year=2026, quarter=3, due_on=dt.date(2026, 11, 15),
                                           market_share="0.2", agenda=[{"heading": "Birchwood", "lines": []}],
                                           scheduled_at=clock.now())
    action = Action.objects.create(organisation=them, entry=contact, description="Birchwood action",
                                   owner=commissioner, due_on=dt.date(2026, 12, 1))
    from caremarket.incidents.models import Incident

    incident = Incident.objects.create(reference="INC-999999", location=them.locations.get(), kind="safeguarding",
                                       occurred_on=dt.date(2026, 11, 1), what_happened="Birchwood Secret Street",
                                       reported_by=commissioner, reported_at=clock.now())
    from caremarket.management.models import CostOfCareReturn
    from caremarket.reference.models import ServiceType

    their_return = CostOfCareReturn.objects.create(
        organisation=them, service_type=ServiceType.objects.get(code="home-support"), start_year=2025,
        staff_costs_pence=1_300_000_00, on_costs_pence=300_000_00, overheads_pence=400_000_00, surplus_pence=50_000_00,
        units_delivered=100_000, sent_by=commissioner, sent_at=clock.now())
    return {"their_contact": contact, "their_review": review, "their_action": action, "their_incident": incident,
            "their_cost_of_care": their_return}


def _their_consortium(them):
    """A consortium Birchwood leads, its contract, and a carer it registered."""
    from caremarket.organisations.models import ConsortiumMembership, Organisation
    from caremarket.outcomes.models import (
        AllianceContract,
        AlliancePartner,
        AlliancePeriod,
        Carer,
        ConsortiumContract,
        ContractYear,
        Listing,
    )

    group = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Birchwood Carers Consortium")
    ConsortiumMembership.objects.create(consortium=group, member=them, is_lead=True, joined_on="2026-04-01")
    contract = ConsortiumContract.objects.create(reference="BW-1", name="Birchwood carers contract", consortium=group,
                                                 starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31))
    ContractYear.objects.create(contract=contract, start_year=2026, annual_value_pence=1_000_00, target=10,
                                measure=ContractYear.Measure.REGISTERED_AND_ASSESSED)
    carer = Carer.objects.create(reference="C9999999", consortium=group, registered_by=them, given_name="Winifred",
                                 family_name="Zebedee", born_on=dt.date(1950, 1, 1), postcode="B23 6SD",
                                 registered_on=dt.date(2026, 5, 1), cared_for="Secret Street neighbour",
                                 hours_a_week=60)
    listing = Listing.objects.create(organisation=them, title="Birchwood spa day", category="therapy",
                                     description="Secret Street spa", where="Birchwood", price_pence=5000, places=3)
    alliance = AllianceContract.objects.create(reference="BW-ALLIANCE", name="Birchwood alliance", purpose="x",
                                               starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31))
    AlliancePartner.objects.create(contract=alliance, organisation=them, share=1, allowance_pence=100)
    period = AlliancePeriod.objects.create(contract=alliance, label="Birchwood 2026", starts_on=dt.date(2026, 4, 1),
                                           ends_on=dt.date(2026, 9, 30), target_cost_pence=1000)
    return {"their_contract": contract, "their_carer": carer, "their_listing": listing, "their_alliance": alliance,
            "their_alliance_period": period}


SECRETS = ("Birchwood", "Zebedee", "Winifred", "1-200000002", "Secret Street")


# Open contracting data publishes who was awarded a contract, by design; never the citizen.
AWARDS_PUBLISHED = {"open-data/<id:council>/ocds/<int:start_year>.json", "api/open-data/ocds/releases"}


def _leaks(response, route="") -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    return [secret for secret in SECRETS if secret in body and not (secret == "Birchwood" and route in AWARDS_PUBLISHED)]


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_provider_never_sees_another_providers_records_or_a_citizen(route, scene, signed_in):
    client = signed_in(scene["me"])
    params = ROUTES[route]
    path = fill(route, params(scene)) if params else "/" + route
    response = client.get(path)
    if params and route not in PUBLIC:
        carers_only = route.startswith("time-for-me/") and response.get("Location") == "/time-for-me/"
        directory_only = route.startswith("scim/") and response.status_code == 401  # tokens alone sign in there
        assert response.status_code in (403, 404, 405) or carers_only or directory_only, \
            f"{path} gave {response.status_code}"
    assert (leaks := _leaks(response, route)) == [], f"{path} shows {leaks}"
    if route.startswith("services/") and route != "services/<id:pk>/quality/":
        assert client.post(path, {"statement": "x", "self_rating": 4, "grounds": "x"}).status_code in (403, 404)
        assert not PqasSubmission.objects.exists()
    if route == "documents/<id:pk>/verify/":
        assert client.post(path).status_code == 403
        assert ComplianceDocument.objects.get(pk=scene["their_document"].pk).verified_at is None
    if route in ("api-tokens/<id:pk>/revoke/", "api-tokens/<id:pk>/rotate/"):
        assert client.post(path).status_code == 404
        assert ApiToken.objects.get(pk=scene["their_token"].pk).revoked_at is None
        assert ApiToken.objects.filter(user=scene["their_token"].user).count() == 1
    if route == "api/tendering/opportunities/<id:tender_id>/offer":
        body = {"location_id": scene["their_service"].pk, "confirms_needs": True, "outcomes_response": "x",
                "start_on": "2026-12-01"}
        assert client.put(path, body, content_type="application/json").status_code == 404
        assert client.delete(path).status_code == 404
        assert Offer.objects.get().outcomes_response == "The Birchwood way"
    if route.startswith("brokerage/") and route.endswith(("award/", "choice/", "next-round/", "cancel/")):
        assert client.post(path).status_code in (403, 404)
    if route == "opportunities/<id:tender_pk>/withdraw/":
        assert client.post(path).status_code == 404
        assert Offer.objects.get().status == "submitted"
    if route in ("payments/invoices/<id:pk>/submit/", "payments/queries/<id:pk>/",
                 "api/payments/queries/<id:query_id>/answer", "package-changes/<id:pk>/decide/"):
        assert client.post(path, {"answer": "x", "answer-answer": "x", "decision": "approve"},
                           content_type="application/json" if route.startswith("api/") else
                           "multipart/form-data; boundary=BoUnDaRyStRiNg").status_code in (403, 404)
        assert scene["their_query"].__class__.objects.get().status == "open"
        assert scene["their_change"].__class__.objects.get().status == "proposed"
    if route == "api/organisations/<id:organisation_id>":
        response = client.patch(path, {"email": "x@example.test"}, content_type="application/json")
        assert response.status_code == 404
        scene["them"].refresh_from_db()
        assert scene["them"].email == ""


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_an_anonymous_visitor_gets_nothing_private(route, scene, client):
    params = ROUTES[route]
    path = fill(route, params(scene)) if params else "/" + route
    response = client.get(path)
    assert (leaks := _leaks(response, route)) == [], f"{path} shows {leaks}"
    if route not in PUBLIC:
        assert response.status_code in (302, 401, 404, 405), f"{path} gave {response.status_code}"
        if response.status_code == 302:  # to sign in: a carer's pages to their own sign-in
            assert response["Location"].startswith("/time-for-me/" if route.startswith("time-for-me/") else "/sign-in/")


def test_a_provider_sees_its_own_records(scene, signed_in, provider):
    client = signed_in(scene["me"])
    assert client.get(f"/organisations/{provider.pk}/").status_code == 200
    assert client.get(f"/api/organisations/{provider.pk}/locations").json()[0]["cqc_location_id"] == "1-200000001"
    listed = client.get("/api/organisations").json()["items"]
    assert [o["name"] for o in listed] == ["Acorn Home Care"]


def test_council_staff_see_every_provider_but_only_some_roles_see_citizens(scene, signed_in, make_user, council):
    account_manager = signed_in(make_user(Role.ACCOUNT_MANAGER, council))
    assert account_manager.get(f"/organisations/{scene['them'].pk}/").status_code == 200
    assert account_manager.get(f"/citizens/{scene['citizen'].pk}/").status_code == 403
    social_worker = signed_in(make_user(Role.SOCIAL_WORKER, council))
    assert "Zebedee" in social_worker.get(f"/citizens/{scene['citizen'].pk}/").content.decode()


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF])
def test_providers_cannot_reach_the_back_office(role, make_user, provider, signed_in):
    response = signed_in(make_user(role, provider)).get("/reference-data/settings/quality/triggerthreshold/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# What a programmer would recognise and a person should never read: a Python dict or list of
# objects, a query set, a model's default name, a database column, a traceback.
DEVELOPER_TEXT = re.compile(r"\{'|<QuerySet|\[<|\w object \(\d+\)|\b\w+_id\b|Traceback|\bNone\b|-{5,}")


def _words_on(response) -> str:
    """The text a person reads on the page: no scripts, styles, tags or attribute values, and no
    <code>, which shows what a person types exactly (a file's column names)."""
    body = response.content.decode(errors="replace")
    body = re.sub(r"<(script|style|code)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# What a person should never read either: a sum in pence, a yes or no as Python writes it, and a
# number of four or more digits without its thousands separator (not a year, a reference or a
# time: those are identifiers, written without one).
WORDS_NOT_FOR_PEOPLE = re.compile(r"\bpence\b|\bTrue\b|\bFalse\b")
UNFORMATTED_NUMBER = re.compile(r"(?<![\w\-/.:,+])[1-9]\d{3,}(?![\w\-/:,]|\.\d{3})")


ENGLISH_AS_WELL = {"home-support", "call-monitoring"}  # codes that are also words: "the home-support areas"


def _slugs() -> set[str]:
    """The codes records are known by in files and the API; a page names them in words."""
    from caremarket.framework.models import EntryCriterion
    from caremarket.reference.models import NeedGroup

    codes = set()
    for model in (ServiceType, NeedGroup, Area, DocumentType, EntryCriterion):
        codes |= {code for code in model.objects.values_list("code", flat=True) if "-" in code or "_" in code}
    return codes - ENGLISH_AS_WELL


def _not_for_people(text: str, slugs: set[str]) -> list[str]:
    found = DEVELOPER_TEXT.findall(text) + WORDS_NOT_FOR_PEOPLE.findall(text)
    found += [n for n in UNFORMATTED_NUMBER.findall(text) if not (len(n) == 4 and 1900 <= int(n) <= 2099)]
    return found + [slug for slug in slugs if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text)]


def test_no_page_shows_any_role_developer_text_pence_slugs_or_unformatted_numbers(scene, signed_in, make_user,
                                                                                 council):
    """Every page in the table, as every role that may open it: what it says is in words."""
    from caremarket.organisations.models import Organisation

    assessor = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Independent Assessors Ltd")
    consortium = Organisation.objects.get(kind=Organisation.Kind.CONSORTIUM)
    home = {"council": council, "provider": scene["them"], "consortium": consortium, "assessor": assessor}
    kind_of = {**dict.fromkeys(COUNCIL_ROLES, "council"), **dict.fromkeys(PROVIDER_ROLES, "provider"),
               **dict.fromkeys(CONSORTIUM_ROLES, "consortium"), Role.QUALITY_ASSESSOR: "assessor"}
    people = {role.label: make_user(role, home[kind_of[role]], f"scan.{role.value}@example.test") for role in Role}
    slugs, shown = _slugs(), {}
    for route, params in sorted(ROUTES.items()):
        if route.startswith("api/") or route.endswith((".csv", ".json", ".pdf")):
            continue
        path = fill(route, params(scene)) if params else "/" + route
        for who, person in people.items():
            response = signed_in(person).get(path)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                if found := _not_for_people(_words_on(response), slugs):
                    shown[f"{path} as {who}"] = sorted(set(found))
    assert shown == {}, "\n".join(f"{k}: {v}" for k, v in shown.items())


# Every query parameter a page reads, and then some: a filter, a page number, a year.
QUERY_NAMES = ("all", "assessment", "by", "category", "file", "format", "member", "page", "period", "q", "quarter",
               "status", "year", "action", "active", "area", "citizen", "kind", "mine", "person", "role", "route",
               "service_type", "need_group", "rating", "urgency", "waiting_days", "who", "young", "since", "until",
               "offset", "limit", "sort", "order", "start_year", "organisation", "provider", "from", "to")


@pytest.mark.parametrize("who", ["commissioner", "me"])
def test_a_superscript_digit_in_any_query_is_refused_not_a_server_error(who, scene, commissioner, client):
    """A superscript "²" in a filter or page number is not a number the service takes
    (core.cleaning.whole_number), and never gives a server error."""
    from django.test import Client

    asker = Client(raise_request_exception=False)
    asker.force_login(commissioner if who == "commissioner" else scene[who])
    verify_second_factor(asker, commissioner if who == "commissioner" else scene[who])
    odd = dict.fromkeys(QUERY_NAMES, "²")  # str.isdigit says yes, int and Decimal refuse it
    failures = []
    for route in sorted(ROUTES):
        params = ROUTES[route]
        path = fill(route, params(scene)) if params else "/" + route
        if (status := asker.get(path, odd).status_code) >= 500:
            failures.append(f"{path}: {status}")
    assert failures == []


CITIZEN_SHOWN = ("Zebedee", "Winifred", "CM0000001", "1 Secret Street")
# The log itself lists the record numbers that were read, for the data protection officer;
# logging its own reads would add an entry each time it is looked at.
NOT_LOGGED = {"citizens/access-log/"}


def test_every_page_that_shows_a_citizen_logs_who_was_shown(scene, make_user, council):
    """Walk every route as each council role that may see citizens: any answer naming the
    citizen has an entry in the access log for that citizen, made by that request."""
    from django.test import Client

    from caremarket.accounts.permissions import GRANTS
    from caremarket.citizens.models import RecordAccessCitizen

    unlogged = []
    for role in sorted(GRANTS["view_citizens"]):
        asker = Client(raise_request_exception=False)
        walker = make_user(Role(role), council, username=f"{role}.walker@council.test")
        asker.force_login(walker)
        verify_second_factor(asker, walker)
        for route in sorted(ROUTES):
            params = ROUTES[route]
            path = fill(route, params(scene)) if params else "/" + route
            before = RecordAccessCitizen.objects.filter(citizen=scene["citizen"]).count()
            response = asker.get(path)
            body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
                errors="replace")
            shown = any(html.escape(detail) in body or detail in body for detail in CITIZEN_SHOWN)
            logged = RecordAccessCitizen.objects.filter(citizen=scene["citizen"]).count() > before
            if shown and not logged and route not in NOT_LOGGED:
                unlogged.append(f"{role} {path}")
    assert unlogged == []


@pytest.mark.parametrize("route", ["documents/<id:pk>/verify/", "providers/<id:pk>/actions/<id:action_pk>/done/"])
@pytest.mark.parametrize("asked, goes_to_asked", [
    ("https://evil.example/phish", False), ("//evil.example/phish", False), ("/\\evil.example/phish", False),
    ("javascript:alert(1)", False), ("/applications/?status=submitted", True)])
def test_an_action_sends_people_back_only_to_the_services_own_pages(route, asked, goes_to_asked, scene, commissioner,
                                                                   signed_in):
    path = fill(route, ROUTES[route](scene))
    response = signed_in(commissioner).post(path, {"next": asked})
    assert response.status_code == 302
    assert (response["Location"] == asked) == goes_to_asked
    assert "evil.example" not in response["Location"] and not response["Location"].startswith("javascript")
