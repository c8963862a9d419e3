"""Outlook iCalendar exports become CSV-shaped rows in the programme's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from skill.programme.formats.ics_format import read, read_events

LONDON = ZoneInfo("Europe/London")

# Outlook ships its own (here deliberately wrong: no summer time) rules for the Windows zone.
OUTLOOK = """BEGIN:VCALENDAR\r
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
ORGANIZER;CN="Priya Shah":mailto:priya@example.org\r
ATTENDEE;CN=Sam Lee;RSVP=TRUE:mailto:sam@example.org\r
DESCRIPTION:Bring a laptop.\\nAll welcome.\\n\\n________________________________\r
 ________________\\nMicrosoft Teams meeting\\nJoin on your computer\r
DTSTART;TZID="GMT Standard Time":20260519T100000\r
DTEND;TZID="GMT Standard Time":20260519T110000\r
LOCATION:Room 2\r
SUMMARY:3D printing\r
UID:one\r
END:VEVENT\r
BEGIN:VEVENT\r
ATTENDEE;CN=Bob Jones:mailto:bob@example.org\r
ATTENDEE;CN=Ann Other:mailto:ann@example.org\r
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


def test_outlook_export_maps_fields_and_windows_zones():
    rows, problems = read_events(("\ufeff" + OUTLOOK).encode(), LONDON)
    assert problems == []
    first, second, third = (row for _, row in rows)
    # Windows zone name -> Europe/London with real summer time, not the file's stale rules.
    assert (first["date"], first["start"], first["end"]) == ("2026-05-19", "10:00", "11:00")
    assert first["title"] == "3D printing"
    assert first["room"] == "Room 2"
    assert first["presenter"] == "Priya Shah"  # ORGANIZER wins
    assert first["description"] == "Bring a laptop. All welcome."  # Teams boilerplate dropped
    # Berlin 14:00 is London 13:00; no ORGANIZER, so the first ATTENDEE presents.
    assert (second["start"], second["end"], second["presenter"]) == ("13:00", "14:00", "Bob Jones")
    assert second["status"] == "cancelled"
    # UTC noon is 13:00 in London in May; DURATION gives the end.
    assert (third["start"], third["end"]) == ("13:00", "13:45")


def _calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


def test_events_that_cannot_be_sessions_are_reported_per_event():
    data = _calendar(
        "SUMMARY:Fine\r\nDTSTART:20260519T100000\r\nDTEND:20260519T110000\r\n",
        "SUMMARY:Whole day\r\nDTSTART;VALUE=DATE:20260520\r\n",
        "SUMMARY:No end\r\nDTSTART:20260519T100000\r\n",
        "SUMMARY:Weekly\r\nDTSTART:20260519T100000\r\nDTEND:20260519T110000\r\n"
        "RRULE:FREQ=WEEKLY\r\n",
        "SUMMARY:Overnight\r\nDTSTART:20260519T230000\r\nDTEND:20260520T010000\r\n",
        "SUMMARY:Broken\r\nDTSTART:tomorrow\r\n",
    )
    rows, problems = read_events(data, LONDON)
    assert [(n, r["title"]) for n, r in rows] == [(1, "Fine")]
    assert rows[0][1]["start"] == "10:00"  # floating time read in the programme's zone
    found = {(p.row, p.column): p.message for p in problems}
    assert found == {
        (2, "start"): "“Whole day” is an all-day event; give it a start and end time.",
        (3, "end"): "“No end” has no end time (DTEND or DURATION).",
        (4, "date"): "“Weekly” repeats; export the calendar as single events and import again.",
        (5, "end"): "“Overnight” ends on a different day from its start.",
        (6, "start"): "“Broken” has no readable start time (DTSTART).",
    }


def test_files_that_are_not_calendars_are_refused_plainly():
    def refusal(data: bytes) -> str:
        result = read(data, "Europe/London")
        assert not result.ok and not result.sessions
        return str(result.errors[0])

    assert refusal(b"date,start\n") == "This is not an iCalendar (.ics) file."
    assert "not UTF-8" in refusal(b"BEGIN:VCALENDAR\r\n\xff\xfe")
    assert refusal(_calendar()) == "The calendar has no events."


def test_events_are_judged_like_csv_rows_and_numbered_by_event():
    good = read(("\ufeff" + OUTLOOK).encode(), "Europe/London")
    assert good.ok
    assert [s.id for s in good.sessions] == ["3d-printing", "coding-more", "lunch-and-learn"]
    mixed = read(
        _calendar(
            "SUMMARY:Fine\r\nDTSTART:20260519T100000\r\nDTEND:20260519T110000\r\n",
            "SUMMARY:Whole day\r\nDTSTART;VALUE=DATE:20260520\r\n",
            "DTSTART:20260519T120000\r\nDTEND:20260519T130000\r\n",
        ),
        "Europe/London",
    )
    assert not mixed.sessions
    assert [str(e) for e in mixed.errors] == [
        "Row 2, column 'start': “Whole day” is an all-day event; give it a start and end time.",
        "Row 3, column 'title': is empty",
    ]
