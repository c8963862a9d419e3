"""One Lambda function serves both skills: directives go to the smart-home handler."""

from __future__ import annotations

import subprocess
import sys

import pytest

import skill.lambda_function as lambda_module
from skill.smarthome.homes import DEFAULT_HOME, SingleRegistryHomes
from tests import alexa
from tests.smarthome.conftest import ALICE, request
from tests.smarthome.fakes import CLIENT_ID

TURN_ON = "PowerController/PowerController.TurnOn.request.json"
DISCOVER = "Discovery/Discovery.request.json"


class Context:
    """What Lambda hands the handler: only the remaining time is used."""

    def get_remaining_time_in_millis(self) -> int:
        return 6000


@pytest.fixture
def handler(monkeypatch, tmp_path, clock, cognito, lwa, gateway, amazon):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    monkeypatch.delenv("VOICE_DEMO_SKILL_ID", raising=False)
    monkeypatch.setenv("VOICE_DEMO_OAUTH_ISSUER", cognito.issuer)
    monkeypatch.setenv("VOICE_DEMO_OAUTH_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("VOICE_DEMO_LWA_CLIENT_ID", lwa.client_id)
    monkeypatch.setenv("VOICE_DEMO_LWA_CLIENT_SECRET", lwa.client_secret)
    base = f"http://127.0.0.1:{amazon.port}"
    monkeypatch.setenv("VOICE_DEMO_LWA_TOKEN_URL", f"{base}/auth/o2/token")
    monkeypatch.setenv("VOICE_DEMO_EVENT_GATEWAY_URL", f"{base}/v3/events")
    monkeypatch.setattr(lambda_module, "_runtime", None)
    monkeypatch.setattr(lambda_module, "_smart_home", None)
    monkeypatch.setattr("skill.services.utc_now", clock)
    yield lambda_module.lambda_handler
    if lambda_module._smart_home is not None:
        lambda_module._smart_home.close()
    lambda_module._runtime = None
    lambda_module._smart_home = None


def link(sub: str) -> None:
    """What `voice-demo homes link stand --account SUB` does (or, without homes, the
    single-registry adapter's link)."""
    services = lambda_module.runtime()[0]
    if services.homes is not None:
        services.homes.directory.link_account(DEFAULT_HOME, sub)
    else:
        SingleRegistryHomes(services.devices, services.state).link(sub)


def test_a_linked_account_discovers_and_switches_the_registrys_lamp(handler, cognito, valid):
    token = cognito.token(ALICE)
    before = valid(handler(request(DISCOVER, token), Context()))
    assert before["event"]["payload"]["endpoints"] == []  # not linked to the home yet
    link(ALICE)
    found = valid(handler(request(DISCOVER, token), Context()))
    assert "lamp" in {e["endpointId"] for e in found["event"]["payload"]["endpoints"]}
    answer = valid(handler(request(TURN_ON, token, endpoint="lamp"), Context()))
    assert answer["event"]["header"]["name"] == "Response"
    assert lambda_module.runtime()[0].devices.read("lamp").is_confirmed(True)


def test_a_custom_skill_switch_is_reported_before_the_invocation_returns(
    handler, cognito, lwa, gateway, valid
):
    link(ALICE)
    valid(
        handler(
            request("Authorization/Authorization.AcceptGrant.request.json", cognito.token(ALICE)),
            Context(),
        )
    )
    # A fresh container: the first request it sees is the custom skill's.
    lambda_module._smart_home.close()
    lambda_module._smart_home = None
    lambda_module.runtime()[0].devices.close()
    lambda_module._runtime = None
    response = handler(alexa.intent("TurnOnIntent", slots={"device": "lamp"}), Context())
    assert "lamp is on" in alexa.speech_text(response)
    # Lambda freezes after returning: the ChangeReport must already be at the gateway.
    (event,) = gateway.events
    valid(event)
    assert event["event"]["payload"]["change"]["cause"]["type"] == "VOICE_INTERACTION"


@pytest.mark.parametrize(
    "event", [{"directive": None}, {"directive": {}}, {"directive": "x", "request": {}}]
)
def test_malformed_directives_are_answered_not_raised(handler, event, valid):
    answer = valid(handler(event, Context()))
    assert answer["event"]["payload"]["type"] == "INVALID_DIRECTIVE"


def test_custom_skill_requests_still_work_beside_directives(handler):
    assert "Welcome" in alexa.speech_text(handler(alexa.launch(), Context()))


def test_the_lambda_module_loads_the_smart_home_only_when_a_directive_comes():
    code = "import sys, skill.lambda_function; print('skill.smarthome' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_cli_links_a_login_that_the_lambda_then_lets_in(handler, cognito, valid, capsys):
    from skill.cli import main

    token = cognito.token(ALICE)
    assert main(["smarthome", "link", "--account", ALICE]) == 0
    assert "linked" in capsys.readouterr().out
    found = valid(handler(request(DISCOVER, token), Context()))
    assert "lamp" in {e["endpointId"] for e in found["event"]["payload"]["endpoints"]}
    assert main(["smarthome", "link", "--account", ALICE, "--home", "elsewhere"]) == 2
    assert "no home 'elsewhere'" in capsys.readouterr().err
    assert main(["smarthome", "unlink", "--account", ALICE]) == 0
    assert (
        valid(handler(request(DISCOVER, token), Context()))["event"]["payload"]["endpoints"] == []
    )


# --- the bridge's reports, through the IoT rule on shadow updates --------------------------

REGISTRY = """\
devices:
  - id: lamp
    name: lamp
    driver: simulated
  - id: heater
    name: heater
    driver: iot_shadow
    thing_name: home-heater
    region: eu-west-1
    max_on_minutes: 30
    bridge: {driver: simulated}
"""


def documents(previous: dict | None, current: dict, thing: str = "home-heater") -> dict:
    """What ShadowReportsRule sends: AWS's /update/documents message, SELECTed down.

    Message shape: AWS IoT Developer Guide, "Device Shadow MQTT topics", /update/documents
    (https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-mqtt.html):
    {"previous": {"state": {"reported": …}, …}, "current": {"state": {"reported": …}, …}}.
    """
    message = {
        "previous": {"state": {"reported": previous}, "version": 7} if previous else None,
        "current": {"state": {"reported": current}, "version": 8},
        "timestamp": 1779183600,
    }
    return {
        "voice_demo": "shadow-documents",
        "thing": thing,
        "previous": (message["previous"] or {}).get("state", {}).get("reported"),
        "current": message["current"]["state"]["reported"],
    }


@pytest.fixture
def bridged(handler, monkeypatch, tmp_path, cognito):
    path = tmp_path / "devices.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    monkeypatch.setenv("VOICE_DEMO_DEVICES", str(path))
    link(ALICE)
    handler(
        request("Authorization/Authorization.AcceptGrant.request.json", cognito.token(ALICE)),
        Context(),
    )
    return handler


def test_a_press_on_the_plug_at_home_reaches_the_alexa_app(bridged, gateway, valid):
    off = {"power": "off", "source": "device", "seen_at": 1779183570.0}
    on = {"power": "on", "source": "device", "seen_at": 1779183600.0}
    assert bridged(documents(off, on), Context()) == {"changed": True}
    (event,) = gateway.events  # sent before the invocation returned
    valid(event)
    change = event["event"]["payload"]["change"]
    assert change["cause"]["type"] == "PHYSICAL_INTERACTION"
    assert event["event"]["endpoint"]["endpointId"] == "heater"
    assert change["properties"][0]["value"] == "ON"


def test_the_plugs_own_timer_firing_is_a_rule(bridged, gateway, valid):
    on = {"power": "on", "source": "device", "seen_at": 1779183570.0, "off_at": 1779183590.0}
    off = {"power": "off", "source": "device", "seen_at": 1779183600.0, "off_at": None}
    assert bridged(documents(on, off), Context()) == {"changed": True}
    (event,) = gateway.events
    assert valid(event)["event"]["payload"]["change"]["cause"]["type"] == "RULE_TRIGGER"


@pytest.mark.parametrize(
    "previous, current, thing",
    [
        # a heartbeat: nothing changed
        ({"power": "on", "source": "device"}, {"power": "on", "source": "device"}, "home-heater"),
        # the first report: nothing to compare with
        (None, {"power": "on", "source": "device"}, "home-heater"),
        # a command the bridge applied: the skill that sent it has answered for it
        (
            {"power": "off", "source": "device", "cmd_id": "a1"},
            {"power": "on", "source": "device", "cmd_id": "b2", "outcome": "applied"},
            "home-heater",
        ),
        # not confirmed by the plug
        ({"power": "off", "source": "device"}, {"power": "on", "source": "assumed"}, "home-heater"),
        # a thing this registry doesn't have
        ({"power": "off", "source": "device"}, {"power": "on", "source": "device"}, "other"),
        # garbage
        ("x", 3, None),
    ],
)
def test_shadow_updates_that_are_no_change_send_nothing(bridged, gateway, previous, current, thing):
    assert bridged(documents(previous, current, thing), Context()) == {"changed": False}
    assert gateway.events == []
