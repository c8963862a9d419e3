"""The shadow bridge over MQTT against today's polling: latency, idle cost, head-of-line blocking.

Everything runs on 127.0.0.1: Debian's mosquitto (scripts/ensure-mosquitto.sh) and the fake
AWS shadow service of the tests (tests/mqtt/shadow_service.py: MQTT topics plus the REST
API boto3's iot-data client speaks). Loopback round trips are ~0.1 ms where AWS's are tens
of ms, so absolute times here are a floor; the ratios and the request counts are the point.

    .venv/bin/python benchmarks/bridge.py [--quick] [--json]

1. pickup: skill writes the command (UpdateThingShadow) -> the LAN plug is called;
2. "turn on the lamp" through lambda_handler: iot_shadow + bridge + a fake Shelly, against
   the direct Shelly driver on the same fake;
3. shadow requests and MQTT messages per device per idle hour (time compressed), and what
   they cost a month at AWS IoT Core's eu-west-1 prices;
4. a silent plug (5 s budget) commanded together with a healthy one: the healthy one's delay.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from _common import ROOT  # noqa: F401 - puts the repository on sys.path

from skill.devices.bridge import Bridge, Link, links_from_registry
from skill.devices.deadline import Deadline
from skill.devices.model import PowerState, Source, utc
from skill.devices.mqtt import MqttConfig, ShadowConnection
from skill.devices.registry import Device
from skill.devices.shadow import CLEAR_COMMAND, Shadow

REGION = "eu-west-1"
# AWS IoT Core pricing, Europe (Ireland), per the worked example on
# https://aws.amazon.com/iot-core/pricing/ (as transcribed on 2026-09-20): shadow and
# registry operations $1.25 per million (metered per 1 KB), messages $1.00 per million
# (first billion, per 5 KB), connectivity $0.08 per million minutes.
SHADOW_USD_PER_M = 1.25
MESSAGE_USD_PER_M = 1.00
CONNECT_USD_PER_M_MIN = 0.08
MONTH_H = 730


class FakePlug:
    """A LAN plug that answers at once and notes when it was called."""

    native_auto_off = True
    local = False

    def __init__(self, device: Device, delay_s: float = 0.0) -> None:
        self.device = device
        self.on = False
        self.delay_s = delay_s
        self.calls: list[float] = []

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        self.calls.append(time.perf_counter())
        if self.delay_s:
            time.sleep(min(self.delay_s, deadline.remaining()))
        self.on = on
        return PowerState(on, Source.DEVICE, utc(time.time()))

    def read(self, deadline: Deadline) -> PowerState:
        return PowerState(self.on, Source.DEVICE, utc(time.time()))

    def close(self) -> None:
        pass


def _env() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ.setdefault(name, value)


class Cloud:
    """mosquitto + the fake shadow service, for one benchmark run."""

    def __init__(self) -> None:
        from tests.mqtt.broker import Mosquitto
        from tests.mqtt.shadow_service import ShadowService

        _env()
        self.broker = Mosquitto().start()
        self.shadows = ShadowService(self.broker.port)

    def client(self) -> Any:
        from skill.storage import dynamodb as aws

        return aws.client("iot-data", region=REGION, endpoint_url=self.shadows.url)

    def connection(self) -> ShadowConnection:
        return ShadowConnection(
            MqttConfig(
                host="127.0.0.1",
                port=self.broker.port,
                tls=False,
                client_id=f"bench-{uuid.uuid4().hex[:6]}",
                reconnect_min_s=0.1,
                reconnect_max_s=0.5,
            )
        )

    def close(self) -> None:
        self.shadows.close()
        self.broker.close()


def device(thing: str) -> Device:
    options = {"thing_name": thing, "shadow_name": None, "region": REGION}
    return Device(id=thing, name=thing, driver="iot_shadow", options=MappingProxyType(options))


class Running:
    def __init__(self, bridge: Bridge, poll_s: float) -> None:
        self.bridge, self.stop = bridge, threading.Event()
        self.thread = threading.Thread(target=bridge.run, args=(self.stop, poll_s), daemon=True)

    def __enter__(self) -> Bridge:
        self.thread.start()
        if self.bridge.connection is not None:
            self.bridge.connection.ready.wait(10)
        time.sleep(0.3)  # first reads and heartbeats out of the way
        return self.bridge

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def _command(shadow: Shadow, on: bool) -> str:
    cmd_id = uuid.uuid4().hex[:16]
    desired = {**CLEAR_COMMAND, "power": "on" if on else "off", "cmd_id": cmd_id}
    shadow.update({"desired": desired | {"cmd_at": round(time.time(), 3)}})
    return cmd_id


def _handled(cloud: Cloud, thing: str, cmd_id: str, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = cloud.shadows.document(thing) or {}
        if doc.get("state", {}).get("reported", {}).get("cmd_id") == cmd_id:
            return True
        time.sleep(0.005)
    return False


def pickup(cloud: Cloud, mqtt: bool, samples: int) -> list[float]:
    """Seconds from the skill starting its UpdateThingShadow to the plug being called."""
    thing = f"pickup-{'mqtt' if mqtt else 'poll'}"
    dev = device(thing)
    plug = FakePlug(dev)
    skill_side = Shadow(cloud.client(), thing, None, dev)
    bridge = Bridge(
        [Link(dev, Shadow(cloud.client(), thing, None, dev), plug)],  # type: ignore[arg-type]
        connection=cloud.connection() if mqtt else None,
    )
    out = []
    phase = random.Random(14)
    with Running(bridge, poll_s=0.5):
        for i in range(samples):
            time.sleep(phase.uniform(0.0, 0.5))  # anywhere in the 0.5 s poll's cycle
            before = len(plug.calls)
            started = time.perf_counter()
            cmd_id = _command(skill_side, i % 2 == 0)
            if not _handled(cloud, thing, cmd_id):
                continue
            if len(plug.calls) > before:
                out.append(plug.calls[before] - started)
    return out


def idle_hour(cloud: Cloud, mqtt: bool, compress: float, seconds: float) -> dict[str, float]:
    """Shadow operations and MQTT messages one idle device causes, scaled to an hour."""
    thing = f"idle-{'mqtt' if mqtt else 'poll'}"
    dev = device(thing)
    kw: dict[str, Any] = {}
    if mqtt:  # the defaults (60 s heartbeat, 120 s safety poll), time compressed
        kw = {"heartbeat_s": 60 / compress, "safety_poll_s": 120 / compress}
        poll_s = 0.5
        scale = 3600 / (seconds * compress)
    else:  # today: a read every 0.5 s and a report every 30 s, in real time
        kw = {"heartbeat_s": 30.0}
        poll_s = 0.5
        scale = 3600 / seconds
    plug = FakePlug(dev)
    bridge = Bridge(
        [Link(dev, Shadow(cloud.client(), thing, None, dev), plug)],  # type: ignore[arg-type]
        connection=cloud.connection() if mqtt else None,
        **kw,
    )
    with Running(bridge, poll_s):
        ops0 = cloud.shadows.operations.get(thing, 0)
        msgs0 = cloud.shadows.messages.get(thing, 0)
        time.sleep(seconds)
        ops = cloud.shadows.operations.get(thing, 0) - ops0
        msgs = cloud.shadows.messages.get(thing, 0) - msgs0
    per_hour_ops, per_hour_msgs = ops * scale, msgs * scale
    usd = MONTH_H * (per_hour_ops * SHADOW_USD_PER_M + per_hour_msgs * MESSAGE_USD_PER_M) / 1e6
    return {"ops_per_hour": per_hour_ops, "messages_per_hour": per_hour_msgs, "usd_month": usd}


def whole_request(cloud: Cloud, via_shadow: bool, samples: int) -> list[float]:
    """ "Turn on the lamp" through lambda_handler; the lamp a fake Shelly on 127.0.0.1."""
    from pytest_httpserver import HTTPServer

    import skill.lambda_function as lambda_module
    from skill.devices.plug import DriverContext
    from skill.devices.registry import parse_registry
    from skill.storage import dynamodb as aws
    from tests import alexa
    from tests.devices.fakes import FakeShelly

    data = Path(tempfile.mkdtemp(prefix="voice-demo-bench-bridge-"))
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    shelly = FakeShelly()
    port = int(shelly.install(server).rsplit(":", 1)[1])
    lan = {"driver": "shelly", "host": "127.0.0.1", "port": port}
    thing = "lambda-lamp"
    lamp: dict[str, Any]
    if via_shadow:
        lamp = {
            "id": "lamp",
            "name": "lamp",
            "driver": "iot_shadow",
            "thing_name": thing,
            "region": REGION,
            "endpoint": cloud.shadows.url,
            "bridge": lan,
        }
    else:
        lamp = {"id": "lamp", "name": "lamp", **lan}
    path = data / "devices.yaml"
    path.write_text(yaml.safe_dump({"devices": [lamp]}))
    os.environ.update(
        VOICE_DEMO_DATA=str(data), VOICE_DEMO_STORE="sqlite", VOICE_DEMO_DEVICES=str(path)
    )
    os.environ.pop("VOICE_DEMO_SKILL_ID", None)
    lambda_module._runtime = None
    running = None
    if via_shadow:
        context = DriverContext(data_dir=data, aws_client=aws.client)
        links = links_from_registry(
            parse_registry(path.read_text(), str(path)), context, aws.client
        )
        running = Running(Bridge(links, connection=cloud.connection()), poll_s=0.5)
        running.__enter__()
    out: list[float] = []
    said = ""
    try:
        for i in range(samples + 2):  # two warm-ups (cold start, first boto3 client)
            name = "TurnOnIntent" if i % 2 == 0 else "TurnOffIntent"
            body = alexa.intent(name, {"device": alexa.slot("device", "lamp", resolved_id="lamp")})
            started = time.perf_counter()
            response = lambda_module.lambda_handler(body, None)
            took = time.perf_counter() - started
            said = alexa.speech_text(response)
            if i >= 2:
                out.append(took)
            time.sleep(0.02)
    finally:
        if running is not None:
            running.__exit__()
        lambda_module._runtime = None
        server.stop()
    if "couldn't" in said or "not sure" in said.lower():
        raise RuntimeError(f"the lamp did not switch: {said!r}")
    return out


def head_of_line(cloud: Cloud, samples: int) -> dict[str, list[float]]:
    """The healthy lamp's command (write -> reported) alone, and beside a silent plug."""
    from skill.devices.plug import DriverContext
    from skill.devices.registry import parse_registry
    from skill.storage import dynamodb as aws
    from tests.devices.fakes import SilentSocket

    silent = SilentSocket()
    data = Path(tempfile.mkdtemp(prefix="voice-demo-bench-hol-"))
    entries = [
        {
            "id": thing,
            "name": thing,
            "driver": "iot_shadow",
            "thing_name": thing,
            "region": REGION,
            "endpoint": cloud.shadows.url,
            "bridge": lan,
        }
        for thing, lan in (
            ("hol-lamp", {"driver": "simulated"}),
            ("hol-heater", {"driver": "shelly", "host": "127.0.0.1", "port": silent.port}),
        )
    ]
    registry = parse_registry(yaml.safe_dump({"devices": entries}), "bench.yaml")
    context = DriverContext(data_dir=data, aws_client=aws.client)
    links = links_from_registry(registry, context, aws.client)
    lamp_side = Shadow(cloud.client(), "hol-lamp", None, registry.get("hol-lamp"))
    heater_side = Shadow(cloud.client(), "hol-heater", None, registry.get("hol-heater"))
    out: dict[str, list[float]] = {"alone": [], "beside a silent plug": []}
    with Running(Bridge(links, connection=cloud.connection()), poll_s=0.5):
        for i in range(samples * 2):
            case = "alone" if i % 2 == 0 else "beside a silent plug"
            if case != "alone":
                _command(heater_side, i % 4 == 1)  # the heater's worker now waits up to 5 s
                time.sleep(0.01)
            started = time.perf_counter()
            cmd_id = _command(lamp_side, i % 4 < 2)
            if _handled(cloud, "hol-lamp", cmd_id):
                out[case].append(time.perf_counter() - started)
            time.sleep(0.05)
    silent.close()
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(quick: bool = False) -> dict[str, Any]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake Shelly's access log
    cloud = Cloud()
    try:
        n = 12 if quick else 40
        mqtt_pickup = pickup(cloud, True, n)
        poll_pickup = pickup(cloud, False, n)
        shadow_turn = whole_request(cloud, True, n)
        direct_turn = whole_request(cloud, False, n)
        idle_mqtt = idle_hour(
            cloud, True, compress=720 if quick else 360, seconds=5 if quick else 10
        )
        idle_poll = idle_hour(cloud, False, compress=1, seconds=5 if quick else 10)
        hol = head_of_line(cloud, 6 if quick else 15)
    finally:
        cloud.close()
    direct50, direct90 = _pct(direct_turn, 0.5), _pct(direct_turn, 0.9)
    return {
        "pickup_ms": {
            "mqtt": {"p50": _pct(mqtt_pickup, 0.5) * 1e3, "p90": _pct(mqtt_pickup, 0.9) * 1e3},
            "polling": {"p50": _pct(poll_pickup, 0.5) * 1e3, "p90": _pct(poll_pickup, 0.9) * 1e3},
            "samples": [len(mqtt_pickup), len(poll_pickup)],
        },
        "turn_on_ms": {
            "shadow": {"p50": _pct(shadow_turn, 0.5) * 1e3, "p90": _pct(shadow_turn, 0.9) * 1e3},
            "direct": {"p50": direct50 * 1e3, "p90": direct90 * 1e3},
            "goal_p50_ms": (1.5 * direct50 + 0.2) * 1e3,
            "goal_p90_ms": (1.5 * direct90 + 0.2) * 1e3,
        },
        "idle_hour": {"mqtt": idle_mqtt, "polling": idle_poll},
        "connection_usd_month": MONTH_H * 60 * CONNECT_USD_PER_M_MIN / 1e6,
        "head_of_line_ms": {
            case: {"p50": _pct(v, 0.5) * 1e3, "p90": _pct(v, 0.9) * 1e3, "n": len(v)}
            for case, v in hol.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.quick)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    p, t, i, h = (result[k] for k in ("pickup_ms", "turn_on_ms", "idle_hour", "head_of_line_ms"))
    print(
        f"pickup p50/p90: MQTT {p['mqtt']['p50']:.1f}/{p['mqtt']['p90']:.1f} ms, "
        f"polling {p['polling']['p50']:.0f}/{p['polling']['p90']:.0f} ms"
    )
    print(
        f"turn on the lamp p50/p90: shadow {t['shadow']['p50']:.1f}/{t['shadow']['p90']:.1f} ms,"
        f" direct {t['direct']['p50']:.1f}/{t['direct']['p90']:.1f} ms"
    )
    for mode, row in i.items():
        print(
            f"idle hour, {mode}: {row['ops_per_hour']:.0f} shadow requests, "
            f"{row['messages_per_hour']:.0f} MQTT messages, ${row['usd_month']:.3f}/month"
        )
    for case, row in h.items():
        print(f"healthy plug {case}: p50 {row['p50']:.1f} ms, p90 {row['p90']:.1f} ms")


if __name__ == "__main__":
    main()
