"""The smart-home skill's manifest, kept beside the custom skill's."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_smart_home_manifest_points_at_the_lambda_and_may_send_events():
    manifest = json.loads((ROOT / "interaction_model" / "smarthome-skill.json").read_text())[
        "manifest"
    ]
    smart_home = manifest["apis"]["smartHome"]
    assert smart_home["endpoint"]["uri"].startswith("arn:aws:lambda:eu-west-1:")
    assert smart_home["regions"]["EU"]["endpoint"]["uri"] == smart_home["endpoint"]["uri"]
    assert smart_home["protocolVersion"] == "3"
    assert {"name": "alexa::async_event:write"} in manifest["permissions"]
    assert manifest["publishingInformation"]["category"] == "SMART_HOME"
    assert "custom" not in manifest["apis"]  # a separate skill from the custom one


def test_the_template_names_the_same_handler_for_both_skills():
    from samtranslator.yaml_helper import yaml_parse

    template = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_dump(template)  # parses
    function = template["Resources"]["SkillFunction"]["Properties"]
    assert function["Handler"] == "skill.lambda_function.lambda_handler"
    permission = template["Resources"]["SmartHomePermission"]["Properties"]
    assert permission["FunctionName"] == {"Fn::GetAtt": ["SkillFunction", "Arn"]}
