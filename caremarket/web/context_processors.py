from django.conf import settings
from django.urls import reverse

from caremarket.accounts.permissions import can
from caremarket.accounts.roles import COUNCIL_ROLES

MOST_ITEMS = 8  # in the header's navigation; the rest are on the "More" page

# Everything a signed-in person may open, most used first: (text, URL name, permission, what it is for).
PAGES = [
    ("Home", "home", None, "Your work, most urgent first"),
    ("Brokerage", "brokerage", "view_brokerage", "Care requirements waiting for a provider"),
    ("Opportunities", "opportunities", "make_offers", "Care packages open for your offer"),
    ("Inspections", "inspection-list", "assign_inspections", "Inspections called for, and given to assessors"),
    ("Inspections", "inspection-list", "record_assigned_inspections", "Inspections the council has given you"),
    ("Applications", "application-list", "decide_applications", "Providers' applications to join the framework"),
    ("Join the framework", "enrolment", "enrol", "Your application, services, documents and bank details"),
    ("Citizens", "citizen-list", "view_citizens", "Citizens, their assessments and care"),
    ("Care packages", "care-packages", "view_care_packages", "Care packages awarded, their changes and funding"),
    ("Payments", "payments", "view_payments", "Invoices, queries, payment runs and remittance advice"),
    ("Carers register", "carers", "keep_carers_register", "Carers your organisation registered, their wellbeing "
                                                          "and the support they had"),
    ("Consortium contracts", "consortium-contracts", "view_consortium_contracts",
     "Contracts paid by results: quarterly returns, KPIs, payments and members' statements"),
    ("Alliance contracts", "alliances", "view_alliances",
     "Alliances' target costs, open-book costs, KPIs and gain-share and pain-share settlements"),
    ("Time for Me marketplace", "marketplace", "list_marketplace_activities",
     "Activities you offer carers for their vouchers, and their bookings"),
    ("Incidents and concerns", "incidents", "report_incidents",
     "Concerns, serious incidents, safeguarding alerts, complaints and compliments, triaged and closed"),
    ("Cost of care", "cost-of-care-returns", "view_cost_of_care",
     "Open-book cost-of-care returns, compared with the fee and similar providers"),
    ("The market", "market", "view_market", "Charts of the care market: hours, providers, waiting times and spend"),
    ("Contract reviews", "contract-reviews", "manage_accounts", "Reviews of the largest providers, and actions due"),
    ("Hand-backs", "hand-back", "hand_back_packages", "Packages a provider hands back, placed again"),
    ("Client Level Data return", "national-return", "make_national_return",
     "The quarter's return to NHS England: its file, checked, and what could not be sent"),
    ("Frameworks", "framework-list", "decide_applications",
     "Your council's frameworks, the councils that share them, and providers barred"),
    ("Organisations", "organisation-list", None, "Councils, providers, charities and consortia"),
    ("Fees", "fees", None, "The council's fees for each year"),
    ("Payment calendar", "payment-calendar", None, "The payment periods and payment dates of each year"),
    ("People", "people-list", None, "Who can sign in, and their roles"),
    ("Data protection", "data-protection", "manage_retention",
     "Personal data held, the retention schedule, subject access, legal holds and erasure"),
    ("Audit trail", "audit-list", "view_audit_trail", "Every change, who made it and why"),
    ("CQC data", "cqc-imports", "import_cqc_data", "Imports of the CQC's register of services"),
    ("Reference data", "reference-data", "manage_reference_data", "Service types, need groups, areas, wards, policies and rules"),
    ("API tokens", "api-tokens", None, "Tokens for your systems to use the API"),
    ("Care provider ratings", "public-ratings", None, "The published quality rating of every service"),
]


def pages_for(user) -> list[dict]:
    found = []
    for text, name, action, purpose in PAGES:
        if action and not can(user, action):
            continue
        found.append({"text": text, "href": reverse(name), "purpose": purpose})
    return found


def navigation(request):
    user = request.user
    if user.is_authenticated:
        pages = pages_for(user)
        if len(pages) > MOST_ITEMS:
            pages = pages[:MOST_ITEMS - 1] + [{"text": "More", "href": reverse("more")}]
    else:
        pages = [{"text": "Home", "href": reverse("home")},
                 {"text": "Care provider ratings", "href": reverse("public-ratings")}]
    path = request.path
    for page in pages:
        page["current"] = path == page["href"] if page["href"] == "/" else path.startswith(page["href"])
    return {"navigation": pages, "council_name": _council_name(user)}


def _council_name(user) -> str:
    """Council staff work for their own council; everyone else sees the install's name."""
    if user.is_authenticated and user.role in COUNCIL_ROLES and user.organisation_id:
        return user.organisation.name
    return settings.COUNCIL_NAME
