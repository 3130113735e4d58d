import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.citizens.anonymise import age_band, age_on, anonymised_requirement


def test_age_bands():
    assert [age_band(a) for a in (17, 18, 44, 64, 65, 84, 85, 103)] == [
        "under 18", "18 to 24", "25 to 44", "45 to 64", "65 to 74", "75 to 84", "85 and over", "85 and over"]


def test_a_birthday_counts_from_the_day():
    assert age_on(dt.date(1950, 6, 2), dt.date(2026, 6, 1)) == 75
    assert age_on(dt.date(1950, 6, 2), dt.date(2026, 6, 2)) == 76


@given(st.dates(min_value=dt.date(1910, 1, 1), max_value=dt.date(2008, 1, 1)))
def test_what_a_provider_sees_has_no_name_birth_date_address_or_record_number(born):
    shown = anonymised_requirement(
        date_of_birth=born, today=dt.date(2026, 11, 23), area="North", ward="Erdington",
        service_type="Home support", need_groups=["Dementia"], eligible_needs="Personal care",
        outcomes="Stay at home", weekly_hours=None,
    )
    assert set(shown) == {"area", "ward", "age_band", "service_type", "need_groups", "eligible_needs",
                          "outcomes", "weekly_hours"}
    assert born.isoformat() not in repr(shown) and str(born.year) not in shown["age_band"]
