"""`voice-demo homes …` and `voice-demo accounts …` as operators type them."""

from __future__ import annotations

import io

import pytest

from skill.cli import main
from tests.homes.conftest import LAMP_ONLY


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("VOICE_DEMO_DEVICES", raising=False)

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_an_operator_sets_up_a_home_from_the_terminal(cli, tmp_path):
    code, out, _ = cli("homes", "add", "Trial home A", "--time-zone", "Europe/Dublin")
    assert code == 0
    home_id = out.strip()
    assert home_id.startswith("home-")
    (tmp_path / "a.yaml").write_text(LAMP_ONLY, encoding="utf-8")
    assert cli("homes", "devices", "import", "Trial home A", "a.yaml")[0] == 0
    assert cli("homes", "link", home_id, "--speaker", "amzn1.ask.device.A")[0] == 0
    assert cli("homes", "link", home_id, "--account", "cognito-sub-a")[0] == 0
    _, listing, _ = cli("homes", "list")
    assert f"{home_id}\tTrial home A\tEurope/Dublin\tlamp\t1 speaker(s)" in listing
    assert "Demo stand" in listing
    _, exported, _ = cli("homes", "devices", "export", "trial home a", "-")
    assert exported == LAMP_ONLY
    assert cli("homes", "unlink", "--speaker", "amzn1.ask.device.A")[0] == 0
    code, _, err = cli("homes", "unlink", "--speaker", "amzn1.ask.device.A")
    assert code == 2 and "was not linked" in err
    assert cli("homes", "remove", home_id)[0] == 0
    assert "Trial home A" not in cli("homes", "list")[1]


def test_a_bad_import_names_the_file_and_entry_and_changes_nothing(cli, tmp_path):
    cli("homes", "add", "Flat 3")
    (tmp_path / "good.yaml").write_text(LAMP_ONLY, encoding="utf-8")
    cli("homes", "devices", "import", "Flat 3", "good.yaml")
    (tmp_path / "bad.yaml").write_text(
        LAMP_ONLY + "  - id: fan\n    name: fan\n    driver: shelly\n", encoding="utf-8"
    )
    code, _, err = cli("homes", "devices", "import", "Flat 3", "bad.yaml")
    assert code == 2
    assert "bad.yaml" in err and "device 2 (fan)" in err and "host" in err
    assert "nothing was changed" in err
    assert cli("homes", "devices", "export", "Flat 3", "-")[1] == LAMP_ONLY


def test_unknown_homes_are_named(cli):
    code, _, err = cli("homes", "link", "Nowhere", "--speaker", "x")
    assert code == 2 and "no home 'Nowhere'" in err and "Demo stand (stand)" in err


def test_accounts_with_roles_and_assigned_homes(cli):
    _, home_id, _ = cli("homes", "add", "Trial home A")
    assert cli("accounts", "add", "Priya", "--role", "ot", stdin="correct horse\n")[0] == 0
    code, _, err = cli("accounts", "add", "Sam", "--role", "editor", stdin="short\n")
    assert code == 2 and "at least 10 characters" in err
    assert cli("accounts", "assign", "Priya", "Trial home A")[0] == 0
    _, listing, _ = cli("accounts", "list")
    assert "Priya\tot\tTrial home A" in listing
    assert cli("accounts", "password", "Priya", stdin="battery staple\n")[0] == 0
    code, _, err = cli("accounts", "assign", "Nobody", home_id.strip())
    assert code == 2 and "no account called 'Nobody'" in err
    assert cli("accounts", "remove", "Priya")[0] == 0
    assert "Priya" not in cli("accounts", "list")[1]
