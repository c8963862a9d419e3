"""The Lambda bundle: what `sam build` picks up, and that it runs with only its requirements."""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("package_lambda", ROOT / "scripts/package_lambda.py")
package_lambda = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(package_lambda)

REGISTRY = """\
devices:
  - id: lamp
    name: lamp
    aliases: [light]
    driver: simulated
"""


@pytest.fixture
def registry(tmp_path) -> Path:
    path = tmp_path / "devices.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return path


@pytest.fixture
def bundle(tmp_path, registry, capsys) -> Path:
    out = tmp_path / "lambda"
    assert package_lambda.main(["--devices", str(registry), "--out", str(out)]) == 0
    assert "checked: imports and answers" in capsys.readouterr().out
    return out


def test_bundle_is_what_the_template_deploys(bundle):
    function = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))["Resources"][
        "SkillFunction"
    ]["Properties"]
    assert (ROOT / function["CodeUri"]).resolve() == package_lambda.DEFAULT_OUT.resolve()
    module, handler = function["Handler"].rsplit(".", 1)
    entry = bundle / (module.replace(".", "/") + ".py")
    assert f"def {handler}(" in entry.read_text(encoding="utf-8")
    assert (bundle / "requirements.txt").is_file()
    assert (bundle / package_lambda.BUNDLED_DEVICES).read_text(encoding="utf-8") == REGISTRY


def test_bundle_leaves_out_the_flask_side_and_caches(bundle):
    assert not (bundle / "skill" / "web").exists()
    assert not (bundle / "skill" / "cli").exists()
    assert not list(bundle.rglob("__pycache__"))


def test_lambda_requirements_are_runtime_dependencies_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs: list[str]) -> set[str]:
        return {re.split(r"[\s<>=!~;\[]", s, maxsplit=1)[0].lower() for s in specs}

    wanted = names(package_lambda.requirement_names())
    assert wanted <= names(project["dependencies"])
    extras = set().union(*(names(v) for v in project["optional-dependencies"].values()))
    assert not wanted & extras
    assert {"ask-sdk-core", "boto3"} <= wanted
    assert not {"flask", "flask-ask-sdk", "cryptography"} & wanted


def test_a_flask_import_anywhere_in_the_bundle_stops_packaging(bundle):
    helper = bundle / "skill" / "helper_for_test.py"
    helper.write_text("def later():\n    from flask import request\n", encoding="utf-8")
    with pytest.raises(package_lambda.PackagingError, match="helper_for_test.py:2: imports flask"):
        package_lambda.check(bundle)


def test_a_module_missing_from_the_bundle_is_caught_before_deploying(bundle):
    (bundle / "skill" / "speech.py").unlink()
    with pytest.raises(package_lambda.PackagingError, match="only its requirements"):
        package_lambda.check(bundle)


def test_a_broken_registry_is_refused_with_where_it_is_wrong(tmp_path, capsys):
    bad = tmp_path / "devices.yaml"
    bad.write_text(REGISTRY + "  - id: lamp\n    name: fan\n    driver: simulated\n")
    out = tmp_path / "lambda"
    assert package_lambda.main(["--devices", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "lamp" in err
    assert not out.exists()


def test_the_thing_names_for_the_template_come_from_the_registry(tmp_path, capsys):
    cloud = tmp_path / "devices.yaml"
    cloud.write_text(
        REGISTRY
        + "  - id: heater\n    name: heater\n    driver: iot_shadow\n"
        + "    thing_name: home-ot-7-heater\n    bridge: {driver: simulated}\n",
        encoding="utf-8",
    )
    assert package_lambda.main(["--devices", str(cloud), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert "ThingNames=home-ot-7-heater\n" in out
    # The simulated lamp would keep its state per container: said, not silently shipped.
    assert "lamp: driver simulated" in err


def test_the_example_cloud_registry_packages_cleanly(tmp_path, capsys):
    example = ROOT / "deploy" / "devices.cloud.example.yaml"
    out = tmp_path / "out"
    assert package_lambda.main(["--devices", str(example), "--out", str(out), "--no-check"]) == 0
    printed, warnings = capsys.readouterr()
    assert "ThingNames=stand-1-lamp,stand-1-fan,stand-1-heater" in printed
    assert warnings == ""


def lambda_runtime_python() -> str | None:
    """An interpreter of the template's runtime version on this machine, if there is one."""
    resources = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))["Resources"]
    version = resources["SkillFunction"]["Properties"]["Runtime"].removeprefix("python")
    name = f"python{version}"
    candidates = [
        shutil.which(name),
        *glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/{name}")),
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


def test_the_bundle_runs_on_the_lambda_runtimes_python(bundle):
    """The venv is 3.11; the function runs the template's version (3.13): try it there too."""
    python = lambda_runtime_python()
    if python is None:
        pytest.skip("no interpreter of the Lambda runtime's version on this machine")
    probe = package_lambda.check(bundle, python)
    assert "Welcome" in probe["response"]["response"]["outputSpeech"]["ssml"]
