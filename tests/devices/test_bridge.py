"""`voice-demo bridge`: fresh shadow commands are applied, stale ones never are.

The skill side writes real commands into a moto shadow (iot-data over HTTP); the bridge's
clock is moved instead of waiting 30 s.
"""

from __future__ import annotations

import json
import time

import boto3

from skill.devices.bridge import Bridge, links_from_registry
from skill.devices.drivers import module
from tests.devices.conftest import REGION, THING
from tests.devices.helpers import budget, registry
from tests.devices.test_iot_shadow import heater_entry


def setup(moto_url, context, **extra):
    reg = registry(heater_entry(moto_url, wait_s=0.3, **extra))
    skill_side = module("iot_shadow").create(reg.get("heater"), context)
    links = links_from_registry(reg, context, context.aws_client)
    return skill_side, links


def shadow(moto_url) -> dict:
    client = boto3.client("iot-data", region_name=REGION, endpoint_url=moto_url)
    return json.loads(client.get_thing_shadow(thingName=THING)["payload"].read())


def test_stale_command_is_discarded_and_a_fresh_one_applied(moto_url, aws_context):
    skill_side, links = setup(moto_url, aws_context)
    lan_plug = links[0].plug
    # Someone asks for heat while the bridge is offline: the command waits in the shadow.
    assert not skill_side.set_power(True, budget()).confirmed

    # The bridge comes back 31 s later: the command must not switch the heater on.
    late = Bridge(links, wall=lambda: time.time() + 31)
    assert late.step() == {"heater": "discarded"}
    assert lan_plug.read(budget()).on is False
    doc = shadow(moto_url)
    assert "power" not in doc["state"].get("desired", {})  # cleared, not left to linger
    assert doc["state"]["reported"]["outcome"] == "discarded"
    assert late.step() == {"heater": "idle"}  # and never reconsidered

    # A command written now is applied.
    skill_side.set_power(True, budget())
    assert Bridge(links).step() == {"heater": "applied"}
    assert lan_plug.read(budget()).on is True


def test_command_from_a_skill_whose_clock_is_far_behind_is_discarded(moto_url, aws_context):
    skill_side, links = setup(moto_url, aws_context)
    skill_side.wall = lambda: time.time() - 3600  # written "an hour ago"
    skill_side.set_power(True, budget())
    assert Bridge(links).step() == {"heater": "discarded"}
    assert links[0].plug.read(budget()).on is False


def test_applied_command_reports_back_and_is_not_applied_twice(moto_url, aws_context):
    skill_side, links = setup(moto_url, aws_context)
    skill_side.set_power(True, budget())
    bridge = Bridge(links)
    assert bridge.step() == {"heater": "applied"}
    reported = shadow(moto_url)["state"]["reported"]
    assert reported["power"] == "on" and reported["outcome"] == "applied"
    links[0].plug.set_power(False, budget())  # someone uses the plug's own button
    assert bridge.step() == {"heater": "idle"}
    assert links[0].plug.read(budget()).on is False


def test_max_on_minutes_travels_to_the_lan_plugs_own_timer(moto_url, aws_context):
    skill_side, links = setup(moto_url, aws_context, max_on_minutes=30)
    skill_side.set_power(True, budget(), auto_off_s=30 * 60)
    Bridge(links).step()
    state = links[0].plug.read(budget())
    assert state.on and state.off_at is not None
    assert 29 * 60 < state.off_at.timestamp() - time.time() <= 30 * 60


def test_bridge_keeps_the_timer_for_a_lan_plug_without_one(moto_url, aws_context, device_http):
    from dataclasses import replace

    from tests.devices.fakes import FakeHomeAssistant

    fake = FakeHomeAssistant()
    lan = {
        "driver": "homeassistant",
        "url": fake.install(device_http),
        "entity_id": "switch.lamp",
        "token_env": "HA_TOKEN",
    }
    context = replace(aws_context, environ={"HA_TOKEN": fake.token})
    skill_side, links = setup(moto_url, context, bridge=lan)
    skill_side.set_power(True, budget(), auto_off_s=30 * 60)
    bridge = Bridge(links)
    assert bridge.step() == {"heater": "applied"} and fake.states["switch.lamp"] == "on"
    assert 29 * 60 < bridge.timers.remaining("heater") <= 30 * 60
    bridge.timers.schedule("heater", 0.05)  # fast-forward half an hour
    deadline = time.monotonic() + 3
    while bridge.timers.remaining("heater") is not None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the timer's off has finished (switched, read back, reported)
    assert fake.states["switch.lamp"] == "off"
    assert skill_side.read(budget()).is_confirmed(False)  # and the shadow was told
    bridge.close()
