"""`voice-demo trial export | delete-user | purge` on the local store."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from skill.cli import main
from skill.settings import Settings
from skill.triallog import open_log
from tests import alexa

OTHER = "amzn1.ask.account.SOMEONEELSE"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("VOICE_DEMO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_TRIAL_RETENTION_DAYS", "30")
    now = datetime.now(UTC)
    clock = SimpleNamespace(now=now - timedelta(days=40))
    log = open_log(Settings.from_env(), lambda: clock.now)
    for user, age in ((alexa.USER_ID, 40), (alexa.USER_ID, 1), (OTHER, 1)):
        clock.now = now - timedelta(days=age)
        log._last_purge = clock.now  # keep everything until the command purges
        log.record(
            user_id=user, asked="TurnOnIntent", device="lamp", outcome="done", consented=True
        )
    return log


def test_export_writes_csv_for_one_person(log, tmp_path, capsys):
    out = tmp_path / "trial.csv"
    assert main(["trial", "export", str(out), "--user", alexa.USER_ID]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("Date,Time,Time zone,Person")
    assert len(lines) == 3 and all(log.hash_user(alexa.USER_ID) in line for line in lines[1:])
    assert alexa.USER_ID not in out.read_text()
    assert "Wrote 2 entries" in capsys.readouterr().out


def test_export_to_stdout_with_a_date_range(log, capsys):
    today = datetime.now(UTC).date()
    start = (today - timedelta(days=3)).isoformat()
    assert main(["trial", "export", "-", "--from", start]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_delete_user_accepts_the_raw_or_the_hashed_id(log, capsys):
    assert main(["trial", "delete-user", alexa.USER_ID]) == 0
    assert "Deleted 2 entries" in capsys.readouterr().out
    assert main(["trial", "delete-user", log.hash_user(OTHER)]) == 0
    assert "Deleted 1 entries" in capsys.readouterr().out
    assert log.store.entries() == []


def test_purge_removes_what_is_past_retention(log, capsys):
    assert main(["trial", "purge"]) == 0
    assert "Purged 1 entries" in capsys.readouterr().out
    assert len(log.store.entries()) == 2


def test_bad_input_fails_without_a_traceback(log, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["trial", "export", "-", "--from", "last tuesday"])
    assert exit_.value.code == 2
    assert main(["trial", "export", str(tmp_path / "missing" / "x.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err
