"""The .ics reader's rules, one at a time (tests/programme/test_import_corpus.py has the
whole files)."""

from __future__ import annotations

from datetime import time

import pytest

from skill.programme.formats import ics_format
from skill.programme.formats.ics_format import known_zone, read, strip_join_text

# Outlook ships its own (here deliberately wrong: no summer time) rules for the Windows zone.
STALE_OUTLOOK = """BEGIN:VCALENDAR\r
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:GMT Standard Time\r
BEGIN:STANDARD\r
DTSTART:16011028T020000\r
TZOFFSETFROM:+0000\r
TZOFFSETTO:+0000\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTART;TZID="GMT Standard Time":20260519T100000\r
DTEND;TZID="GMT Standard Time":20260519T110000\r
SUMMARY:3D printing\r
UID:one\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;TZID=W. Europe Standard Time:20260519T140000\r
DTEND;TZID=W. Europe Standard Time:20260519T150000\r
SUMMARY:Coding & more\r
STATUS:CANCELLED\r
UID:two\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20260519T120000Z\r
DURATION:PT45M\r
SUMMARY:Lunch and learn\r
UID:three\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{head}{body}END:VCALENDAR\r\n".encode()


def test_windows_zones_use_the_real_rules_not_the_files_stale_ones():
    result = read(STALE_OUTLOOK.encode())
    assert result.ok and not result.warnings
    printing, coding, lunch = result.sessions
    assert (printing.start, printing.end) == (time(10), time(11))  # BST, as the clocks say
    assert (coding.start, coding.cancelled) == (time(13), True)  # Berlin 14:00
    assert (lunch.start, lunch.end) == (time(13), time(13, 45))  # UTC noon + 45 minutes


@pytest.mark.parametrize(
    ("tzid", "iana"),
    [
        ("GMT Standard Time", "Europe/London"),
        ('"W. Europe Standard Time"', "Europe/Berlin"),
        ("tzone://Microsoft/Utc", "UTC"),
        ("Western/Central Europe", "Europe/Berlin"),
        ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
        ("Europe/London", "Europe/London"),
        ("/mozilla.org/20050126_1/Europe/London", "Europe/London"),
        ("/Europe/Stockholm", "Europe/Stockholm"),
        ("Customized Time Zone", None),
        ("BST", None),
        ("../../etc/passwd", None),
        ("", None),
    ],
)
def test_zone_names_mapped_only_when_they_can_be_known(tzid: str, iana: str | None):
    zone = known_zone(tzid)
    assert (zone.key if zone else None) == iana


def test_an_unknown_zone_is_never_read_as_london():
    data = _calendar(
        "SUMMARY:Away day\r\nDTSTART;TZID=Atlantis:20260519T100000\r\n"
        "DTEND;TZID=Atlantis:20260519T110000\r\nUID:a\r\n"
    )
    result = read(data)
    assert not result.sessions
    assert "uses the time zone “Atlantis”" in str(result.errors[0])


TEAMS_ONE_LINE = (
    "Agenda: budgets.\n\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room "
    "device\nClick here to join the meeting\nMeeting ID: 371 885 194 513 Passcode: Xq7bKd\n"
    "Download Teams | Join on the web\nLearn More | Meeting options\n"
)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (TEAMS_ONE_LINE, "Agenda: budgets."),
        ("Bring a pen.\n" + "_" * 40 + "\nMicrosoft Teams meeting\nJoin on your computer\n"
         + "_" * 40 + "\nSee you there.", "Bring a pen.\nSee you there."),
        ("Slides: <https://example.org/slides>\nMeeting ID: 1 2 3\nPasscode: x", "Slides:"),
        ("Plan:\n" + "_" * 20 + "\nPart two", "Plan:\nPart two"),  # an agenda's own rule
        ("Ann is inviting you to a scheduled Zoom meeting.\nJoin Zoom Meeting\n"
         "https://zoom.us/j/1\n\n---\n\nOne tap mobile\n+441314601196,,81234567890# United "
         "Kingdom\n", ""),
    ],
)  # fmt: skip
def test_join_text_is_removed_in_every_shape(text: str, kept: str):
    assert strip_join_text(text).strip() == kept


def test_presenter_is_the_chair_or_a_named_organiser_never_a_room_or_team():
    def presenter(*people: str) -> str:
        event = "".join(f"{p}\r\n" for p in people)
        data = _calendar(
            f"SUMMARY:Talk\r\nDTSTART:20260519T100000Z\r\nDTEND:20260519T110000Z\r\n{event}"
        )
        (s,) = read(data).sessions
        return s.presenter

    room = 'ATTENDEE;CN="Room 1";CUTYPE=ROOM:mailto:room1@example.org'
    chair = 'ATTENDEE;CN="Rhys Evans";ROLE=CHAIR:mailto:rhys@example.org'
    guest = 'ATTENDEE;CN="Sam Lee";ROLE=REQ-PARTICIPANT:mailto:sam@example.org'
    team = 'ORGANIZER;CN="HR Team":mailto:hr@example.org'
    person = 'ORGANIZER;CN="Priya Shah":mailto:priya@example.org'
    assert presenter(team, guest, chair) == "Rhys Evans"
    assert presenter(person, guest) == "Priya Shah"
    assert presenter(team, guest) == ""  # not the team, and not some guest either
    assert presenter(room, guest) == ""
    assert presenter('ORGANIZER;CN="Room 1":mailto:room1@example.org', room) == ""


def test_a_cancellation_notice_cancels_its_events():
    data = _calendar(
        "SUMMARY:Quiz\r\nDTSTART:20260519T100000Z\r\nDTEND:20260519T110000Z\r\nUID:q\r\n",
        head="METHOD:CANCEL\r\n",
    )
    (s,) = read(data).sessions
    assert s.cancelled


def test_a_never_ending_daily_series_is_bounded_and_said(monkeypatch):
    data = _calendar(
        "SUMMARY:Stand-up\r\nDTSTART:20260518T090000Z\r\nDTEND:20260518T091500Z\r\n"
        "RRULE:FREQ=DAILY\r\nUID:s\r\n",
        "SUMMARY:Wrap-up\r\nDTSTART:20260522T150000Z\r\nDTEND:20260522T160000Z\r\nUID:w\r\n",
    )
    result = read(data)
    assert [s.date.day for s in result.sessions if s.title == "Stand-up"] == [18, 19, 20, 21, 22]
    assert "repeats with no end date" in str(result.warnings[0])
    monkeypatch.setattr(ics_format, "MAX_OCCURRENCES", 3)
    capped = read(data)
    assert len([s for s in capped.sessions if s.title == "Stand-up"]) == 3
    assert "repeats more than 3 times" in str(capped.warnings[0])


def test_a_series_moved_into_summer_time_keeps_its_wall_clock_time():
    data = _calendar(
        "SUMMARY:Drop-in\r\nDTSTART;TZID=Europe/London:20260326T100000\r\n"
        "DTEND;TZID=Europe/London:20260326T110000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nUID:d\r\n"
    )
    assert [(s.date.day, s.start) for s in read(data).sessions] == [(26, time(10)), (2, time(10))]


def test_garbage_and_damaged_files_get_plain_refusals(recwarn):
    def refusal(data: bytes) -> str:
        result = read(data)
        assert not result.ok and not result.sessions
        return str(result.errors[0])

    assert refusal(b"date,start\n").startswith("This is not a calendar (.ics) file.")
    assert refusal(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n").startswith(
        "The calendar file is incomplete: it stops before its end."
    )
    assert refusal(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n").startswith(
        "The calendar file is damaged: 1 of its 1 events could not be read at all."
    )
    assert refusal(_calendar()) == "The calendar has no events."
    assert not [w for w in recwarn if "icalendar" in str(w.filename)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("RRULE:FREQ=SOMETIMES\r\n", "repeats by a rule this reader cannot follow"),
        ("RRULE:FREQ=WEEKLY;BYDAY=XX\r\n", "repeats by a rule this reader cannot follow"),
        ("RDATE:garbage\r\n", "has extra dates in its series (RDATE) that cannot be read"),
        ("RRULE:FREQ=DAILY;COUNT=2\r\nEXDATE:garbage\r\n",
         "has dates left out of its series (EXDATE) that cannot be read"),
    ],
)  # fmt: skip
def test_broken_repeat_rules_are_that_events_error_only(extra: str, message: str):
    good = "SUMMARY:Fine\r\nDTSTART:20260519T140000Z\r\nDTEND:20260519T150000Z\r\nUID:g\r\n"
    odd = f"SUMMARY:Odd\r\nDTSTART:20260519T100000Z\r\nDTEND:20260519T110000Z\r\nUID:o\r\n{extra}"
    result = read(_calendar(good, odd))
    assert [s.title for s in result.sessions] == ["Fine"]
    (error,) = [str(e) for e in result.errors]
    assert error.startswith(f"“Odd” on Tuesday 19 May 2026, date: {message}")
