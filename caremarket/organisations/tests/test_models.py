"""How organisations and their services are named on pages."""

from caremarket.organisations.models import CareLocation, Organisation


def test_a_service_with_its_providers_name_is_named_once():
    copper = Organisation(kind="provider", name="Copper Home Care")
    assert CareLocation(organisation=copper, name="Copper Home Care").provider_and_service == "Copper Home Care"
    assert CareLocation(organisation=copper, name="copper home care").provider_and_service == "Copper Home Care"
    assert (CareLocation(organisation=copper, name="Copper North office").provider_and_service
            == "Copper Home Care (Copper North office)")
