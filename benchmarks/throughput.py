"""Requests per second under a production WSGI server (waitress) with concurrent clients.

A fixed number of requests from a few client threads on 127.0.0.1; counts anything that
is not HTTP 200 with a readable answer as an error.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import requests
from _common import scratch_dir
from waitress.server import create_server

from skill.services import build_services
from skill.settings import Settings
from skill.web import create_app
from tests import alexa

CLIENTS = 8
REQUESTS_PER_CLIENT = 250


def _mix() -> list[bytes]:
    bodies = [
        alexa.launch(),
        alexa.intent("WhatsOnNowIntent"),
        alexa.intent("TurnOnIntent", {"device": "lamp"}),
        alexa.intent("TurnOffIntent", {"device": "lamp"}),
        alexa.intent("DeviceStateIntent", {"device": "fan"}),
        alexa.intent("AMAZON.HelpIntent"),
    ]
    return [json.dumps(b).encode() for b in bodies]


def run(clients: int = CLIENTS, per_client: int = REQUESTS_PER_CLIENT) -> dict:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    settings = Settings(data_dir=scratch_dir("throughput"), verify=False)
    app = create_app(settings, build_services(settings))
    server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="bench")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}/alexa"
    bodies = _mix()
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        with requests.Session() as session:
            for i in range(per_client):
                body = bodies[(index + i) % len(bodies)]
                try:
                    response = session.post(
                        url, data=body, timeout=10, headers={"Content-Type": "application/json"}
                    )
                    ok = response.status_code == 200 and "response" in response.json()
                except (requests.RequestException, ValueError) as exc:
                    ok, response = False, exc
                if not ok:
                    with lock:
                        errors.append(str(getattr(response, "status_code", response)))

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    # The daemon thread ends with the process; closing under a live loop makes waitress complain.
    total = clients * per_client
    return {
        "requests": total,
        "clients": clients,
        "seconds": elapsed,
        "requests_per_s": total / elapsed,
        "errors": len(errors),
    }


if __name__ == "__main__":
    result = run()
    print(
        f"{result['requests']} requests from {result['clients']} clients in "
        f"{result['seconds']:.1f} s: {result['requests_per_s']:.0f} req/s, "
        f"{result['errors']} errors"
    )
