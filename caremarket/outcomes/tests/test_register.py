import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caremarket.events.models import Event
from caremarket.accounts.permissions import visible
from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.outcomes import register
from caremarket.outcomes.models import Carer, CarerActivity, CarerMerge, WellbeingAssessment

from .conftest import at, new_carer

SCORES = {"time": 2, "control": 3, "social": 2, "emotional": 2, "accommodation": 4, "support": 3, "safety": 4,
          "relationships": 3}


def test_a_registration_gets_a_register_number_and_the_audit_trail_never_names_the_carer(consortium):
    carer = new_carer(consortium, consortium["north"], consortium["north_user"], given="Xanthe", family="Quill")
    assert carer.reference == f"C{carer.pk:07d}"
    events = AuditEvent.objects.filter(object_id=str(carer.pk), action="carer.registered")
    assert events.count() == 1
    assert "Xanthe" not in str(events[0].after) + events[0].object_label
    assert "Quill" not in str(events[0].after) + events[0].object_label
    told = Event.objects.get(kind="carer.registered")  # the council's systems: the number alone
    assert told.data["carer"] == carer.reference and told.citizen is None
    assert "Xanthe" not in str(told.data) and "Quill" not in str(told.data)


def test_members_see_their_own_carers_the_integrator_the_consortiums_and_the_council_none(consortium):
    mine = new_carer(consortium, consortium["north"], consortium["north_user"])
    theirs = new_carer(consortium, consortium["south"], consortium["south_user"], given="Ali", family="Khan")

    def seen(user):
        return set(visible(Carer.objects.all(), user).values_list("pk", flat=True))

    assert seen(consortium["north_user"]) == {mine.pk}
    assert seen(consortium["south_user"]) == {theirs.pk}
    assert seen(consortium["integrator"]) == {mine.pk, theirs.pk}
    assert seen(consortium["outsider_user"]) == set()
    assert seen(consortium["commissioner"]) == set()
    assert seen(consortium["finance"]) == set()


def test_a_member_registering_its_own_carer_twice_is_refused_and_nothing_is_stored(consortium):
    first = new_carer(consortium, consortium["north"], consortium["north_user"])
    with pytest.raises(ValidationError) as refused:
        new_carer(consortium, consortium["north"], consortium["north_user"], given="Jo", postcode="b11aa")
    assert f"You registered this carer already, as {first.reference}" in str(refused.value)
    assert Carer.objects.count() == 1


@pytest.mark.parametrize("facts, field, says", [
    ({"born": dt.date(2027, 1, 1)}, "born_on", "Date of birth must be in the past"),
    ({"born": dt.date(1890, 1, 1)}, "born_on", "within the last 120 years"),
    ({"assessed_on": dt.date(2026, 4, 1)}, "assessed_on", "on or after the registration date"),
    ({"registered_on": dt.date(2026, 4, 10), "born": dt.date(2026, 4, 12)}, "born_on", "in the past"),
    ({"left_on": dt.date(2026, 4, 9)}, "left_on", "on or after the registration date"),
])
def test_impossible_dates_are_refused_with_the_field_and_store_nothing(consortium, facts, field, says):
    with pytest.raises(ValidationError) as refused:
        new_carer(consortium, consortium["north"], consortium["north_user"], **facts)
    assert says in " ".join(refused.value.message_dict[field])
    assert not Carer.objects.exists()


def test_two_members_registering_one_carer_are_found_merged_and_counted_once(consortium):
    north = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 4, 10))
    south = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="b1 1aa",
                      registered_on=dt.date(2026, 5, 2), assessed_on=dt.date(2026, 5, 3))
    new_carer(consortium, consortium["south"], consortium["south_user"], given="Sam", family="Jones")
    pairs = register.likely_duplicates(visible(Carer.objects.all(), consortium["integrator"]))
    assert [(p.first, p.second) for p in pairs] == [(north, south)]
    assert "postcode" in pairs[0].why

    with clock.frozen(at(dt.date(2026, 6, 1))):
        merge = register.merge(consortium["integrator"], north, south)
    north.refresh_from_db()
    south.refresh_from_db()
    assert south.merged_into == north and merge.merged_by == consortium["integrator"]
    assert north.assessed_on == dt.date(2026, 5, 3)  # the merged record's assessment is kept
    assert register.likely_duplicates(Carer.objects.all()) == []
    with pytest.raises(ValidationError, match="merged already"):
        register.merge(consortium["integrator"], north, south)
    assert CarerMerge.objects.count() == 1


def test_a_merged_away_registration_is_found_when_anyone_registers_the_carer_again(consortium):
    """Registering them afresh would pay another £30 and allow another voucher."""
    north = new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 4, 10))
    south = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo", postcode="b1 1aa",
                      registered_on=dt.date(2026, 5, 2))
    with clock.frozen(at(dt.date(2026, 6, 1))):
        register.merge(consortium["integrator"], north, south)
    for member, user in ((consortium["south"], consortium["south_user"]), (consortium["lead"], consortium["integrator"])):
        with pytest.raises(ValidationError) as refused:
            new_carer(consortium, member, user, given="Joanne", postcode="B1 1AA", registered_on=dt.date(2026, 6, 2))
        assert f"{south.reference} was merged into {north.reference}" in str(refused.value)
    assert Carer.objects.count() == 2


def test_wellbeing_has_one_baseline_then_follow_ups_each_scored_on_the_scale(consortium):
    carer = new_carer(consortium, consortium["north"], consortium["north_user"])
    user = consortium["north_user"]
    with clock.frozen(at(dt.date(2026, 9, 1))):
        with pytest.raises(ValidationError) as refused:
            register.assess_wellbeing(user, carer, "follow_up", dt.date(2026, 5, 1), SCORES)
        assert "needs a baseline first" in str(refused.value)
        with pytest.raises(ValidationError) as refused:
            register.assess_wellbeing(user, carer, "baseline", dt.date(2026, 5, 1), {**SCORES, "safety": 6})
        assert refused.value.message_dict["safety"] == ["The score for safety must be a whole number from 1 to 5"]
        baseline = register.assess_wellbeing(user, carer, "baseline", dt.date(2026, 5, 1), SCORES)
        assert baseline.total == 23
        with pytest.raises(ValidationError, match="later assessments are follow-ups"):
            register.assess_wellbeing(user, carer, "baseline", dt.date(2026, 6, 1), SCORES)
        with pytest.raises(ValidationError, match="comes after the baseline"):
            register.assess_wellbeing(user, carer, "follow_up", dt.date(2026, 4, 30), SCORES)
        register.assess_wellbeing(user, carer, "follow_up", dt.date(2026, 8, 1), {**SCORES, "time": 4})
    assert list(WellbeingAssessment.objects.values_list("total", flat=True)) == [23, 25]


def test_activity_needs_what_its_kind_counts(consortium):
    user = consortium["north_user"]
    with clock.frozen(at(dt.date(2026, 9, 1))):
        with pytest.raises(ValidationError) as refused:
            register.record_activity(user, CarerActivity(member=consortium["north"], kind="emergency",
                                                         happened_on=dt.date(2026, 8, 1), recorded_by=user))
        assert "carer" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            register.record_activity(user, CarerActivity(member=consortium["north"], kind="group", name="Tuesday group",
                                                         happened_on=dt.date(2026, 10, 1), recorded_by=user))
        assert set(refused.value.message_dict) == {"happened_on", "attending"}
    assert not CarerActivity.objects.exists()


def test_hours_beyond_a_week_cannot_be_stored(consortium):
    carer = Carer(consortium=consortium["group"], registered_by=consortium["north"], given_name="A", family_name="B",
                  born_on=dt.date(1980, 1, 1), postcode="B1 1AA", registered_on=dt.date(2026, 4, 1),
                  cared_for="Son", hours_a_week=Decimal("168.5"), reference="x")
    with pytest.raises(ValidationError) as refused:
        carer.full_clean()
    assert "hours_a_week" in refused.value.message_dict
