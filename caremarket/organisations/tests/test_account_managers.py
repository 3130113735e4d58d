"""Each council names its own account manager for a provider, from its own people; the provider
knows each of them."""

from caremarket.accounts.roles import Role
from caremarket.organisations.models import AccountManagement


def test_each_council_names_its_own_account_manager_for_a_provider(council, neighbour, provider, make_user,
                                                                    signed_in):
    ours = make_user(Role.ACCOUNT_MANAGER, council, username="manager@council.test")
    theirs = make_user(Role.ACCOUNT_MANAGER, neighbour, username="manager@neighbour.test")
    ours.first_name, theirs.first_name = "Olive", "Theo"
    ours.save()
    theirs.save()
    AccountManagement.objects.create(council=council, organisation=provider, manager=ours)
    AccountManagement.objects.create(council=neighbour, organisation=provider, manager=theirs)
    assert provider.name in signed_in(theirs).get("/organisations/?mine=on").content.decode()
    page = signed_in(theirs).get(f"/organisations/{provider.pk}/").content.decode()
    assert "Theo Tester" in page and "Olive Tester" not in page  # its own council's manager alone
    both = signed_in(make_user(Role.PROVIDER_ADMIN, provider)).get(f"/organisations/{provider.pk}/").content.decode()
    assert "Theo Tester, Sandwell Council" in both and "Olive Tester, Test City Council" in both
    commissioner = signed_in(make_user(Role.COMMISSIONER, neighbour, username="boss@neighbour.test"))
    form = commissioner.get("/reference-data/settings/organisations/accountmanagement/add/").content.decode()
    managers = form[form.index('name="manager"'):]
    managers = managers[:managers.index("</select>")]
    assert "Theo Tester" in managers and "Olive Tester" not in managers  # only its own people may be named
    listing = commissioner.get("/reference-data/settings/organisations/accountmanagement/").content.decode()
    assert "Theo Tester" in listing and "Olive Tester" not in listing
