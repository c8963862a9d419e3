"""How one request walks through the code: the skill modules entered, and how often.

Runs "what's on on Wednesday afternoon" through POST /alexa (verification off) after a
warm-up, tracing only the second request: a hop is a call from one skill module into
another. Used to show how the layering reads (docs/architecture.md); not a test.

    .venv/bin/python scripts/request_walk.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def envelope() -> dict[str, object]:
    slots = {
        "date": {"name": "date", "value": "2026-05-20", "confirmationStatus": "NONE"},
        "time": {"name": "time", "value": "AF", "confirmationStatus": "NONE"},
    }
    return {
        "version": "1.0",
        "session": {
            "new": False,
            "sessionId": "s",
            "application": {"applicationId": "a"},
            "user": {"userId": "u"},
            "attributes": {},
        },
        "context": {
            "System": {
                "application": {"applicationId": "a"},
                "user": {"userId": "u"},
                "device": {"deviceId": "d", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.eu.amazonalexa.com",
            }
        },
        "request": {
            "type": "IntentRequest",
            "requestId": "r",
            "locale": "en-GB",
            "timestamp": "2026-05-18T09:00:00Z",
            "intent": {"name": "WhatsOnIntent", "confirmationStatus": "NONE", "slots": slots},
        },
    }


def main() -> int:
    from datetime import UTC, datetime

    from skill.services import build_services
    from skill.settings import Settings
    from skill.web import create_app

    data = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=data, verify=False)
    services = build_services(settings, clock=lambda: datetime(2026, 5, 18, 9, tzinfo=UTC))
    client = create_app(settings, services).test_client()
    body = json.dumps(envelope())
    client.post("/alexa", data=body, content_type="application/json")  # warm-up

    skill_dir = str(ROOT / "skill")
    entered: Counter[str] = Counter()
    hops = 0

    current = ""  # the skill module running now

    def enter(filename: str) -> None:
        # A hop: control passes into another skill module (by a call or a return).
        nonlocal current, hops
        if filename.startswith(skill_dir) and filename != current:
            if current:
                hops += 1
            entered[str(Path(filename).relative_to(ROOT))] += 1
            current = filename

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call":
            enter(frame.f_code.co_filename)
            return local
        return None

    def local(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "return" and frame.f_back is not None:
            enter(frame.f_back.f_code.co_filename)
        return local

    sys.setprofile(None)
    sys.settrace(tracer)
    reply = client.post("/alexa", data=body, content_type="application/json")
    sys.settrace(None)
    speech = reply.get_json()["response"]["outputSpeech"]["ssml"]
    print(speech[:120] + "…")
    print(f"{len(entered)} files, {hops} hops")
    for name, n in entered.most_common():
        print(f"  {n:3d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
