"""AMAZON.DATE / AMAZON.TIME values for the phrases the simulator knows, relative to its "now"."""

from datetime import date

import pytest

from skill.simulator.matcher import normalise
from skill.simulator.timephrases import resolve_date, resolve_time

TUESDAY = date(2026, 5, 19)  # the fixed "now" of the test suite


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("today", "2026-05-19"),
        ("tomorrow", "2026-05-20"),
        ("the day after tomorrow", "2026-05-21"),
        ("Wednesday", "2026-05-20"),
        ("tuesday", "2026-05-19"),  # a bare weekday is the next one, today included
        ("monday", "2026-05-25"),
        ("this Friday", "2026-05-22"),
        ("next Tuesday", "2026-05-26"),
        ("next wednesday", "2026-05-27"),
        ("this week", "2026-W21"),
        ("next week", "2026-W22"),
        ("this weekend", "2026-W21-WE"),
        ("the weekend", "2026-W21-WE"),
        ("next weekend", "2026-W22-WE"),
        ("the twentieth of May", "2026-05-20"),
        ("May 21st", "2026-05-21"),
        ("20 May", "2026-05-20"),
        ("the 1st of May", "2027-05-01"),  # dates default to on or after today
        # Alexa's documented shapes: "now" is PRESENT_REF, a bare month is YYYY-MM.
        ("now", "PRESENT_REF"),
        ("right now", "PRESENT_REF"),
        ("May", "2026-05"),
        ("april", "2027-04"),
        ("this month", "2026-05"),
        ("next month", "2026-06"),
        ("this year", "2026"),
    ],
)
def test_dates_resolve_relative_to_today(said, value):
    assert resolve_date(normalise(said), TUESDAY) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("morning", "MO"),
        ("afternoon", "AF"),
        ("evening", "EV"),
        ("tonight", "NI"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("half past two", "14:30"),
        ("a quarter to four", "15:45"),
        ("quarter past nine", "09:15"),
        ("ten past eleven", "11:10"),
        ("2 pm", "14:00"),
        ("2pm", "14:00"),
        ("2 p.m.", "14:00"),
        ("two pm", "14:00"),
        ("10 am", "10:00"),
        ("ten thirty", "10:30"),
        ("2:30", "14:30"),
        ("14:30", "14:30"),
        ("four o'clock", "16:00"),
        ("seven in the evening", "19:00"),
        ("twelve am", "00:00"),
    ],
)
def test_times(said, value):
    assert resolve_time(normalise(said)) == value


@pytest.mark.parametrize("said", ["lamp", "the thirty second of may", "someday"])
def test_non_dates_are_not_dates(said):
    assert resolve_date(normalise(said), TUESDAY) is None
