from django.conf import settings
from django.urls import reverse

from caremarket.accounts.permissions import can


def navigation(request):
    user = request.user
    items = [("Home", "home", None)]
    if user.is_authenticated:
        items += [
            ("Join the framework", "enrolment", "enrol"),
            ("Applications", "application-list", "decide_applications"),
            ("Organisations", "organisation-list", None),
            ("Citizens", "citizen-list", "view_citizens"),
            ("Brokerage", "brokerage", "view_brokerage"),
            ("Opportunities", "opportunities", "make_offers"),
            ("Care packages", "care-packages", "view_care_packages"),
            ("Hand-backs", "hand-back", "hand_back_packages"),
            ("Payments", "payments", "view_payments"),
            ("Fees", "fees", None),
            ("People", "people-list", None),
            ("Payment calendar", "payment-calendar", None),
            ("CQC data", "cqc-imports", "import_cqc_data"),
            ("Audit trail", "audit-list", "view_audit_trail"),
            ("API tokens", "api-tokens", None),
        ]
        if can(user, "manage_reference_data"):
            items.append(("Reference data", "admin:index", None))
    items.append(("Care provider ratings", "public-ratings", None))
    path = request.path
    nav = []
    for text, name, action in items:
        if action and not can(user, action):
            continue
        href = reverse(name)
        current = path == href if name == "home" else path.startswith(href)
        nav.append({"text": text, "href": href, "current": current})
    return {"navigation": nav, "council_name": settings.COUNCIL_NAME}
