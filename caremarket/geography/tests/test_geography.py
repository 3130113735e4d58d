import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.geography.lookups import area_for_postcode
from caremarket.geography.models import Area, Ward
from caremarket.geography.postcodes import PostcodeError, district, normalise


def test_the_five_areas_have_their_weekly_hours_and_neighbours(db):
    hours = dict(Area.objects.values_list("name", "weekly_care_hours"))
    assert hours == {"North": 24700, "West": 18500, "East": 18000, "South Central": 15600, "South West": 17000}
    north = Area.objects.get(code="north")
    assert sorted(a.code for a in north.borders.all()) == ["east", "west"]
    assert north in Area.objects.get(code="west").borders.all()  # borders are mutual


def test_all_69_birmingham_wards_belong_to_an_area(db):
    assert Ward.objects.count() == 69
    assert Ward.objects.get(name="Sutton Vesey").area.code == "north"
    assert Ward.objects.get(name="Moseley").area.code == "south-central"


@pytest.mark.parametrize("postcode, area", [("B23 6SD", "North"), ("b296ab", "South Central"), ("B31 2PA", "South West")])
def test_a_postcode_finds_its_area(db, postcode, area):
    assert area_for_postcode(postcode).name == area


def test_a_postcode_outside_the_city_has_no_area(db):
    assert area_for_postcode("WS1 1AA") is None


@pytest.mark.parametrize("bad", ["", "B23", "12345", "BB23 6SDX", "B23 SD6"])
def test_what_is_not_a_postcode_is_refused_with_the_text(bad):
    with pytest.raises(PostcodeError, match="is not a UK postcode"):
        normalise(bad)


@given(
    st.sampled_from(["B", "WS", "SW", "M", "EC"]), st.integers(1, 99), st.integers(0, 9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)
def test_normalising_is_idempotent_and_keeps_the_district(letters, number, digit, tail):
    postcode = f"{letters}{number}{digit}{tail}".lower()
    tidy = normalise(postcode)
    assert normalise(tidy) == tidy
    assert district(postcode) == f"{letters}{number}"


def test_a_commissioner_adds_a_ward_to_an_area_and_finds_it_by_its_ons_code(commissioner, signed_in):
    from caremarket.audit.models import AuditEvent

    client = signed_in(commissioner)
    north = Area.objects.get(code="north")
    refused = client.post("/reference-data/wards/add/", {"name": "New Ward", "ons_code": "E0599999999",
                                                         "area": north.pk}).content.decode()
    assert 'href="#id_ons_code"' in refused and not Ward.objects.filter(name="New Ward").exists()
    client.post("/reference-data/wards/add/", {"name": "New Ward", "ons_code": "E05999999", "area": north.pk})
    assert Ward.objects.get(ons_code="E05999999").area == north
    assert AuditEvent.objects.get().action == "ward.added"
    page = client.get("/reference-data/wards/", {"q": "e05999999", "area": north.pk}).content.decode()
    assert "New Ward" in page and "of <b>1</b> wards" in page


def test_an_areas_neighbours_are_ticked_and_its_hours_read_with_separators(commissioner, signed_in):
    client = signed_in(commissioner)
    north = Area.objects.get(code="north")
    others = list(Area.objects.exclude(pk=north.pk).values_list("pk", flat=True)[:2])
    client.post(f"/reference-data/areas/{north.pk}/", {"name": north.name, "weekly_care_hours": "12500",
                                                       "borders": others})
    assert sorted(north.borders.values_list("pk", flat=True)) == sorted(others)
    assert "12,500" in client.get("/reference-data/areas/").content.decode()
