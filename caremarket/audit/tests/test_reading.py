"""The audit trail in words."""

from caremarket.audit.reading import changes


def test_amounts_kept_in_pence_read_as_pounds():
    assert changes({"staff_costs_pence": 159_470_000}, {"staff_costs_pence": 159_470_377}) == [
        ("Staff costs", "£1,594,700.00", "£1,594,703.77")]
    assert changes(None, {"amount pence": 3000, "why": "A new carer"}) == [
        ("Amount", "", "£30.00"), ("Why", "", "A new carer")]
    assert changes({"hours": 10}, {"hours": 10}) == []  # what stayed the same is left out
