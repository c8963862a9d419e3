"""The files council officers really have, each read as the officer would expect.

tests/data/programme/ holds files written in the shape each program writes them (Excel's
four CSV flavours, Google Sheets, LibreOffice, Outlook 365, Exchange, Teams, Zoom, Google
Calendar, Apple Calendar) and, under icalendar/, real test calendars of the icalendar
library (see the README there for source and licence). For each: the sessions as a
printed programme would list them (London wall time), or the plain message expected.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from skill.programme import formats
from skill.programme.formats.result import ParseResult
from skill.programme.model import Session

FILES = Path(__file__).resolve().parent.parent / "data" / "programme"


def read(name: str) -> ParseResult:
    return formats.read_file(FILES / name)


def brief(s: Session) -> tuple[str, str, str, str]:
    return (f"{s.date:%d/%m}", f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.title)


def messages(items) -> list[str]:
    return [str(e) for e in items]


def assert_plain(text: str) -> None:
    """No library or Python text reaches the admin."""
    for leak in (
        "BEGIN:",
        "TZID not found",
        "Traceback",
        "site-packages",
        "vBroken",
        "Error:",
        "universal-newline",
        "\\u200b",
        "Expected",
    ):
        assert leak not in text, text


# --- spreadsheets ------------------------------------------------------------------------


def test_excel_uk_csv_utf8_after_open_and_save():
    """DD/MM/YYYY, HH:MM:SS, "Start time" headers, a BOM, CRLF and trailing empty cells."""
    result = read("excel-uk-csv-utf8.csv")
    assert result.ok and not result.warnings
    assert [brief(s) for s in result.sessions] == [
        ("18/05", "09:30", "10:30", "Learn to code"),
        ("18/05", "11:00", "12:00", "3D printing"),
        ("19/05", "14:00", "15:00", "Office 365 tips"),
    ]
    code, _, tips = result.sessions
    assert code.description == "Try Python in the browser – no experience needed, cost £0"
    assert code.aliases == ("coding", "programming")
    assert tips.cancelled
    assert result.notes == ("Read as UTF-8 text, columns separated by commas.",)


def test_excel_plain_csv_is_windows_1252_read_with_a_warning():
    result = read("excel-uk-plain-csv-windows-1252.csv")
    assert result.ok
    money, cafe = result.sessions
    assert money.presenter == "Jo O’Neill"
    assert money.description == "“Budgeting apps” – save £££ • bring a phone"
    assert cafe.title == "Café chat"
    (warning,) = messages(result.warnings)
    assert warning.startswith("The file is not UTF-8 text, so it was read as Windows-1252")
    assert "CSV UTF-8" in warning  # how to avoid it next time


def test_excel_unicode_text_is_utf16_with_tabs():
    result = read("excel-unicode-text-utf16.txt")
    assert result.ok, messages(result.errors)
    assert [brief(s) for s in result.sessions] == [
        ("18/05", "10:00", "11:00", "Service design"),
        ("21/05", "15:00", "16:00", "LinkedIn profile"),
    ]
    assert result.sessions[0].description == "Maps, sticky notes, “personas”"
    assert result.notes == ("Read as UTF-16 text, columns separated by tabs.",)


def test_european_excel_uses_semicolons_and_says_so():
    result = read("excel-european-semicolons.csv")
    assert result.ok, messages(result.errors)
    lunch, data = result.sessions
    assert (lunch.date, lunch.description) == (date(2026, 5, 18), "Tea, coffee and cake")
    assert data.description == "Excel, charts; and more"
    assert result.notes == ("Read as UTF-8 text, columns separated by semicolons.",)


def test_google_sheets_other_column_names_order_and_an_extra_column():
    result = read("google-sheets.csv")
    assert result.ok
    mind, champions = result.sessions
    assert (mind.start, mind.end, mind.room, mind.presenter) == (
        time(9, 30),
        time(10, 15),
        "Quiet room",
        "Grace Obi",
    )
    assert mind.description == "Ten minutes of breathing.\nThen a walk outside."
    assert champions.title == "Digital champions masterclass"
    assert messages(result.warnings) == [
        "Row 1: the column “Booked” is not part of a programme and was ignored (the columns "
        "used are date, start, end, title, room, presenter, description, aliases, status)"
    ]


def test_libreoffice_two_digit_years_and_invisible_characters_stripped():
    result = read("libreoffice-calc.csv")
    assert result.ok
    mind, security = result.sessions
    assert (mind.date, mind.title, mind.room) == (
        date(2026, 5, 18),
        "Mindfulness at work",
        "Room 5",
    )
    assert security.presenter == "Alex Kim"
    assert "\u200b" not in repr(result) and "\u00a0" not in repr(result)


def test_mac_cr_only_line_ends():
    result = read("excel-mac-cr-line-ends.csv")
    assert result.ok, messages(result.errors)
    assert [s.title for s in result.sessions] == [
        "Presenting with confidence",
        "Accessible documents",
    ]


def test_times_typed_the_way_people_write_them():
    result = read("typed-by-hand.csv")
    assert result.ok, messages(result.errors)
    assert [brief(s) for s in result.sessions] == [
        ("18/05", "10:00", "11:00", "Coffee morning"),
        ("19/05", "14:30", "15:15", "Teams tips"),
        ("20/05", "12:00", "12:45", "Walking lunch"),
    ]


def test_an_unclosed_quote_names_its_row_and_keeps_the_rows_before():
    result = read("broken-unclosed-quote.csv")
    assert messages(result.errors) == [
        'Row 4: a double quote (") opens a cell here that is never closed, so the rest of '
        "the file could not be read. Close the quote or remove it, then import again"
    ]
    assert [s.title for s in result.sessions] == ["Fine", "Also fine"]  # for a draft, not live


def test_us_dates_are_refused_not_guessed():
    result = read("broken-us-dates.csv")
    assert messages(result.errors) == [
        "Row 2, column 'date': 05/18/2026 is not a date in day/month/year order (there is no "
        "month 18); write it as 18/05/2026 or 2026-05-18"
    ]
    assert not result.sessions


def test_an_unquoted_comma_is_an_error_not_a_shifted_row():
    result = read("broken-unquoted-comma.csv")
    (error,) = messages(result.errors)
    assert error.startswith("Row 2: has 10 cells, the header has 9. Is there a comma inside")
    assert [s.title for s in result.sessions] == ["Quiz"]
    (rejected,) = result.rejected
    assert (rejected.row, rejected.fields["title"]) == (2, "Tea")  # kept for fixing


def test_a_spreadsheet_saved_under_a_csv_name():
    assert messages(read("broken-xlsx-renamed.csv").errors) == [
        "This is not a text file (is it a spreadsheet or a PDF?). In Excel use File › Save "
        "As › “CSV UTF-8 (Comma delimited)”, then import it again."
    ]


# --- calendars ---------------------------------------------------------------------------


def test_outlook_365_export():
    """A weekly series across the clock change (29 March) with a date left out and one
    occurrence moved, a week's all-day banner, Teams join text, a team mailbox as
    organiser, room attendees and a "Cancelled:" title."""
    result = read("outlook-365-export.ics")
    assert result.ok, messages(result.errors)
    assert [brief(s) for s in result.sessions] == [
        ("12/03", "10:00", "11:00", "Digital drop-in"),
        ("19/03", "10:00", "11:00", "Digital drop-in"),
        ("26/03", "10:00", "11:00", "Digital drop-in"),
        # 02/04 left out (EXDATE); 09/04 moved to Friday 10/04 14:00 (RECURRENCE-ID)
        ("10/04", "14:00", "15:00", "Digital drop-in"),
        ("16/04", "10:00", "11:00", "Digital drop-in"),  # after the clock change: still 10:00
        ("18/05", "09:30", "10:30", "Learn to code"),
        ("19/05", "14:00", "15:00", "Office 365 tips"),
    ]
    drop_in, moved, code, tips = (result.sessions[i] for i in (0, 3, 5, 6))
    assert drop_in.presenter == "Rhys Evans"  # the chair, not "Learning and Development Team"
    assert drop_in.room == "Library"
    assert drop_in.description == "Drop in with any question about your laptop or phone."
    assert moved.description == "Moved to Friday afternoon this week."
    assert code.presenter == "Priya Shah"
    assert code.room == "Neuadd y Sir, Ystafell 1 and online (Microsoft Teams)"
    assert code.description == "Bring a laptop if you have one."  # the new Teams block too
    assert (tips.title, tips.cancelled, tips.room) == (
        "Office 365 tips",
        True,
        "Neuadd y Sir, Ystafell 2",
    )
    assert tips.presenter == "Ann Jones"  # the room attendee is never the presenter
    assert messages(result.warnings) == [
        "“Learning at Work week” on Monday 18 May 2026: is an all-day event, so it was "
        "skipped (a programme needs start and end times)"
    ]
    assert result.notes == ("Read 7 events in Europe/London time; 1 repeating series expanded.",)


def test_exchange_tzone_microsoft_utc_is_utc_not_london():
    (s,) = read("exchange-tzone-utc.ics").sessions
    assert (s.start, s.end) == (time(10, 0), time(11, 0))  # 09:00 UTC is 10:00 BST


def test_a_teams_invite_with_no_agenda_has_no_description_to_read_aloud():
    result = read("teams-invite.ics")
    assert result.ok and not result.warnings
    (s,) = result.sessions
    assert (s.title, s.description, s.room, s.presenter) == (
        "Lunch and learn",
        "",
        "Online (Microsoft Teams)",
        "",  # "Digital Services" is a team
    )


def test_a_zoom_invite_keeps_the_agenda_only():
    (s,) = read("zoom-invite.ics").sessions
    assert (s.start, s.description, s.room) == (
        time(10, 30),
        "Agenda: a tour of Copilot in Word.",
        "Online (Zoom)",
    )


def test_google_calendar_series_until_utc_across_the_clock_change():
    result = read("google-calendar.ics")
    assert result.ok
    assert [brief(s) for s in result.sessions] == [
        (day, "14:00", "15:00", "Teams tips")
        for day in ("17/03", "24/03", "31/03", "07/04", "14/04")
    ]
    first = result.sessions[0]
    assert first.description == "Bring your questions about Teams."  # Meet block gone
    assert first.presenter == ""  # the organiser is a group calendar, not a person
    assert len(first.room) <= 80 and first.room.endswith("…")
    assert messages(result.warnings) == [
        "“Teams tips” on Tuesday 17 March 2026, location: was 138 characters long and was "
        "shortened to at most 80 (the skill reads it aloud) (and the same for 4 more occurrences)"
    ]


def test_apple_calendar_daily_series_with_a_count():
    result = read("apple-calendar.ics")
    assert result.ok and not result.warnings
    assert [brief(s) for s in result.sessions] == [
        (f"{d}/05", "08:15", "08:30", "Stretch and breathe") for d in range(18, 23)
    ]
    assert {s.room for s in result.sessions} == {"Atrium"}


def test_an_availability_only_export_is_refused_with_a_hint():
    result = read("outlook-availability-only.ics")
    assert messages(result.errors) == [
        "Every event in this calendar is called “Busy”: it was exported with availability "
        "only, so it has no session titles. In Outlook choose File › Save Calendar › More "
        "Options, set Detail to “Full details”, and export again."
    ]
    assert not result.sessions


def test_zones_mapped_where_known_and_refused_by_name_otherwise():
    result = read("zones-known-and-unknown.ics")
    berlin, display = result.sessions
    assert (berlin.title, berlin.start) == ("Call with the Berlin office", time(13, 0))
    assert (display.title, display.start) == ("Display-name zone", time(10, 0))
    (error,) = messages(result.errors)
    assert error.startswith(
        "“Mystery session” on Wednesday 20 May 2026, start time: uses the time zone "
        "“Customized Time Zone”, which this reader does not know"
    )
    (rejected,) = result.rejected
    assert rejected.fields["title"] == "Mystery session" and rejected.where is not None


def test_odd_dates_are_per_event_messages_not_crashes():
    result = read("broken-dates.ics")
    assert [s.title for s in result.sessions] == ["Tidy your inbox"]
    assert messages(result.errors) == [
        "“Placeholder”, start time: is dated 0001-01-01, which cannot be a session's date; "
        "set the event's date again and export again",
        "“Server upgrade” on Tuesday 19 May 2026, end time: ends on Wednesday 20 May 2026, "
        "a different day from its start; a session is on one day, so make it one event per day",
    ]


# --- real calendars from the icalendar library's tests -------------------------------------


def test_real_mozilla_style_zone_and_a_series_with_no_end():
    result = read("icalendar/issue_466_convert_tzid_with_slash.ics")
    assert result.ok
    (s,) = result.sessions
    assert (s.date, s.start, s.end) == (date(2022, 10, 21), time(19, 0), time(20, 0))
    (warning,) = messages(result.warnings)
    assert warning.startswith("“Just chatting” on Friday 21 October 2022: repeats with no end")


def test_real_unknown_zone_is_refused_naming_it():
    (error,) = messages(read("icalendar/issue_722_missing_VTIMEZONE_custom.ics").errors)
    assert "“CUSTOM_tzid”" in error and error.startswith("“Untitled event” on Friday 29 August")


def test_real_nonstandard_zone_is_read_by_its_vtimezone_with_a_warning():
    result = read("icalendar/issue_218_bad_tzid.ics")
    (s,) = result.sessions
    assert (s.date, s.start, s.end) == (date(2017, 2, 28), time(12, 0), time(12, 30))
    assert messages(result.warnings) == [
        "The time zone “UTC+11” is not a standard name, so its times were read by the rules "
        "written in the file. Check that the times are right"
    ]


def test_real_broken_dtstart():
    assert messages(read("icalendar/broken_dtstart.ics").errors) == [
        "“Untitled event”, start time: has a start time that cannot be read (DTSTART); open "
        "the event, set its times again and export again"
    ]


# --- the whole corpus ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(p for p in FILES.rglob("*") if p.suffix in (".csv", ".ics", ".txt"))
)
def test_every_file_gives_sessions_or_plain_messages(path: Path, recwarn):
    result = formats.read_file(path)
    assert result.sessions or result.errors
    for finding in (*result.errors, *result.warnings):
        assert_plain(str(finding))
    assert not [w for w in recwarn if "site-packages" in str(w.filename)]
