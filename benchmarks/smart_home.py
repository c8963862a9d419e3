"""TurnOn through the smart-home handler against the custom skill's TurnOn, same plug.

Both go through `skill.lambda_function.lambda_handler` (the one Lambda entry) on a warm
container, switching the shipped registry's simulated lamp: the custom skill with a
TurnOnIntent envelope, the smart-home skill with Amazon's sample TurnOn directive carrying a
Cognito-style RS256 access token (checked against a JWKS served on 127.0.0.1, cached after
the first request; a checked token is remembered, as Alexa reuses one for its hour; the third
row gives every call a token not seen before). Goal: the smart-home path within 1.2× of the
custom one (p50).

    .venv/bin/python benchmarks/smart_home.py [--requests 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from _common import ROOT, scratch_dir, summary, time_calls

SAMPLE = ROOT / "tests/data/alexa-smarthome/sample_messages/PowerController"
REQUESTS = 2000
CLIENT_ID = "bench-app-client"
SUB = "bench-user"


def _jwks_server(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(requests: int = REQUESTS) -> dict:
    from tests import alexa
    from tests.smarthome.fakes import FakeCognito, new_key

    cognito = FakeCognito(new_key())
    cognito.issuer = "http://127.0.0.1:0/pool"  # for the jwks body; replaced below
    server = _jwks_server(
        json.dumps(json.loads(cognito.jwks(None).get_data())).encode()  # type: ignore[arg-type]
    )
    cognito.issuer = f"http://127.0.0.1:{server.server_port}/pool"
    data = scratch_dir("smarthome")
    saved = dict(os.environ)
    os.environ.update(
        {
            "VOICE_DEMO_DATA": str(data),
            "VOICE_DEMO_STORE": "sqlite",
            "VOICE_DEMO_OAUTH_ISSUER": cognito.issuer,
            "VOICE_DEMO_OAUTH_CLIENT_ID": CLIENT_ID,
        }
    )
    os.environ.pop("VOICE_DEMO_SKILL_ID", None)
    import skill.lambda_function as entry
    from skill.smarthome.homes import SingleRegistryHomes

    entry._runtime = None
    entry._smart_home = None
    services = entry.runtime()[0]
    SingleRegistryHomes(services.devices, services.state).link(SUB)

    directive = json.loads(Path(SAMPLE / "PowerController.TurnOn.request.json").read_text())
    directive["directive"]["endpoint"]["endpointId"] = "lamp"
    directive["directive"]["endpoint"]["scope"]["token"] = cognito.token(SUB, client_id=CLIENT_ID)
    envelope = alexa.intent("TurnOnIntent", slots={"device": "lamp"})
    smart = entry.lambda_handler(json.loads(json.dumps(directive)))
    assert smart["event"]["header"]["name"] == "Response", smart
    custom = entry.lambda_handler(json.loads(json.dumps(envelope)))
    assert "lamp is on" in alexa.speech_text(custom), custom

    def smart_home() -> None:
        entry.lambda_handler(json.loads(json.dumps(directive)))

    # More distinct tokens than the verifier remembers: every call checks the RSA signature.
    from skill.smarthome.auth import VERIFIED_CACHE

    fresh = []
    for i in range(VERIFIED_CACHE + 44):
        one = json.loads(json.dumps(directive))
        one["directive"]["endpoint"]["scope"]["token"] = cognito.token(
            SUB, client_id=CLIENT_ID, jti=f"bench-{i}"
        )
        fresh.append(json.dumps(one))
    turn = iter(range(10**9))

    def smart_home_new_token() -> None:
        entry.lambda_handler(json.loads(fresh[next(turn) % len(fresh)]))

    def custom_skill() -> None:
        entry.lambda_handler(json.loads(json.dumps(envelope)))

    rounds = 4  # interleaved, so drift on a shared machine hits both alike
    smart_samples: list[float] = []
    custom_samples: list[float] = []
    fresh_samples: list[float] = []
    for _ in range(rounds):
        custom_samples += time_calls(custom_skill, requests // rounds)
        smart_samples += time_calls(smart_home, requests // rounds)
        fresh_samples += time_calls(smart_home_new_token, requests // rounds)
    server.shutdown()
    if entry._smart_home is not None:
        entry._smart_home.close()
    entry.runtime()[0].devices.close()
    entry._runtime = entry._smart_home = None
    os.environ.clear()
    os.environ.update(saved)  # the benchmarks after this one see the environment as it was
    result = {
        "custom TurnOn": summary(custom_samples),
        "smart-home TurnOn": summary(smart_samples),
        "smart-home TurnOn, new token": summary(fresh_samples),
    }
    custom_p50 = result["custom TurnOn"]["p50_ms"]
    result["ratio_p50"] = result["smart-home TurnOn"]["p50_ms"] / custom_p50
    result["ratio_new_token_p50"] = result["smart-home TurnOn, new token"]["p50_ms"] / custom_p50
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    result = run(args.requests)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name in ("custom TurnOn", "smart-home TurnOn", "smart-home TurnOn, new token"):
            row = result[name]
            print(f"{name:30} p50 {row['p50_ms']:.3f} ms  p99 {row['p99_ms']:.3f} ms")
        print(f"smart-home / custom p50: ×{result['ratio_p50']:.2f} (goal ≤ 1.2)")
        print(f"  with a new token every call: ×{result['ratio_new_token_p50']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
