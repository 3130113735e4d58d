"""Each council reads its own part of the audit trail: the events of its own work and what is
national (a provider's own records), never another council's, on the list, a record's history
and the download."""

import datetime as dt

from django.db import transaction

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.audit.trail import record, seal, verify
from caremarket.citizens.models import Citizen


def test_a_councils_staff_read_their_own_councils_events_and_what_is_national(council, neighbour, provider,
                                                                                make_user, signed_in):
    ours = make_user(Role.COMMISSIONER, council, username="ours@council.test")
    citizen = Citizen.objects.create(council=council, reference="CM0000042", given_name="Ada", family_name="Ours",
                                     date_of_birth=dt.date(1940, 1, 1), address="1 Road", postcode="B1 1AA")
    with transaction.atomic():
        record(ours, "citizen.checked", citizen, reason="Checked CM0000042")
        record(ours, "organisation.checked", provider, reason="A note about Acorn")  # the council's work
        record(make_user(Role.PROVIDER_ADMIN, provider), "organisation.renamed", provider, reason="Acorn renamed")
    seal()
    councils = dict(AuditEvent.objects.filter(reason__in=["Checked CM0000042", "A note about Acorn", "Acorn renamed"])
                    .values_list("reason", "council"))
    assert councils == {"Checked CM0000042": council.pk, "A note about Acorn": council.pk, "Acorn renamed": None}
    theirs = signed_in(make_user(Role.COMMISSIONER, neighbour, username="theirs@neighbour.test"))
    download = b"".join(theirs.get("/audit/?format=csv").streaming_content).decode()
    for page in (theirs.get("/audit/").content.decode(), download):
        assert "Acorn renamed" in page and "CM0000042" not in page and "A note about Acorn" not in page
    history = theirs.get(f"/audit/citizens.citizen/{citizen.pk}/").content.decode()
    assert "CM0000042" not in history
    page = signed_in(ours).get("/audit/").content.decode()
    assert "CM0000042" in page and "A note about Acorn" in page and "Acorn renamed" in page
    assert verify() == []  # the chain is whole: who may read an event is not part of what happened
