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
    assert not result.sessions, "a file with errors yields no sessions"
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
        assert expected in titles  # fmt: skip
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
        "18/05/2026,10:00,11:00,Wrong date format,,,,,\n"
        "2026-05-18,10:00,11:00,Too few cells\n"
    )
    assert errors(text) == [
        "Row 2, column 'title': is empty",
        "Row 2, column 'date': 2026-02-30 is not a real date",
        "Row 2, column 'end': '25:00' is not a 24-hour time like 09:30 or 14:00",
        "Row 2, column 'status': 'maybe' should be empty, 'scheduled' or 'cancelled'",
        "Row 3, column 'end': is the same as the start",
        "Row 4, column 'date': '18/05/2026' is not a date like 2026-05-18",
        "Row 5: has 4 cells, the header has 9",
    ]


def test_missing_and_unknown_columns_are_named():
    assert errors("date,start,end,title,colour\n2026-05-18,10:00,11:00,X,red\n") == [
        "Row 1, column 'colour': unknown column (expected date, start, end, title, room, "
        "presenter, description, aliases, status)",
        *(f"Row 1, column '{c}': this column is missing"
          for c in ("room", "presenter", "description", "aliases", "status")),
    ]  # fmt: skip


def test_a_time_that_does_not_exist_when_the_clocks_go_forward():
    text = HEADER + "2026-03-29,01:30,02:30,Gap,,,,,\n"
    assert errors(text) == [
        "Row 2, column 'start': 01:30 does not exist on 2026-03-29 in Europe/London "
        "(the clocks go forward)"
    ]


def test_invisible_control_characters_are_refused():
    text = HEADER + '2026-05-18,10:00,11:00,Tea\x0btime,,,"Cake\tand\nmore",,\n'
    assert errors(text) == [
        "Row 2, column 'title': contains an invisible control character (retype it)"
    ]


def test_duplicates_empty_files_and_broken_csv():
    dup = HEADER + "2026-05-18,10:00,11:00,Talk,,,,,\n2026-05-18,10:00,11:30,talk,,,,,\n"
    assert errors(dup) == ["Row 3, column 'title': repeats row 2"]
    assert errors("") == ["The file is empty."]
    assert errors(HEADER) == ["The file has a header but no sessions."]
    assert errors(HEADER + '2026-05-18,10:00,11:00,"unclosed\n')[0].startswith(
        "This is not a valid CSV file"
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
        time(9, 30), "Coffee & chat", ("coffee", "chat"), "cancelled",
    )  # fmt: skip
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
    assert "not UTF-8" in str(formats.read_file(latin).errors[0])
