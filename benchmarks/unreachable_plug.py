"""How long until an unreachable plug is reported, as a share of Alexa's 8 s.

Two kinds of "unreachable", both on 127.0.0.1: a refused port (nothing listening: fails at
once) and a silent socket (the kernel accepts the connection, nobody ever answers: only
timeouts end it). Each driver is timed through DeviceService (what an intent calls), then
"everything off" with one silent plug per driver, then one whole request through /alexa.

    .venv/bin/python benchmarks/unreachable_plug.py [--reps 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from _common import ROOT  # noqa: F401 - puts the repository on sys.path

from skill.devices import DeviceError, DeviceService, load_registry
from skill.devices.plug import DriverContext

ALEXA_S = 8.0
DRIVERS = ("shelly", "tasmota", "homeassistant", "iot_shadow")


def refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def silent_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def entry(driver: str, port: int, device_id: str = "lamp") -> dict:
    base = {"id": device_id, "name": device_id.replace("_", " "), "driver": driver}
    if driver in ("shelly", "tasmota"):
        return base | {"host": "127.0.0.1", "port": port}
    if driver == "homeassistant":
        url = f"http://127.0.0.1:{port}"
        return base | {"url": url, "entity_id": "switch.lamp", "token_env": "BENCH_HA_TOKEN"}
    return base | {
        "thing_name": "bench",
        "region": "eu-west-1",
        "endpoint": f"http://127.0.0.1:{port}",
    }


def service(entries: list[dict], data: Path) -> DeviceService:
    path = data / "devices.yaml"
    path.write_text(yaml.safe_dump({"devices": entries}))
    from skill.storage import dynamodb

    context = DriverContext(
        data_dir=data, environ={"BENCH_HA_TOKEN": "x"}, aws_client=dynamodb.client
    )
    return DeviceService(load_registry(path), context)


def time_switch(svc: DeviceService, device_id: str) -> float:
    """Until the answer: an error, or "asked, not confirmed" when the command reached a
    socket that then said nothing (the plug may have switched; it is never resent)."""
    started = time.perf_counter()
    try:
        state = svc.switch(device_id, True)
    except DeviceError:
        return time.perf_counter() - started
    if state.confirmed:
        raise AssertionError(f"{device_id} confirmed; it should be unreachable")
    return time.perf_counter() - started


def per_driver(reps: int, data: Path) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    for driver in DRIVERS:
        results[driver] = {"refused": [], "silent": []}
        for _ in range(reps):
            svc = service([entry(driver, refused_port())], data)
            results[driver]["refused"].append(time_switch(svc, "lamp"))
            svc.close()
            sock = silent_socket()
            svc = service([entry(driver, sock.getsockname()[1])], data)
            results[driver]["silent"].append(time_switch(svc, "lamp"))
            svc.close()
            sock.close()
    return results


def everything_off(data: Path) -> float:
    socks = [silent_socket() for _ in DRIVERS]
    entries = [
        entry(driver, sock.getsockname()[1], f"{driver}_plug")
        for driver, sock in zip(DRIVERS, socks, strict=True)
    ]
    svc = service(entries, data)
    started = time.perf_counter()
    svc.switch_all([e["id"] for e in entries], False)
    elapsed = time.perf_counter() - started
    svc.close()
    for sock in socks:
        sock.close()
    return elapsed


def whole_request(data: Path) -> tuple[float, str]:
    """One "turn on the lamp" through POST /alexa, the lamp a silent Shelly."""
    from skill.services import build_services
    from skill.settings import Settings
    from skill.web import create_app
    from tests import alexa

    sock = silent_socket()
    path = data / "alexa-devices.yaml"
    path.write_text(yaml.safe_dump({"devices": [entry("shelly", sock.getsockname()[1])]}))
    settings = Settings(data_dir=data, devices_file=path, verify=False)
    client = create_app(settings, build_services(settings)).test_client()
    body = alexa.intent(
        "TurnOnIntent",
        {"device": alexa.slot("device", "lamp", resolved_id="lamp")},
        new=True,
    )
    started = time.perf_counter()
    response = client.post("/alexa", json=body)
    elapsed = time.perf_counter() - started
    sock.close()
    return elapsed, alexa.speech_text(response.get_json())


def run(reps: int = 3) -> dict:
    """Median and worst time to report each kind of unreachable plug, as a share of 8 s."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        os.environ.setdefault(name, value)
    data = Path(tempfile.mkdtemp(prefix="voice-demo-bench-unreachable-"))

    drivers = per_driver(reps, data)
    all_off = everything_off(data)
    request_s, said = whole_request(data)

    rows = []
    for driver, kinds in drivers.items():
        for kind, samples in kinds.items():
            rows.append((f"{driver} ({kind})", statistics.median(samples), max(samples)))
    rows.append((f"everything off, {len(DRIVERS)} silent plugs", all_off, all_off))
    rows.append(("POST /alexa, silent Shelly", request_s, request_s))
    return {
        "alexa_s": ALEXA_S,
        "reps": reps,
        "rows": [
            {"case": c, "median_s": m, "max_s": x, "max_of_8s": x / ALEXA_S} for c, m, x in rows
        ],
        "spoken": said,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    result = run(args.reps)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"Time to report an unreachable plug ({args.reps} runs each; Alexa allows {ALEXA_S:.0f} s)"
    )
    print(f"{'case':40} {'median':>8} {'max':>8} {'max/8 s':>8}")
    for row in result["rows"]:
        print(
            f"{row['case']:40} {row['median_s']:7.2f}s {row['max_s']:7.2f}s {row['max_of_8s']:8.0%}"
        )
    print(f'The skill said: "{result["spoken"]}"')


if __name__ == "__main__":
    main()
