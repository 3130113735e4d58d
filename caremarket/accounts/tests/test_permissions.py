import pytest
from django.http import Http404

from caremarket.accounts.permissions import GRANTS, can, get_visible_or_404, visible
from caremarket.accounts.roles import COUNCIL_ROLES, Role
from caremarket.citizens.models import Citizen
from caremarket.organisations.models import ConsortiumMembership, Organisation


@pytest.fixture
def consortium(db):
    consortium = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Carers Consortium")
    lead, member, outsider = (Organisation.objects.create(kind=Organisation.Kind.CHARITY, name=n)
                              for n in ("Lead Carers", "Member Carers", "Outside Carers"))
    for organisation, is_lead in ((lead, True), (member, False)):
        ConsortiumMembership.objects.create(consortium=consortium, member=organisation, is_lead=is_lead,
                                            joined_on="2025-04-01")
    return {"consortium": consortium, "lead": lead, "member": member, "outsider": outsider}


def test_an_integrator_sees_its_consortium_and_members_but_a_member_sees_only_itself(consortium, make_user):
    integrator = make_user(Role.CONSORTIUM_INTEGRATOR, consortium["lead"])
    member = make_user(Role.CONSORTIUM_MEMBER, consortium["member"])
    names = lambda user: sorted(visible(Organisation.objects.all(), user).values_list("name", flat=True))
    assert names(integrator) == ["Carers Consortium", "Lead Carers", "Member Carers"]
    assert names(member) == ["Member Carers"]


def test_a_closed_account_sees_nothing(provider_admin, provider):
    provider_admin.is_active = False
    assert not visible(Organisation.objects.all(), provider_admin).exists()
    assert not can(provider_admin, "edit_own_organisation")


def test_nobody_outside_the_council_sees_citizens_whatever_their_role(provider, make_user, council):
    Citizen.objects.create(reference="CM1", given_name="A", family_name="B", date_of_birth="1940-01-01",
                           address="x", postcode="B1 1AA")
    for role in (Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF, Role.CONSORTIUM_MEMBER):
        assert not visible(Citizen.objects.all(), make_user(role, provider, username=f"{role}@x.test")).exists()


def test_a_record_you_may_not_see_is_not_found(provider_admin, other_provider):
    with pytest.raises(Http404):
        get_visible_or_404(Organisation, provider_admin, pk=other_provider.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Organisation, provider_admin, pk="not a number")


def test_only_council_roles_are_granted_council_actions():
    for action in ("manage_people", "view_audit_trail", "view_citizens", "publish_payment_periods",
                   "manage_reference_data", "view_organisations"):
        assert GRANTS[action] <= COUNCIL_ROLES, action


def test_an_unknown_action_is_a_programming_error(provider_admin):
    with pytest.raises(KeyError):
        can(provider_admin, "do_anything")
