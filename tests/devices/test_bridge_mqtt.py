"""`voice-demo bridge` over MQTT: a real mosquitto on 127.0.0.1 and a fake AWS shadow service.

The skill side is the real iot_shadow driver writing `desired` through boto3's iot-data
client (HTTP to the fake's REST face); the bridge is real, subscribed to the shadow topics
on the broker. The fake (tests/mqtt/shadow_service.py) is the one shadow both faces share.
The bridge's fallback poll is set to a minute in most tests, so a command that arrives in
time can only have come by MQTT.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace

import pytest

from skill.devices import DeviceFault, Source
from skill.devices.bridge import Bridge, links_from_registry
from skill.devices.drivers import module
from skill.devices.mqtt import MqttConfig, ShadowConnection
from skill.storage import dynamodb as aws
from tests.devices.conftest import REGION
from tests.devices.helpers import budget, registry

LAMP, HEATER = "voice-demo-lamp", "voice-demo-heater"
SLOW_POLL_S = 60.0  # the fallback poll: far longer than any wait below


def entry(shadows, device_id: str, thing: str, lan: dict | None = None, **extra) -> dict:
    return {
        "id": device_id,
        "name": device_id,
        "driver": "iot_shadow",
        "thing_name": thing,
        "region": REGION,
        "endpoint": shadows.url,
        "wait_s": 3,
        "bridge": lan or {"driver": "simulated"},
        **extra,
    }


class Setup:
    def __init__(self, shadows, broker, context, *entries: dict, poll_s: float = SLOW_POLL_S):
        self.context = replace(context, aws_client=aws.client)
        self.registry = registry(*entries)
        self.connection = ShadowConnection(
            MqttConfig(
                host="127.0.0.1",
                port=broker.port,
                tls=False,
                client_id=f"bridge-{uuid.uuid4().hex[:8]}",
                reconnect_min_s=0.1,
                reconnect_max_s=0.5,
                request_timeout_s=1.0,
            )
        )
        links = links_from_registry(self.registry, self.context, aws.client)
        self.links = {link.device.id: link for link in links}
        self.bridge = Bridge(links, connection=self.connection, safety_poll_s=600)
        self.stop = threading.Event()
        self.poll_s = poll_s
        self.thread = threading.Thread(target=self.bridge.run, args=(self.stop, poll_s))

    def skill(self, device_id: str, **changes):
        plug = module("iot_shadow").create(self.registry.get(device_id), self.context)
        for name, value in changes.items():
            setattr(plug, name, value)
        return plug

    def lan(self, device_id: str):
        return self.links[device_id].plug.read(budget())

    def __enter__(self) -> Setup:
        self.thread.start()
        return self

    def connected(self, timeout: float = 10) -> Setup:
        assert self.connection.ready.wait(timeout), "the bridge never subscribed"
        time.sleep(0.2)  # let each worker finish its on-connect read
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.bridge.close()


def wait_until(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_a_command_is_applied_when_its_delta_arrives(shadows, broker, context):
    with Setup(shadows, broker, context, entry(shadows, "lamp", LAMP)) as s:
        s.connected()
        started = time.monotonic()
        state = s.skill("lamp").set_power(True, budget())
        took = time.monotonic() - started
    assert state.is_confirmed(True) and state.source is Source.BRIDGE
    assert s.lan("lamp").on is True
    assert took < 1.5  # the fallback poll is a minute: only the delta can have woken it
    doc = shadows.document(LAMP)
    assert "power" not in doc["state"].get("desired", {})  # cleared after it was handled
    reported = doc["state"]["reported"]
    assert reported["power"] == "on" and reported["outcome"] == "applied"
    assert {"source", "seen_at", "cmd_id"} <= set(reported)  # what the skill reads


def test_a_delta_too_old_to_trust_is_dropped(shadows, broker, context):
    with Setup(shadows, broker, context, entry(shadows, "heater", HEATER)) as s:
        s.connected()
        # The skill's clock says it wrote this 40 s ago: older than the 30 s rule allows.
        late = s.skill("heater", wall=lambda: time.time() - 40)
        with pytest.raises(DeviceFault, match="discarded"):
            late.set_power(True, budget())
    assert s.lan("heater").on is False
    doc = shadows.document(HEATER)
    assert "power" not in doc["state"].get("desired", {})
    assert doc["state"]["reported"]["outcome"] == "discarded"


def _miss_a_command_while_disconnected(s, broker) -> None:
    broker.stop()
    assert wait_until(lambda: not s.connection.ready.is_set())
    time.sleep(0.3)  # the worker's one read on disconnect is done: only a reconnect can help
    asked = s.skill("heater", wait_s=0.3).set_power(True, budget())
    assert not asked.confirmed  # nobody heard it
    assert s.lan("heater").on is False
    s.bridge.heartbeat_s = 600  # nothing but the reconnect may read the shadow from here on


def test_a_command_missed_while_disconnected_is_applied_on_reconnect(shadows, broker, context):
    with Setup(shadows, broker, context, entry(shadows, "heater", HEATER)) as s:
        s.connected()
        _miss_a_command_while_disconnected(s, broker)
        broker.start()
        assert wait_until(lambda: s.lan("heater").on is True, timeout=8)
        assert s.connection.connects == 2
    assert shadows.document(HEATER)["state"]["reported"]["outcome"] == "applied"


def test_a_missed_command_gone_stale_by_awss_clock_is_dropped_on_reconnect(
    shadows, broker, context
):
    with Setup(shadows, broker, context, entry(shadows, "heater", HEATER)) as s:
        s.connected()
        _miss_a_command_while_disconnected(s, broker)
        shadows.offset_s = 31  # AWS's clock: the command's metadata timestamp is 31 s old
        s.bridge.wall = lambda: time.time() + 31  # and the bridge's agrees
        broker.start()
        assert wait_until(lambda: s.connection.connects == 2, timeout=8)
        assert wait_until(lambda: "discarded" in s.bridge.outcomes["heater"])
    assert s.lan("heater").on is False
    doc = shadows.document(HEATER)
    assert doc["state"]["reported"]["outcome"] == "discarded"
    assert "power" not in doc["state"].get("desired", {})


def test_with_the_broker_down_the_bridge_polls_over_https(shadows, broker, context):
    broker.stop()  # MQTT can't be reached from the start
    with Setup(shadows, broker, context, entry(shadows, "lamp", LAMP), poll_s=0.1) as s:
        state = s.skill("lamp").set_power(True, budget())
        assert not s.connection.ready.is_set()
    assert state.is_confirmed(True)
    assert s.lan("lamp").on is True


def test_a_silent_plug_does_not_hold_up_a_healthy_one(shadows, broker, context, silent):
    heater = entry(shadows, "heater", HEATER, {"driver": "shelly", "host": "127.0.0.1"})
    heater["bridge"]["port"] = silent.port  # accepts the connection, never answers (5 s)
    with Setup(shadows, broker, context, heater, entry(shadows, "lamp", LAMP)) as s:
        s.connected()
        stuck = threading.Thread(
            target=lambda: s.skill("heater", wait_s=0.5).set_power(True, budget())
        )
        stuck.start()
        assert wait_until(lambda: shadows.document(HEATER) is not None)
        time.sleep(0.1)  # the heater's worker is now waiting on the silent plug
        started = time.monotonic()
        state = s.skill("lamp").set_power(True, budget())
        took = time.monotonic() - started
        stuck.join(timeout=10)
    assert state.is_confirmed(True)
    assert took < 1.5  # not the silent plug's 5 s


def test_an_idle_bridge_asks_aws_nothing_between_heartbeats(shadows, broker, context):
    with Setup(shadows, broker, context, entry(shadows, "lamp", LAMP), poll_s=0.1) as s:
        s.connected()
        settled = dict(shadows.operations)
        for _ in range(20):  # until the start-up reads and the first report are done
            time.sleep(0.25)
            if shadows.operations == settled:
                break
            settled = dict(shadows.operations)
        time.sleep(1.5)  # fifteen polls' worth at the fallback rate
        assert shadows.operations == settled
    # What it did ask: the on-connect read and one heartbeat report.
    assert settled.get(LAMP, 0) <= 3


def test_the_bridge_also_works_over_mqtt_websocket(aws_env, context):
    """The default transport against AWS (IAM, SigV4-presigned path), minus the TLS."""
    from tests.mqtt.broker import Mosquitto, binary, free_port
    from tests.mqtt.shadow_service import ShadowService

    if binary() is None:
        pytest.skip("mosquitto is not installed")
    broker = Mosquitto(websockets_port=free_port()).start()
    shadows = ShadowService(broker.port)
    signed: list[str] = []

    def path() -> str:  # what sigv4_websocket_path gives, fresh for each connection
        signed.append(f"/mqtt?X-Amz-Signature={len(signed)}")
        return signed[-1]

    try:
        s = Setup(shadows, broker, context, entry(shadows, "lamp", LAMP))
        s.connection.config = replace(
            s.connection.config, port=broker.websockets_port, websocket_path=path
        )
        with s:
            s.connected()
            state = s.skill("lamp").set_power(True, budget())
        assert state.is_confirmed(True) and s.lan("lamp").on is True
        assert signed  # the connection asked for a signed path
    finally:
        shadows.close()
        broker.close()
