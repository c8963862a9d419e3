"""AMAZON.DATE and AMAZON.TIME values become periods of programme days."""

from __future__ import annotations

from datetime import date, time

import pytest

from skill.intents.when import UnsupportedWhen, parse_date, parse_time, period
from skill.programme.period import PartOfDay, Period

TODAY = date(2026, 5, 19)


@pytest.mark.parametrize(
    ("value", "first", "last", "kind"),
    [
        ("2026-05-20", date(2026, 5, 20), date(2026, 5, 20), "day"),
        ("2019-05-13", date(2019, 5, 13), date(2019, 5, 13), "day"),
        ("2026-W21", date(2026, 5, 18), date(2026, 5, 24), "week"),
        ("2019-W20", date(2019, 5, 13), date(2019, 5, 19), "week"),
        ("2026-W21-WE", date(2026, 5, 23), date(2026, 5, 24), "weekend"),
        ("2026-05", date(2026, 5, 1), date(2026, 5, 31), "month"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "year"),
        ("201X", date(2010, 1, 1), date(2019, 12, 31), "decade"),
        ("2026-SP", date(2026, 3, 1), date(2026, 5, 31), "season"),
        ("2019-SU", date(2019, 6, 1), date(2019, 8, 31), "season"),
        ("2026-FA", date(2026, 9, 1), date(2026, 11, 30), "season"),
        ("2026-WI", date(2026, 12, 1), date(2027, 2, 28), "season"),
        ("PRESENT_REF", TODAY, TODAY, "day"),
    ],
)
def test_every_amazon_date_shape(value, first, last, kind):
    got = parse_date(value, TODAY)
    assert (got.first, got.last, got.kind) == (first, last, kind)


@pytest.mark.parametrize(
    "value", ["XXXX-XX-XX", "2026-02-30", "2026-W54", "tomorrow", "", "2026-13", "XXXX-WXX"]
)
def test_dates_we_cannot_place_are_refused_plainly(value):
    with pytest.raises(UnsupportedWhen) as caught:
        parse_date(value, TODAY)
    assert caught.value.slot == "date"


def test_times_and_parts_of_the_day():
    assert parse_time("14:00") == time(14, 0)
    assert parse_time("9:30") == time(9, 30)
    assert [parse_time(v) for v in ("MO", "AF", "EV", "NI")] == list(PartOfDay)
    for bad in ("25:00", "noonish", "T14"):
        with pytest.raises(UnsupportedWhen):
            parse_time(bad)


def test_a_time_alone_means_today_and_nothing_means_no_period():
    assert period(None, "AF", TODAY) == Period(TODAY, TODAY, part=PartOfDay.AF)
    assert period("2026-05-20", "14:00", TODAY) == Period(
        date(2026, 5, 20), date(2026, 5, 20), at=time(14, 0)
    )
    assert period(None, None, TODAY) is None


def test_periods_survive_session_attributes():
    p = Period(TODAY, TODAY, "day", part=PartOfDay.EV)
    assert Period.from_dict(p.to_dict()) == p
    q = Period(TODAY, date(2026, 8, 31), "season", at=time(9, 5), name="summer")
    assert Period.from_dict(q.to_dict()) == q
