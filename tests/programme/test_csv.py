"""The contract CSV: every problem reported by row and column in plain words."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from skill.programme import formats
from skill.programme.formats import csv_format
from skill.settings import SHIPPED_PROGRAMME

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"


def errors(text: str) -> list[str]:
    result = csv_format.parse(text)
    assert not result.ok, "a file with errors can never be published"
    return [str(e) for e in result.errors]


def test_the_shipped_demo_week_is_valid_and_realistic():
    result = formats.read_file(SHIPPED_PROGRAMME)
    assert result.ok, result.errors
    sessions = result.sessions
    assert len(sessions) >= 20
    assert {s.date for s in sessions} == {date(2026, 5, d) for d in range(18, 23)}
    assert sum(s.cancelled for s in sessions) >= 1
    titles = {s.title for s in sessions}
    for expected in (
        "Learn to code",
        "3D printing",
        "Service design",
        "Office 365 tips",
        "Digital champions masterclass",
        "LinkedIn profile",
        "Mindfulness at work",
    ):
        assert expected in titles
    code = next(s for s in sessions if s.title == "Learn to code")
    assert "coding" in code.aliases and code.room and code.presenter


def test_end_before_start_is_reported_like_a_person_would_say_it():
    text = HEADER + (
        "2026-05-18,09:00,10:00,Fine,,,,,\n"
        "2026-05-18,10:00,11:00,Also fine,,,,,\n"
        "2026-05-18,09:00,10:00,Still fine,,,,,\n"
        "2026-05-18,11:00,10:30,Backwards,,,,,\n"
    )
    assert errors(text) == ["Row 5, column 'end': 10:30 is before the start 11:00"]


def test_every_error_in_the_file_is_listed_not_just_the_first():
    text = HEADER + (
        "2026-02-30,9:00,25:00,,,,,,maybe\n"
        '2026-05-18,10:00,10:00,"Same time",,,,,\n'
        "18th of May,10:00,11:00,Wrong date format,,,,,\n"
        "2026-05-18,10:00,11:00,Too few cells\n"
    )
    assert errors(text) == [
        "Row 2, column 'title': is empty",
        "Row 2, column 'date': 2026-02-30 is not a real date; write it as 18/05/2026 or 2026-05-18",
        "Row 2, column 'end': 25:00 is not a time of day; write it as 14:00, 2pm or 2.30pm",
        "Row 2, column 'status': 'maybe' should be empty, 'scheduled' or 'cancelled'",
        "Row 3, column 'end': is the same as the start",
        "Row 4, column 'date': '18th of May' is not a date; write it as 18/05/2026 or 2026-05-18",
        "Row 5: has 4 cells, the header has 9; add the missing cells",
    ]


def test_required_columns_are_named_and_unknown_ones_ignored_with_a_warning():
    assert errors("date,begins,title\n2026-05-18,10:00,X\n") == [
        "Row 1: the header row needs the column end (it has “date”, “begins”, “title”). The "
        "first row must name the columns: date, start, end, title, room, presenter, "
        "description, aliases, status"
    ]
    result = csv_format.parse(
        "Date , START TIME,Finish,Session title,colour\n2026-05-18,10:00,11:00,X,red\n"
    )
    assert [(s.title, s.start, s.end) for s in result.sessions] == [("X", time(10), time(11))]
    assert [str(w) for w in result.warnings] == [
        "Row 1: the column “colour” is not part of a programme and was ignored (the columns "
        "used are date, start, end, title, room, presenter, description, aliases, status)"
    ]


def test_dates_and_times_in_every_unambiguous_form():
    dates = [
        "2026-05-18",
        "18/05/2026",
        "18/5/2026",
        "18.05.2026",
        "18-05-2026",
        "18/05/26",
        "18 May 2026",
        "Mon 18 May 2026",
        "18th May 2026",
        "2026-05-18 00:00:00",
    ]
    for text in dates:
        assert csv_format.parse_date(text) == date(2026, 5, 18), text
    times = {"14:30": time(14, 30), "9:05": time(9, 5), "14:30:00": time(14, 30),
             "14.30": time(14, 30), "2.30pm": time(14, 30), "2:30 PM": time(14, 30),
             "10am": time(10), "12pm": time(12), "12am": time(0), "noon": time(12),
             "10:00:00 AM": time(10)}  # fmt: skip
    for text, expected in times.items():
        assert csv_format.parse_time(text) == expected, text
    for bad in ("14:30:15", "13pm", "25:00", "10", "half ten"):
        try:
            csv_format.parse_time(bad)
        except ValueError as exc:
            assert bad in str(exc)
        else:
            raise AssertionError(f"{bad} was accepted")


def test_a_time_that_does_not_exist_when_the_clocks_go_forward():
    text = HEADER + "2026-03-29,01:30,02:30,Gap,,,,,\n"
    assert errors(text) == [
        "Row 2, column 'start': 01:30 does not exist on 29/03/2026 in Europe/London "
        "(the clocks go forward)"
    ]


def test_invisible_control_characters_are_removed_with_a_warning():
    text = HEADER + '2026-05-18,10:00,11:00,Tea\x0btime,,,"Cake\tand\nmore",,\n'
    result = csv_format.parse(text)
    assert [s.title for s in result.sessions] == ["Tea time"]
    assert [str(w) for w in result.warnings] == [
        "Row 2, column 'title': had invisible control characters, which were removed"
    ]


def test_long_descriptions_are_shortened_long_titles_refused():
    long = "word " * 300
    text = HEADER + f"2026-05-18,10:00,11:00,Talk,,,{long},,\n"
    (s,) = csv_format.parse(text).sessions
    assert len(s.description) <= 1000 and s.description.endswith("word…")
    assert errors(HEADER + f"2026-05-18,10:00,11:00,{'t' * 121},,,,,\n") == [
        "Row 2, column 'title': is 121 characters long (at most 120); shorten it"
    ]


def test_duplicates_empty_files_and_broken_csv():
    dup = HEADER + "2026-05-18,10:00,11:00,Talk,,,,,\n2026-05-18,10:00,11:30,talk,,,,,\n"
    assert errors(dup) == ["Row 3, column 'title': repeats row 2 (same date, start and title)"]
    assert errors("") == ["The file is empty."]
    assert errors(HEADER) == ["The file has a header but no sessions."]
    assert errors(HEADER + '2026-05-18,10:00,11:00,"unclosed\n')[0].startswith(
        'Row 2: a double quote (") opens a cell here that is never closed'
    )
    assert errors(HEADER + '2026-05-18,10:00,11:00,"Quoted" then more,,,,,\n')[0].startswith(
        'Row 2: there is text straight after a closing double quote (")'
    )


def test_forgiving_where_it_costs_nothing():
    text = (
        "\ufeff"
        + HEADER.upper()
        + ("2026-05-18, 9:30 ,10:00, Coffee & chat ,Room 3,,,coffee; chat;;coffee,Canceled\n\n")
    )
    result = csv_format.parse(text)
    assert result.ok
    (s,) = result.sessions
    assert (s.start, s.title, s.aliases, s.status) == (
        time(9, 30),
        "Coffee & chat",
        ("coffee", "chat"),
        "cancelled",
    )
    assert s.id == "coffee-chat"


def test_write_then_read_gives_the_same_sessions(tmp_path: Path):
    original = formats.read_file(SHIPPED_PROGRAMME).sessions
    path = tmp_path / "out.csv"
    path.write_text(csv_format.write(original), encoding="utf-8")
    assert formats.read_file(path).sessions == original


def test_unknown_file_types_and_bad_bytes(tmp_path: Path):
    doc = tmp_path / "programme.docx"
    doc.write_bytes(b"PK")
    assert [str(e) for e in formats.read_file(doc).errors][0].startswith(
        "programme.docx: unsupported file type"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "2026-05-18,10:00,11:00,Caf\xe9,,,,,\n".encode("latin-1"))
    result = formats.read_file(latin)
    assert [s.title for s in result.sessions] == ["Café"]
    assert "read as Windows-1252" in str(result.warnings[0])
    bad_bom = tmp_path / "bad.csv"
    bad_bom.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"\xff\n")
    assert str(formats.read_file(bad_bom).errors[0]).startswith(
        "The file says it is UTF-8 text but is not"
    )
