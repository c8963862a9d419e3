"""The admin pages' steps on the command line: .ics import, checks, diff and preview."""

from __future__ import annotations

import pytest

from skill.cli import main

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
MAY = HEADER + "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo,Bring needles.,,\n"
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Knitting for beginners\r\n"
    "DTSTART;TZID=GMT Standard Time:20260519T113000\r\n"
    "DTEND;TZID=GMT Standard Time:20260519T123000\r\nLOCATION:Craft Room\r\n"
    "ATTENDEE;CN=Jo:mailto:jo@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    (tmp_path / "may.csv").write_text(MAY, encoding="utf-8")
    (tmp_path / "outlook.ics").write_text(ICS, encoding="utf-8")
    return tmp_path


def test_ics_import_diff_and_preview(workdir, capsys):
    assert main(["programme", "import", "may.csv", "--publish", "--note", "first"]) == 0
    assert main(["programme", "diff", "outlook.ics"]) == 0
    out = capsys.readouterr().out
    changed = "Changed “Knitting for beginners” (Tuesday 19 May at 11:30): start 11:00 → 11:30;"
    assert changed in out
    assert main(["programme", "preview", "outlook.ics", "--at", "2026-05-19 10:40"]) == 0
    out = capsys.readouterr().out
    assert "At 10:40 on Tuesday 19 May 2026:" in out
    assert "You: What's next?\nAlexa: Next is Knitting for beginners" in out
    assert "half past eleven" in out
    assert main(["programme", "import", "outlook.ics", "--publish"]) == 0
    assert main(["programme", "diff", "1"]) == 0
    assert "start 11:30 → 11:00" in capsys.readouterr().out


def test_import_refuses_titles_that_clash_with_aliases(workdir, capsys):
    clash = MAY + "2026-05-19,14:00,15:00,Yarn club,Hall,,,Knitting for beginners,\n"
    (workdir / "clash.csv").write_text(clash, encoding="utf-8")
    assert main(["programme", "import", "clash.csv", "--publish"]) == 2
    err = capsys.readouterr().err
    assert "error: The title of “Knitting for beginners”" in err
    assert "nothing was published" in err
