"""The audit trail in words."""

from caremarket.audit.reading import changes


def test_amounts_kept_in_pence_read_as_pounds():
    assert changes({"staff_costs_pence": 159_470_000}, {"staff_costs_pence": 159_470_377}) == [
        ("Staff costs", "£1,594,700.00", "£1,594,703.77")]
    assert changes(None, {"amount pence": 3000, "why": "A new carer"}) == [
        ("Amount", "", "£30.00"), ("Why", "", "A new carer")]
    assert changes({"hours": 10}, {"hours": 10}) == []  # what stayed the same is left out


def test_numbers_have_their_thousands_separated_but_years_do_not():
    assert changes({"units_delivered": 99_000, "start_year": 2025}, {"units_delivered": 100_000, "start_year": 2026}) \
        == [("Units delivered", "99,000", "100,000"), ("Start year", "2025", "2026")]


def test_a_linked_record_is_named_and_a_citizen_by_record_number_only(db, provider, other_provider, commissioner,
                                                                      signed_in):
    import datetime as dt

    from django.db import transaction

    from caremarket.audit.trail import record
    from caremarket.citizens.models import Assessment, Citizen
    from caremarket.organisations.models import CareLocation
    from caremarket.reference.models import ServiceType

    location = provider.locations.get()
    citizen = Citizen.objects.create(reference="CM0000042", given_name="Winifred", family_name="Zebedee",
                                     date_of_birth=dt.date(1940, 5, 1))
    assessment = Assessment.objects.create(citizen=citizen, assessed_on=dt.date(2026, 11, 1), eligible_needs="x",
                                           outcomes="y", service_type=ServiceType.objects.first())
    with transaction.atomic():
        record(commissioner, "care_location.moved", location, before={"organisation_id": provider.pk},
               after={"organisation_id": other_provider.pk})
        record(commissioner, "assessment.changed", assessment, before={"citizen_id": None},
               after={"citizen_id": citizen.pk})
    assert changes({"organisation_id": provider.pk}, {"organisation_id": other_provider.pk},
                   object_type=CareLocation._meta.label_lower) == [
        ("Organisation", provider.name, other_provider.name)]
    page = signed_in(commissioner).get("/audit/").content.decode()
    assert f"<td class=\"govuk-table__cell cm-pre-wrap\">{other_provider.name}</td>" in page
    assert "CM0000042" in page and "Zebedee" not in page
