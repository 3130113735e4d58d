"""Benchmark: the lists people work through, filtered, at a demo market's size; prints one JSON line.

Each page is asked for as the person who uses it, through the whole stack in process (URL,
permissions, filters, count, page, template), and the median of several asks is its server
time. Beside it, the reference: the same two queries the page's list needs (the count and the
page of rows) sent straight to the database engine, so the ratio holds on a shared machine.

    python -m bench.list_pages --scale 10
"""

import json
import sys

from bench.measuring import demo_market, median_seconds, signed_in

PAGES = [  # (person, address, the list's queryset as the page filters it)
    ("broker", "/brokerage/?status=every&area=2&sort=-waiting", "brokerage"),
    ("finance", "/care-packages/?status=active&service_type=1&sort=-price", "packages"),
    ("provider.admin", "/care-packages/?status=active", "own_packages"),
    ("social.worker", "/citizens/?q=smith", "citizens"),
    ("commissioner", "/organisations/?kind=provider&sort=name", "organisations"),
    ("finance", "/payments/queries/?status=open", "queries"),
    ("finance", "/payments/invoices/?status=received&sort=due", "invoices"),
    ("quality", "/inspections/?status=every&sort=called", "inspections"),
    ("commissioner", "/citizens/access-log/?kind=list", "access_log"),
    ("commissioner", "/people/?role=provider_admin", "people"),
    ("commissioner", "/audit/?action=care_package", "audit"),
    (None, "/ratings/?service_type=home-support&rating=3", "ratings"),
]

ADDRESS = {name: address for _, address, name in PAGES}


def main():
    scale = demo_market()
    from django.db import connection
    from django.test import Client
    from django.test.client import RequestFactory

    from caremarket.accounts.models import User
    from caremarket.demo.names import demo_username

    querysets = _querysets(RequestFactory())
    results = {}
    for login, address, name in PAGES:
        client = (signed_in(User.objects.get(username=demo_username(login))) if login
                  else Client(raise_request_exception=True))
        answer = client.get(address)
        assert answer.status_code == 200, (address, answer.status_code)
        page_seconds = median_seconds(lambda: client.get(address))
        queryset = querysets[name]()
        count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
        rows_sql, rows_params = queryset[:50].query.sql_with_params()

        def bare():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)
                cursor.fetchone()
                cursor.execute(rows_sql, rows_params)
                cursor.fetchall()

        results[address] = {"page_ms": page_seconds * 1000, "engine_ms": median_seconds(bare) * 1000,
                            "rows": queryset.count()}
    json.dump({"scale": scale, "pages": results}, sys.stdout)


def _querysets(factory):
    """The list each page shows, built by its own filter (the reference asks the engine for it)."""
    from caremarket.accounts.filters import PeopleFilter
    from caremarket.accounts.models import User
    from caremarket.accounts.permissions import visible
    from caremarket.audit.filters import AuditFilter
    from caremarket.audit.models import AuditEvent
    from caremarket.citizens.filters import AccessLogFilter, CitizenFilter
    from caremarket.citizens.models import Citizen, RecordAccess
    from caremarket.demo.names import demo_username
    from caremarket.organisations.filters import OrganisationFilter
    from caremarket.organisations.models import Organisation
    from caremarket.packages.filters import CarePackageFilter
    from caremarket.packages.models import CarePackage
    from caremarket.payments.filters import InvoiceFilter, QueryFilter
    from caremarket.payments.models import Invoice, PaymentQuery
    from caremarket.quality.filters import InspectionRequestFilter
    from caremarket.quality.models import FocussedInspectionRequest
    from caremarket.quality.publication import published_locations
    from caremarket.tendering.filters import BrokerageFilter
    from caremarket.tendering.models import CareRequirement

    def request(login, address):
        asked = factory.get(address)
        asked.user = User.objects.get(username=demo_username(login))
        return asked

    def filtered(filter_class, login, address, queryset):
        asked = request(login, address)
        return filter_class(asked.GET, visible(queryset, asked.user), request=asked).qs

    return {
        "brokerage": lambda: filtered(BrokerageFilter, "broker", ADDRESS["brokerage"], CareRequirement.objects.all()),
        "packages": lambda: filtered(CarePackageFilter, "finance", ADDRESS["packages"], CarePackage.objects.all()),
        "own_packages": lambda: filtered(CarePackageFilter, "provider.admin", ADDRESS["own_packages"], CarePackage.objects.all()),
        "citizens": lambda: filtered(CitizenFilter, "social.worker", ADDRESS["citizens"], Citizen.objects.all()),
        "organisations": lambda: filtered(OrganisationFilter, "commissioner", ADDRESS["organisations"], Organisation.objects.all()),
        "queries": lambda: filtered(QueryFilter, "finance", ADDRESS["queries"], PaymentQuery.objects.all()),
        "invoices": lambda: filtered(InvoiceFilter, "finance", ADDRESS["invoices"], Invoice.objects.all()),
        "inspections": lambda: filtered(InspectionRequestFilter, "quality", ADDRESS["inspections"],
                                        FocussedInspectionRequest.objects.all()),
        "access_log": lambda: filtered(AccessLogFilter, "commissioner", ADDRESS["access_log"], RecordAccess.objects.all()),
        "people": lambda: filtered(PeopleFilter, "commissioner", ADDRESS["people"], User.objects.all()),
        "audit": lambda: filtered(AuditFilter, "commissioner", ADDRESS["audit"], AuditEvent.objects.all()),
        "ratings": lambda: published_locations(service_type="home-support", rating="3"),
    }


if __name__ == "__main__":
    main()
