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
    ours_client = create_app(settings, build_services(settings)).test_client()
    hello = hello_app().test_client()

    def caller(client, body):
        payload = json.dumps(body)

        def call():
            response = client.post("/alexa", data=payload, content_type="application/json")
            assert response.status_code == 200, response.status_code

        return call

    # The baseline gets the same envelope: deserializing it is most of the SDK's work, so
    # a launch must not be compared with a larger intent request, or the other way round.
    results = {}
    for name, body in _bodies().items():
        baseline = summary(time_calls(caller(hello, body), n))
        ours = summary(time_calls(caller(ours_client, body), n))
        ours["hello_p50_ms"], ours["hello_p99_ms"] = baseline["p50_ms"], baseline["p99_ms"]
        ours["p50_ratio"] = ours["p50_ms"] / baseline["p50_ms"]
        ours["p99_ratio"] = ours["p99_ms"] / baseline["p99_ms"]
        results[name] = ours
    return results


if __name__ == "__main__":
    for name, row in run().items():
        print(
            f"{name:20s} p50 {row['p50_ms']:.2f} ms (hello {row['hello_p50_ms']:.2f})"
            f"  p99 {row['p99_ms']:.2f} ms (hello {row['hello_p99_ms']:.2f})"
            f"  ×{row['p50_ratio']:.2f} p50, ×{row['p99_ratio']:.2f} p99"
        )
