"""Warm request latency through POST /alexa, side by side with a hello-world skill.

Both apps run in this process through Flask's test client, so the figure is the cost of
our skill (parsing, dispatch, domain work, SSML), not of the network.
"""

from __future__ import annotations

import json

from _common import scratch_dir, summary, time_calls

from skill.services import build_services
from skill.settings import Settings
from skill.web import create_app
from tests import alexa

REQUESTS = 400


def _bodies() -> dict[str, bytes]:
    return {
        "launch": alexa.launch(),
        "device command": alexa.intent("TurnOnIntent", {"device": "lamp"}),
        "programme question": alexa.intent("WhatsNextIntent"),
    }


def run(n: int = REQUESTS) -> dict:
    from hello_world import create_app as hello_app

    settings = Settings(data_dir=scratch_dir("latency"), verify=False)
    ours = create_app(settings, build_services(settings)).test_client()
    hello = hello_app().test_client()

    def caller(client, body):
        payload = json.dumps(body)

        def call():
            response = client.post("/alexa", data=payload, content_type="application/json")
            assert response.status_code == 200, response.status_code

        return call

    baseline = summary(time_calls(caller(hello, alexa.launch()), n))
    results = {"hello world": baseline}
    for name, body in _bodies().items():
        results[name] = summary(time_calls(caller(ours, body), n))
        results[name]["p50_ratio"] = results[name]["p50_ms"] / baseline["p50_ms"]
        results[name]["p99_ratio"] = results[name]["p99_ms"] / baseline["p99_ms"]
    return results


if __name__ == "__main__":
    for name, row in run().items():
        ratio = ""
        if "p50_ratio" in row:
            ratio = f"  ×{row['p50_ratio']:.2f} p50, ×{row['p99_ratio']:.2f} p99"
        print(f"{name:20s} p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms{ratio}")
