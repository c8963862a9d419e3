"""The iot_shadow driver against moto in server mode (the real iot-data HTTP API).

The bridge on the LAN side is real too (`Bridge`, driving a simulated plug), run in a thread.
"""

from __future__ import annotations

import threading
import time

import pytest

from skill.devices import AuthFailed, DeviceFault, DeviceService, Source, Unreachable
from skill.devices.bridge import Bridge, links_from_registry
from skill.devices.drivers import module
from tests.devices.conftest import REGION, THING
from tests.devices.fakes import FakeTasmota
from tests.devices.helpers import ALEXA_S, BUDGET_S, budget, registry


def heater_entry(endpoint: str, **extra) -> dict:
    return {
        "id": "heater",
        "name": "heater",
        "driver": "iot_shadow",
        "thing_name": THING,
        "region": REGION,
        "endpoint": endpoint,
        "wait_s": 3,
        "bridge": {"driver": "simulated"},
        **extra,
    }


def shadow_plug(context, endpoint: str, **extra):
    reg = registry(heater_entry(endpoint, **extra))
    return module("iot_shadow").create(reg.get("heater"), context), reg


class RunningBridge:
    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.stop = threading.Event()
        self.thread = threading.Thread(target=bridge.run, args=(self.stop, 0.1), daemon=True)

    def __enter__(self) -> Bridge:
        self.thread.start()
        return self.bridge

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def lan_state(reg, context):
    """What the plug on the LAN says, read directly (as the bridge would)."""
    link = links_from_registry(reg, context, lambda *a, **k: None)[0]
    return link.plug.read(budget())


def test_on_is_confirmed_once_the_bridge_has_switched_the_plug(moto_url, aws_context):
    plug, reg = shadow_plug(aws_context, moto_url)
    bridge = Bridge(links_from_registry(reg, aws_context, aws_context.aws_client))
    with RunningBridge(bridge):
        state = plug.set_power(True, budget())
    assert state.is_confirmed(True) and state.source is Source.BRIDGE
    assert lan_state(reg, aws_context).on is True
    assert plug.read(budget()).is_confirmed(True)  # "is the heater on?" reads the report


def test_without_a_bridge_the_answer_is_unconfirmed_not_a_failure(moto_url, aws_context):
    plug, _ = shadow_plug(aws_context, moto_url, wait_s=0.6)
    state = plug.set_power(True, budget())
    assert state.on is True and state.source is Source.ASSUMED and not state.confirmed


def test_silent_bridge_means_unreachable_when_asked_for_state(moto_url, aws_context):
    plug, reg = shadow_plug(aws_context, moto_url, stale_after_s=60)
    Bridge(links_from_registry(reg, aws_context, aws_context.aws_client)).step()  # heartbeat
    assert plug.read(budget()).is_confirmed(False)
    plug.wall = lambda: time.time() + 61  # a minute later, no heartbeat since
    with pytest.raises(Unreachable, match="bridge"):
        plug.read(budget())


def test_lan_plug_refusing_reaches_the_skill_as_a_device_fault(moto_url, aws_context, device_http):
    fake = FakeTasmota(refuse=True)
    host, port = fake.install(device_http).split(":")
    lan = {"driver": "tasmota", "host": host, "port": int(port)}
    plug, reg = shadow_plug(aws_context, moto_url, bridge=lan)
    bridge = Bridge(links_from_registry(reg, aws_context, aws_context.aws_client))
    with RunningBridge(bridge), pytest.raises(DeviceFault):
        plug.set_power(True, budget())


def test_auth_failure_from_aws_is_typed(aws_context, device_http, moto_url):
    device_http.expect_request("/things/" + THING + "/shadow").respond_with_json(
        {"message": "The security token included in the request is invalid."},
        status=403,
        headers={"x-amzn-ErrorType": "UnrecognizedClientException"},
    )
    plug, _ = shadow_plug(aws_context, f"http://127.0.0.1:{device_http.port}")
    with pytest.raises(AuthFailed):
        plug.set_power(True, budget())


def test_connection_refused_is_unreachable_inside_the_budget(moto_url, aws_context, refused):
    plug, _ = shadow_plug(aws_context, f"http://127.0.0.1:{refused}")
    started = time.monotonic()
    with pytest.raises(Unreachable):
        plug.set_power(True, budget())
    assert time.monotonic() - started < BUDGET_S


def test_silent_endpoint_is_answered_inside_the_budget(moto_url, aws_context, silent):
    # boto3 can't take a per-call deadline; its own timeouts (aws.CLIENT_CONFIG) plus the
    # service's hard stop keep the whole request inside budget (+ a 0.2 s grace).
    # The shadow write reached a listening socket: if boto3 gives up first it is
    # "unreachable"; if the deadline comes first the write may have landed, so it is "asked,
    # not confirmed". Either way: inside the budget, and never said as switched.
    reg = registry(heater_entry(f"http://127.0.0.1:{silent.port}"))
    service = DeviceService(reg, aws_context, budget_s=BUDGET_S)
    started = time.monotonic()
    try:
        state = service.switch("heater", True)
    except Unreachable:
        pass
    else:
        assert not state.confirmed
    assert time.monotonic() - started < ALEXA_S
    assert not service.states()["heater"].state.confirmed
    service.close()
