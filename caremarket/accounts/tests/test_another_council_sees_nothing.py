"""Two councils on one install: every route, as every role of the other council, shows nothing
of a council's own records (its citizens, their care, its payments), by address or in any list.

The scene is the access test's own (test_access_to_every_route.py): everything in it is the
first council's. A route that points at one of its council-owned records must refuse the
neighbour's staff; no route may show its citizen or the references of its care and money.
The other way round, the scene's records are moved to a council set up later, and the first
council's own staff (the council an install defaults to) probe them.
"""

import pytest

from caremarket.accounts.models import User
from caremarket.accounts.roles import COUNCIL_ROLES
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Citizen
from caremarket.organisations.councils import CouncilOwned, council_owned_models
from caremarket.organisations.models import Organisation

from .test_access_to_every_route import ROUTES, fill, scene  # noqa: F401 (the scene is a fixture)

# The first council's own: its citizen (name, address, record number), its care and money, its
# account manager's notes on a provider, and the inspection its quality team called for.
COUNCILS_OWN = ("Winifred", "Zebedee", "Secret Street", "CM0000001", "CR-000999", "CP-000999", "Birchwood visit",
                "Birchwood action", "alerts about Birchwood Lodge")

class _Noting(dict):
    """The scene, noting which of its records a route's address is made from."""

    def __init__(self, scene):
        super().__init__(scene)
        self.used = set()

    def __getitem__(self, key):
        self.used.add(key)
        return super().__getitem__(key)


def _councils_own(record) -> bool:
    return isinstance(record, (CouncilOwned, Citizen))


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def _probe(client, scene) -> list[str]:
    secrets = (*COUNCILS_OWN, scene["their_invoice"].reference)
    found = []
    for route, params in sorted(ROUTES.items()):
        noting = _Noting(scene)
        path = fill(route, params(noting)) if params else "/" + route
        response = client.get(path)
        if response.status_code == 200 and any(_councils_own(noting[key]) for key in noting.used):
            found.append(f"{path} opened another council's record")
        shown = [secret for secret in secrets if secret in _body(response)]
        if shown:
            found.append(f"{path} shows {shown}")
    return found


@pytest.mark.parametrize("role", sorted(COUNCIL_ROLES))
def test_another_councils_staff_see_nothing_of_a_councils_own(role, scene, make_user, signed_in):
    neighbour = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    client = signed_in(make_user(role, neighbour, username=f"{role}@sandwell.test"))
    found = _probe(client, scene)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("role", sorted(COUNCIL_ROLES))
def test_the_first_councils_staff_see_nothing_of_a_council_set_up_later(role, scene, council, make_user,
                                                                          signed_in):
    later = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    for model in council_owned_models().values():
        model._base_manager.filter(council=later).delete()  # what it starts with (its retention schedule)
        model._base_manager.filter(council=council).update(council=later)
    AuditEvent.objects.filter(council=council).update(council=later)  # whose work each recorded
    User.objects.filter(organisation=council).update(organisation=later)  # its staff (who placed a hold)
    client = signed_in(make_user(role, council, username=f"{role}@first.test"))
    found = _probe(client, scene)
    assert found == [], "\n".join(found)
