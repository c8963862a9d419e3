"""Times and days as a British visitor expects to hear them."""

from __future__ import annotations

from datetime import date, time

import pytest

from skill.intents import words
from skill.programme.period import PartOfDay, Period

TUESDAY = date(2026, 5, 19)


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("10:30", "half past ten"),
        ("13:45", "a quarter to two"),
        ("15:10", "ten past three"),
        ("12:00", "noon"),
        ("00:00", "midnight"),
        ("14:00", "two o'clock"),
        ("09:15", "a quarter past nine"),
        ("10:40", "twenty to eleven"),
        ("11:55", "five to twelve"),
        ("12:30", "half past twelve"),
        ("23:45", "a quarter to midnight"),
        ("00:20", "twenty past midnight"),
        ("10:07", "seven minutes past ten"),
        ("10:01", "one minute past ten"),
        ("10:37", "twenty-three minutes to eleven"),
    ],
)
def test_clock_times_are_said_the_british_way(at, said):
    assert words.clock(time.fromisoformat(at)) == said


def test_late_and_early_hours_say_which_end_of_the_day():
    assert words.at(time(18, 0)) == "at six o'clock in the evening"
    assert words.at(time(6, 30)) == "at half past six in the morning"
    assert words.at(time(9, 30)) == "at half past nine"
    assert words.at(time(0, 0)) == "at midnight"


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date(2026, 5, 19), "today"),
        (date(2026, 5, 20), "tomorrow"),
        (date(2026, 5, 18), "yesterday"),
        (date(2026, 5, 21), "on Thursday"),
        (date(2026, 5, 25), "on Monday"),  # the coming Monday
        (date(2026, 5, 26), "on Tuesday the 26th of May"),
        (date(2026, 5, 11), "on Monday the 11th of May"),
        (date(2027, 1, 1), "on Friday the 1st of January 2027"),
    ],
)
def test_days_are_relative_when_near_and_full_dates_beyond(day, said):
    assert words.on_day(day, TUESDAY) == said


def test_ordinals():
    assert [words.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "31st",
    ]


@pytest.mark.parametrize(
    ("period", "said"),
    [
        (Period(TUESDAY, TUESDAY, part=PartOfDay.AF), "this afternoon"),
        (Period(TUESDAY, TUESDAY, part=PartOfDay.NI), "tonight"),
        (Period(date(2026, 5, 20), date(2026, 5, 20), part=PartOfDay.MO), "tomorrow morning"),
        (Period(date(2026, 5, 21), date(2026, 5, 21), part=PartOfDay.EV), "on Thursday evening"),
        (Period(date(2026, 6, 3), date(2026, 6, 3), part=PartOfDay.AF),
         "on Wednesday the 3rd of June, in the afternoon"),
        (Period(TUESDAY, TUESDAY, at=time(14, 0)), "at two o'clock today"),
        (Period(date(2026, 5, 18), date(2026, 5, 24), "week"), "this week"),
        (Period(date(2026, 5, 25), date(2026, 5, 31), "week"), "next week"),
        (Period(date(2026, 6, 8), date(2026, 6, 14), "week"),
         "in the week of Monday the 8th of June"),
        (Period(date(2026, 5, 23), date(2026, 5, 24), "weekend"), "this weekend"),
        (Period(date(2026, 5, 1), date(2026, 5, 31), "month"), "in May"),
        (Period(date(2027, 5, 1), date(2027, 5, 31), "month"), "in May 2027"),
        (Period(date(2026, 6, 1), date(2026, 8, 31), "season", name="summer"), "this summer"),
        (Period(date(2026, 1, 1), date(2026, 12, 31), "year"), "this year"),
        (Period(date(2020, 1, 1), date(2029, 12, 31), "decade"), "in the 2020s"),
        (Period(TUESDAY, date(2026, 5, 22), "range"), "from today to Friday"),
        (Period(date(2026, 5, 20), date(2026, 5, 22), "range"), "from tomorrow to Friday"),
        (Period(date(2026, 5, 22), date(2026, 5, 25), "range"), "from Friday to Monday"),
        (Period(date(2026, 5, 22), date(2026, 5, 22), "range"), "on Friday"),
        (Period(date(2026, 5, 18), date(2026, 5, 22), "range"),
         "from Monday the 18th to Friday the 22nd of May"),
    ],
)  # fmt: skip
def test_periods_are_named_as_people_ask_for_them(period, said):
    assert words.period(period, TUESDAY) == said


@pytest.mark.parametrize(
    ("room", "said"),
    [
        ("Training Room", "in the Training Room"),
        ("Room 3", "in Room 3"),
        ("the Atrium", "in the Atrium"),
        ("Online", "online"),
        ("2.14", "in 2.14"),
        # A room named by its number or letter is a proper name: no "the".
        ("Training Room 1", "in Training Room 1"),
        ("Committee Room A", "in Committee Room A"),
        ("Conference Room B2", "in Conference Room B2"),
        ("Makerspace 🛠️", "in the Makerspace"),
    ],
)
def test_rooms(room, said):
    assert words.room(room) == said


def test_admin_text_is_spoken_without_emoji_and_ends_as_a_sentence():
    assert words.spoken("Quiz 🎉 night 🏆") == "Quiz night"
    assert words.sentence("Get to grips with Teams and OneDrive") == (
        "Get to grips with Teams and OneDrive."
    )
    assert words.sentence("Write your first lines of Python 🐍") == (
        "Write your first lines of Python."
    )
    assert words.sentence("Cake provided!") == "Cake provided!"
    assert words.sentence("") == ""


def test_zone_names():
    assert words.zone_name("Europe/London") == "UK time"
    assert words.zone_name("America/New_York") == "New York time"
