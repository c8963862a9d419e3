"""A device command with 1 home and with 1,000 homes in the store (goal: ≤ 1.2× apart).

Each store holds homes with a lamp and a linked speaker; the command is "turn on the lamp"
from one home's speaker through POST /alexa (Flask test client, simulated plug). Measured
twice: as deployed (the speaker's home and its DeviceService cached for a few seconds), and
with the cache off, so every request looks the speaker and the registry up in the store.

    .venv/bin/python benchmarks/homes_scale.py [--requests 300]
"""

from __future__ import annotations

import argparse
import json

from _common import scratch_dir, summary, time_calls

from skill.services import build_services
from skill.settings import Settings
from skill.simulator import envelopes
from skill.web import create_app

REQUESTS = 400
LAMP = "devices:\n  - {id: lamp, name: lamp, aliases: [light], driver: simulated}\n"


def _client(homes: int, cached: bool):
    settings = Settings(data_dir=scratch_dir(f"homes-{homes}"), verify=False)
    services = build_services(settings)
    directory = services.homes.directory
    speaker = ""
    for n in range(homes):
        home = directory.add_home(f"Home {n:04d}", home_id=f"home-{n:04d}")
        directory.import_registry(home.id, LAMP, "bench.yaml")
        speaker = f"amzn1.ask.device.BENCH-{n:04d}"
        directory.link_speaker(home.id, speaker)
    if not cached:
        directory.cache_s = 0.0
    body = json.dumps(
        envelopes.envelope(
            envelopes.intent_request("TurnOnIntent", {"device": "lamp"}), device_id=speaker
        )  # the last home's speaker
    )
    client = create_app(settings, services).test_client()

    def call() -> None:
        response = client.post("/alexa", data=body, content_type="application/json")
        assert response.status_code == 200, response.status_code
        assert b"The lamp is on" in response.data

    return call


def run(n: int = REQUESTS, rounds: int = 5) -> dict:
    """Both stores are timed in alternating rounds, so drift on a shared machine hits both."""
    results = {}
    for cached in (True, False):
        label = "cached" if cached else "no cache"
        small, large = _client(1, cached), _client(1000, cached)
        one_samples: list[float] = []
        many_samples: list[float] = []
        for _ in range(rounds):
            one_samples += time_calls(small, max(1, n // rounds))
            many_samples += time_calls(large, max(1, n // rounds))
        one, many = summary(one_samples), summary(many_samples)
        results[label] = {
            "1 home p50_ms": one["p50_ms"],
            "1000 homes p50_ms": many["p50_ms"],
            "ratio": many["p50_ms"] / one["p50_ms"],
        }
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    for label, row in run(args.requests).items():
        print(
            f"{label:9s} 1 home {row['1 home p50_ms']:.2f} ms, 1,000 homes"
            f" {row['1000 homes p50_ms']:.2f} ms: ×{row['ratio']:.2f}"
        )
