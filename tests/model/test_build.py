"""Slot values come from the shipped data; `voice-demo model build` regenerates them."""

import json
import shutil
from pathlib import Path

from skill.cli import main
from skill.devices.registry import parse_registry
from skill.model import LOCALES, MODEL_DIR, load
from skill.model.build import build, data_values
from skill.model.values import device_entities, session_entities, spoken
from skill.programme.formats import csv_format
from skill.settings import Settings

REGISTRY = """
devices:
  - id: lamp
    name: lamp
    aliases: [light, bedside lamp]
    driver: simulated
  - id: tv_socket
    name: telly
    aliases: [TV]
    driver: simulated
    voice_off: deny
"""

PROGRAMME = """date,start,end,title,room,presenter,description,aliases,status
2026-05-18,10:00,11:00,Learn to code,Room 1,Sam,,coding; programming,
2026-05-19,10:00,11:00,3D printing,Makerspace,Alex,,printing,
2026-05-20,10:00,11:00,Learn to code,Room 1,Sam,,python,
2026-05-21,10:00,11:00,Knitting,Room 2,Jo,,,cancelled
"""


def test_device_values_are_ids_names_and_aliases():
    entities = device_entities(parse_registry(REGISTRY))
    assert [(e.id, e.name, e.synonyms) for e in entities] == [
        ("lamp", "lamp", ("light", "bedside lamp")),
        ("tv_socket", "telly", ("TV",)),  # voice-denied devices too, so the skill can say why
    ]


def test_one_session_value_per_title_with_every_runs_aliases():
    sessions = csv_format.parse(PROGRAMME).sessions
    entities = {e.name: e for e in session_entities(sessions)}
    assert list(entities) == ["Learn to code", "3D printing", "Knitting"]
    code = entities["Learn to code"]
    assert code.id == "learn-to-code"
    assert code.synonyms == ("coding", "programming", "python")
    assert entities["3D printing"].synonyms == ("printing", "three d printing")


def test_digits_get_a_spoken_synonym():
    assert spoken("3D printing") == "three d printing"
    assert spoken("Office 365 tips") == "office three six five tips"
    assert spoken("Top 10") == "top ten"
    assert spoken("Room 72") == "room seventy two"
    assert spoken("Excel 2016") == "excel two zero one six"
    assert spoken("Coding") is None


def test_shipped_models_are_in_sync_with_the_shipped_data(tmp_path):
    """Rebuilding from skill/data/ changes nothing: run `voice-demo model build` if this fails."""
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy)
    assert build(data_values(Settings()), copy) == []


def test_build_rewrites_only_the_generated_types(tmp_path):
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy)
    registry = tmp_path / "devices.yaml"
    registry.write_text(REGISTRY)
    before = load("en-GB", copy)
    changed = build(data_values(Settings(devices_file=registry)), copy)
    assert sorted(p.name for p in changed) == ["en-GB.json", "en-US.json"]
    after = load("en-GB", copy)
    assert [e.id for e in after.types["DEVICE"]] == ["lamp", "tv_socket"]
    assert after.types["SESSION"] == before.types["SESSION"]
    assert after.intents == before.intents
    assert after.invocation_name == before.invocation_name


def test_cli_build_then_check_reports_in_sync(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy)
    registry = tmp_path / "devices.yaml"
    registry.write_text(REGISTRY)
    monkeypatch.setenv("VOICE_DEMO_DEVICES", str(registry))
    main(["model", "check", "--models", str(copy)])
    assert "DEVICE lacks tv_socket" in capsys.readouterr().err
    assert main(["model", "build", "--models", str(copy)]) == 0
    assert "updated en-GB.json, en-US.json" in capsys.readouterr().out
    main(["model", "check", "--models", str(copy)])
    assert "DEVICE" not in capsys.readouterr().err


def test_cli_build_refuses_a_broken_registry(tmp_path, monkeypatch, capsys):
    registry = tmp_path / "devices.yaml"
    registry.write_text("devices:\n  - id: lamp\n")
    monkeypatch.setenv("VOICE_DEMO_DEVICES", str(registry))
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy)
    assert main(["model", "build", "--models", str(copy)]) == 2
    assert "devices.yaml" in capsys.readouterr().err
    assert json.loads((copy / "en-GB.json").read_text()) == json.loads(
        (MODEL_DIR / "en-GB.json").read_text()
    )


def test_models_are_written_in_the_one_layout():
    """Hand edits keep the layout `model build` writes, so its diffs stay clean."""
    from skill.model import dump

    for locale in LOCALES:
        path = Path(MODEL_DIR, f"{locale}.json")
        assert path.read_text() == dump(json.loads(path.read_text()))
