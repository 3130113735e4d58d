import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caremarket.quality.triggers import Intelligence, Threshold, triggered

D = dt.date
THRESHOLDS = [Threshold("safeguarding_alert", "safeguarding alerts", 3), Threshold("cqc_notice", "CQC notices", 1)]


def test_three_safeguarding_alerts_in_a_rolling_three_months_trigger_a_focussed_inspection():
    events = [Intelligence("safeguarding_alert", D(2026, m, 1)) for m in (8, 9, 10)]
    [trigger] = triggered(events, THRESHOLDS, D(2026, 10, 15))
    assert trigger.reason == ("3 safeguarding alerts between 17 July 2026 and 15 October 2026 "
                              "(the threshold is 3 in 91 days)")


def test_older_alerts_drop_out_of_the_window():
    events = [Intelligence("safeguarding_alert", D(2026, m, 1)) for m in (6, 9, 10)]
    assert triggered(events, THRESHOLDS, D(2026, 10, 15)) == []


def test_a_single_cqc_notice_is_enough():
    assert [t.kind for t in triggered([Intelligence("cqc_notice", D(2026, 10, 1))], THRESHOLDS, D(2026, 10, 2))] == [
        "cqc_notice"]


@given(st.lists(st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)), max_size=10),
       st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31)))
def test_more_alerts_never_untrigger(days, as_of):
    events = [Intelligence("safeguarding_alert", d) for d in days]
    before = bool(triggered(events, THRESHOLDS, as_of))
    after = bool(triggered(events + [Intelligence("safeguarding_alert", as_of)], THRESHOLDS, as_of))
    assert after or not before
