"""`voice-demo programme import|export|versions|rollback`, against both stores."""

from __future__ import annotations

import pytest

from skill.cli import main
from skill.programme.formats import csv_format
from skill.settings import SHIPPED_PROGRAMME

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
BROKEN = HEADER + (
    "2026-05-18,10:00,11:00,Fine,,,,,\n"
    "2026-05-18,11:00,10:30,Backwards,,,,,\n"
    "2026-05-19,09:00,10:00,,,,,,postponed\n"
)
SMALL = HEADER + "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo,,knitting,\n"


@pytest.fixture(params=["sqlite", "dynamodb"])
def workdir(request, tmp_path, monkeypatch):
    """A working folder (no stray .env) with the settings for one store."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", request.param)
    if request.param == "dynamodb":
        monkeypatch.setenv("VOICE_DEMO_PROGRAMME_TABLE", request.getfixturevalue("dynamodb"))
    (tmp_path / "demo.csv").write_bytes(SHIPPED_PROGRAMME.read_bytes())
    (tmp_path / "broken.csv").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "small.csv").write_text(SMALL, encoding="utf-8")
    return tmp_path


def test_checking_a_file_publishes_nothing(workdir, capsys):
    assert main(["programme", "import", "demo.csv"]) == 0
    assert "demo.csv: 25 sessions, no problems. Nothing was published" in capsys.readouterr().out
    assert main(["programme", "versions"]) == 0
    assert capsys.readouterr().out == "No versions have been published yet.\n"


def test_a_file_with_errors_lists_them_all_publishes_nothing_and_fails(workdir, capsys):
    assert main(["programme", "import", "broken.csv", "--publish"]) == 2
    err = capsys.readouterr().err
    assert "Row 3, column 'end': 10:30 is before the start 11:00" in err
    assert "Row 4, column 'title': is empty" in err
    assert "Row 4, column 'status': 'postponed' should be empty" in err
    assert "broken.csv: 3 problems; nothing was published" in err
    main(["programme", "versions"])
    assert "No versions" in capsys.readouterr().out


def test_publish_list_export_and_roll_back(workdir, capsys):
    assert (
        main(
            [
                "programme",
                "import",
                "demo.csv",
                "--publish",
                "--note",
                "the demo week",
                "--author",
                "ana",
            ]
        )
        == 0
    )
    assert "Published version 1 (25 sessions); it is live now." in capsys.readouterr().out
    assert main(["programme", "import", "small.csv", "--publish", "--author", "ben"]) == 0
    capsys.readouterr()

    assert main(["programme", "versions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["version", "published", "by", "sessions", "note"]
    assert lines[1].split()[:2] == ["live", "2"] and " ben " in lines[1]
    assert lines[2].split()[0] == "1" and lines[2].endswith("the demo week")

    assert main(["programme", "export", "now.csv"]) == 0
    assert (workdir / "now.csv").read_text(encoding="utf-8") == SMALL
    assert main(["programme", "export", "-", "--version", "1"]) == 0
    exported = capsys.readouterr().out.split("\n", 1)[1]  # after "Wrote version 2 …"
    demo = csv_format.parse(SHIPPED_PROGRAMME.read_text(encoding="utf-8")).sessions
    assert csv_format.parse(exported).sessions == demo

    assert main(["programme", "rollback", "1", "--note", "wrong file"]) == 0
    assert "Version 1 is live again (it replaced version 2)." in capsys.readouterr().out
    assert main(["programme", "rollback", "1"]) == 0
    assert "Version 1 is already live." in capsys.readouterr().out
    main(["programme", "versions"])
    assert capsys.readouterr().out.splitlines()[2].split()[:2] == ["live", "1"]


def test_rolling_back_to_a_version_that_does_not_exist_fails(workdir, capsys):
    main(["programme", "import", "small.csv", "--publish"])
    assert main(["programme", "rollback", "7"]) == 2
    assert "there is no programme version 7" in capsys.readouterr().err


def test_exporting_nothing_or_to_an_unknown_format_fails(workdir, capsys):
    assert main(["programme", "export", "out.csv"]) == 2
    assert "nothing has been published yet" in capsys.readouterr().err
    main(["programme", "import", "small.csv", "--publish"])
    assert main(["programme", "export", "out.xlsx"]) == 2
    assert "cannot write .xlsx files" in capsys.readouterr().err
