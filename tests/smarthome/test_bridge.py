"""Plugs behind `voice-demo bridge` (AWS IoT shadows, moto in server mode): the bridge away is
BRIDGE_UNREACHABLE, a working bridge's confirmation is the Response."""

from __future__ import annotations

import time
from dataclasses import replace

from skill.devices import DeviceService
from skill.devices.bridge import Bridge, links_from_registry
from tests.devices.helpers import registry
from tests.devices.test_iot_shadow import RunningBridge, heater_entry
from tests.smarthome.conftest import ALICE, HOME_A, request

TURN_ON = "PowerController/PowerController.TurnOn.request.json"
REPORT_STATE = "StateReport/ReportState.json"


def lamp_behind_bridge(endpoint: str):
    entry = heater_entry(endpoint, wait_s=0.6, stale_after_s=60) | {"id": "lamp", "name": "lamp"}
    return registry(entry)


def test_the_bridge_away_is_bridge_unreachable(
    moto_url, aws_context, make_smart_home, cognito, valid
):
    reg = lamp_behind_bridge(moto_url)
    Bridge(links_from_registry(reg, aws_context, aws_context.aws_client)).step()  # a heartbeat
    later = replace(aws_context, wall=lambda: time.time() + 120)  # two minutes of silence
    devices = DeviceService(reg, later)
    smart_home = make_smart_home({HOME_A: devices})
    token = cognito.token(ALICE)
    for name in (TURN_ON, REPORT_STATE):
        answer = valid(smart_home.handle(request(name, token, endpoint="lamp")))
        assert answer["event"]["header"]["name"] == "ErrorResponse"
        assert answer["event"]["payload"]["type"] == "BRIDGE_UNREACHABLE", name
    devices.close()


def test_the_bridges_confirmation_is_the_response(
    moto_url, aws_context, make_smart_home, cognito, valid
):
    reg = lamp_behind_bridge(moto_url)
    devices = DeviceService(reg, replace(aws_context))
    smart_home = make_smart_home({HOME_A: devices})
    bridge = Bridge(links_from_registry(reg, aws_context, aws_context.aws_client))
    with RunningBridge(bridge):
        answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="lamp")))
    assert answer["event"]["header"]["name"] == "Response"
    (state,) = [p for p in answer["context"]["properties"] if p["name"] == "powerState"]
    assert state["value"] == "ON"
    devices.close()


def test_a_bridge_that_is_up_but_slow_is_not_reported_as_a_fault(
    moto_url, aws_context, make_smart_home, cognito, valid
):
    """The bridge's last report (off) is fresh, but it doesn't apply the command in time."""
    reg = lamp_behind_bridge(moto_url)
    Bridge(links_from_registry(reg, aws_context, aws_context.aws_client)).step()  # reports off
    devices = DeviceService(reg, replace(aws_context))
    smart_home = make_smart_home({HOME_A: devices})
    answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="lamp")))
    assert answer["event"]["header"]["name"] == "ErrorResponse"
    assert answer["event"]["payload"]["type"] == "ENDPOINT_UNREACHABLE"
    devices.close()
