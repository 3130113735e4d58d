import datetime as dt

import pytest

from caremarket.core import clock


def test_a_frozen_clock_can_be_set_and_moved_on():
    moment = dt.datetime(2027, 3, 31, 17, 0, tzinfo=clock.LONDON)
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2027, 3, 31)
        clock.advance(dt.timedelta(hours=8))
        assert clock.today() == dt.date(2027, 4, 1)
    assert clock.now() != moment


def test_a_frozen_clock_needs_a_timezone():
    with pytest.raises(ValueError):
        clock.set_time(dt.datetime(2027, 1, 1))


def test_the_clock_can_be_frozen_from_the_environment(monkeypatch):
    monkeypatch.setenv("CAREMARKET_CLOCK", "2027-03-31T17:00")
    assert clock.now() == dt.datetime(2027, 3, 31, 17, 0, tzinfo=clock.LONDON)
