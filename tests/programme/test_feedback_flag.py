"""Which sessions ask for feedback: the CSV `feedback` column, the .ics property, the stored
form, the admin form's fields and the diff; files without the column import as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from skill.programme.editing.desk import InvalidSession, parse_session, session_fields
from skill.programme.editing.diff import diff
from skill.programme.formats import csv_format, ics_format
from skill.programme.model import Session
from tests.programme.conftest import session

HEADER = "date,start,end,title,feedback\n"


def test_the_feedback_column_says_yes_or_no_and_empty_means_yes():
    result = csv_format.parse(
        HEADER
        + "2026-05-18,10:00,11:00,Learn to code,no\n"
        + "2026-05-18,12:00,13:00,3D printing,\n"
        + "2026-05-18,14:00,15:00,Mindfulness,Yes\n"
    )
    assert not result.errors
    assert {s.title: s.asks_feedback for s in result.sessions} == {
        "Learn to code": False,
        "3D printing": True,
        "Mindfulness": True,
    }


def test_a_bad_feedback_value_is_a_row_error_naming_the_fix():
    result = csv_format.parse(HEADER + "2026-05-18,10:00,11:00,Learn to code,maybe\n")
    assert [str(e) for e in result.errors] == [
        "Row 2, column 'feedback': 'maybe' should be yes or no (empty means yes): whether "
        "visitors are asked how the session went"
    ]
    assert not result.sessions


def test_a_file_without_the_column_imports_as_before_and_exports_without_it(demo):
    text = csv_format.write(demo)
    assert text.splitlines()[0] == "date,start,end,title,room,presenter,description,aliases,status"
    again = csv_format.parse(text)
    assert again.sessions == tuple(demo) and all(s.asks_feedback for s in again.sessions)


def test_a_session_that_asks_for_none_survives_export_and_import(demo):
    changed = [replace(s, asks_feedback=s.title != "Learn to code") for s in demo]
    text = csv_format.write(changed)
    assert text.splitlines()[0].endswith(",status,feedback")
    assert csv_format.parse(text).sessions == tuple(changed)


def test_stored_sessions_keep_the_flag_and_old_versions_ask_for_feedback():
    s = session(date(2026, 5, 18), "10:00", "11:00", "Learn to code", id="learn-to-code")
    off = replace(s, asks_feedback=False)
    assert Session.from_dict(off.to_dict()) == off
    old = s.to_dict()
    del old["asks_feedback"]  # a version published before the field
    assert Session.from_dict(old).asks_feedback is True


def test_an_ics_event_can_say_no_feedback():
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        b"BEGIN:VEVENT\r\nDTSTART:20260518T090000Z\r\nDTEND:20260518T100000Z\r\n"
        b"SUMMARY:Learn to code\r\nUID:a\r\nX-VOICE-DEMO-FEEDBACK:NO\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nDTSTART:20260518T110000Z\r\nDTEND:20260518T120000Z\r\n"
        b"SUMMARY:3D printing\r\nUID:b\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nDTSTART:20260518T130000Z\r\nDTEND:20260518T140000Z\r\n"
        b"SUMMARY:Quiz\r\nUID:c\r\nX-VOICE-DEMO-FEEDBACK:perhaps\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    result = ics_format.read(calendar)
    assert {s.title: s.asks_feedback for s in result.sessions} == {
        "Learn to code": False,
        "3D printing": True,
    }
    (error,) = result.errors
    assert error.field == "X-VOICE-DEMO-FEEDBACK" and "should be yes or no" in error.message


def test_the_admin_form_fields_carry_the_flag():
    s = session(date(2026, 5, 18), "10:00", "11:00", "Learn to code", id="learn-to-code")
    fields = session_fields(replace(s, asks_feedback=False))
    assert fields["feedback"] == "no"
    assert parse_session(fields, "Europe/London").asks_feedback is False
    assert parse_session({**fields, "feedback": "yes"}, "Europe/London").asks_feedback is True
    try:
        parse_session({**fields, "feedback": "sometimes"}, "Europe/London")
    except InvalidSession as exc:
        assert "should be yes or no" in exc.problems["feedback"]
    else:
        raise AssertionError("a bad feedback value was accepted")


def test_the_diff_says_when_a_session_stops_asking_for_feedback():
    s = session(date(2026, 5, 18), "10:00", "11:00", "Learn to code", id="learn-to-code")
    (change,) = diff([s], [replace(s, asks_feedback=False)])
    assert change.describe().endswith(": no longer asks for feedback.")
