"""`voice-demo bridge` as an operator runs it (one pass with --once)."""

from __future__ import annotations

import yaml

from skill.cli import main
from skill.devices import load_registry
from skill.devices.bridge import links_from_registry
from skill.devices.drivers import module
from tests.devices.helpers import budget
from tests.devices.test_iot_shadow import heater_entry


def test_bridge_once_applies_a_fresh_command(moto_url, aws_context, tmp_path, monkeypatch, capsys):
    path = tmp_path / "devices.yaml"
    path.write_text(yaml.safe_dump({"devices": [heater_entry(moto_url, wait_s=0.3)]}))
    monkeypatch.setenv("VOICE_DEMO_DEVICES", str(path))
    monkeypatch.setenv("VOICE_DEMO_DATA", str(aws_context.data_dir))
    registry = load_registry(path)
    module("iot_shadow").create(registry.get("heater"), aws_context).set_power(True, budget())

    assert main(["bridge", "--once"]) == 0
    assert "heater: applied" in capsys.readouterr().out
    lan_plug = links_from_registry(registry, aws_context, aws_context.aws_client)[0].plug
    assert lan_plug.read(budget()).on is True


def test_bridge_without_bridged_devices_says_why(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_DEMO_DEVICES", "")  # the shipped demo registry: simulated only
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path))
    assert main(["bridge", "--once"]) == 2
    assert "no iot_shadow device" in capsys.readouterr().err


def test_bridge_refuses_to_accept_older_commands(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path))
    assert main(["bridge", "--max-age", "3600"]) == 2
    assert "--max-age" in capsys.readouterr().err


def test_bridge_wants_a_certificate_and_its_key_together(
    moto_url, aws_context, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "devices.yaml"
    path.write_text(yaml.safe_dump({"devices": [heater_entry(moto_url)]}))
    monkeypatch.setenv("VOICE_DEMO_DEVICES", str(path))
    monkeypatch.setenv("VOICE_DEMO_DATA", str(aws_context.data_dir))
    assert main(["bridge", "--cert", "bridge.pem.crt"]) == 2
    assert "--cert and --key" in capsys.readouterr().err


def test_the_mqtt_websocket_url_is_signed_and_carries_the_token_after(monkeypatch):
    """AWS IoT rejects a URL whose session token is inside the signature."""
    from urllib.parse import parse_qs, urlparse

    from skill.cli.bridge import sigv4_websocket_path

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token/with+chars")
    path = sigv4_websocket_path("abc-ats.iot.eu-west-1.amazonaws.com", "eu-west-1")()
    url = urlparse(path)
    query = parse_qs(url.query)
    assert url.path == "/mqtt"
    assert query["X-Amz-Credential"][0].endswith("/eu-west-1/iotdevicegateway/aws4_request")
    assert query["X-Amz-SignedHeaders"] == ["host"] and query["X-Amz-Signature"]
    assert query["X-Amz-Security-Token"] == ["token/with+chars"]
    assert url.query.index("X-Amz-Signature") < url.query.index("X-Amz-Security-Token")
