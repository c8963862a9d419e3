"""A bounded load test on 127.0.0.1: concurrent switching through a real WSGI server.

Fixed request counts (no open-ended loops), a few seconds in all. Checks that nothing
errors and no switch is lost: every reply says what was asked, and what the plugs hold at
the end is what each client last asked for.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import requests
import yaml
from waitress.server import create_server

from skill.services import build_services
from skill.web import create_app
from tests import alexa

CLIENTS = 6
SWITCHES_PER_CLIENT = 50


@pytest.fixture
def server(settings, clock, tmp_path: Path):
    registry = tmp_path / "devices.yaml"
    registry.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"id": f"plug{i}", "name": f"plug {'abcdefgh'[i]}", "driver": "simulated"}
                    for i in range(CLIENTS)
                ]
            }
        )
    )
    services = build_services(settings.with_(devices_file=registry), clock=clock)
    app = create_app(services.settings, services)
    wsgi = create_server(app, host="127.0.0.1", port=0, threads=8, ident="load-test")
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}/alexa", services


def _ask(session: requests.Session, url: str, body: dict) -> str:
    response = session.post(
        url, data=json.dumps(body), timeout=10, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    return alexa.speech_text(response.json())


def test_concurrent_switching_loses_no_state(server):
    url, services = server
    failures: list[str] = []
    last_asked: dict[str, bool] = {}

    def client(index: int) -> None:
        name, device_id = f"plug {'abcdefgh'[index]}", f"plug{index}"
        with requests.Session() as session:
            for turn in range(SWITCHES_PER_CLIENT):
                on = turn % 2 == 0 if index % 2 else turn % 2 == 1
                intent = "TurnOnIntent" if on else "TurnOffIntent"
                said = _ask(session, url, alexa.intent(intent, {"device": name}, new=True))
                expected = f"The {name} is {'on' if on else 'off'}."
                if said != expected:
                    failures.append(f"{name}: asked {intent}, heard {said!r}")
                last_asked[device_id] = on
            # And everyone asks about a neighbour's plug while it is being switched.
            neighbour = f"plug {'abcdefgh'[(index + 1) % CLIENTS]}"
            said = _ask(
                session, url, alexa.intent("DeviceStateIntent", {"device": neighbour}, new=True)
            )
            if said not in (f"The {neighbour} is on.", f"The {neighbour} is off."):
                failures.append(f"state of {neighbour}: {said!r}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert failures == []
    held = {device_id: row.state.on for device_id, row in services.devices.states().items()}
    assert held == last_asked


def test_everyone_switching_one_plug_agrees_with_the_plug(server):
    url, services = server
    done = threading.Barrier(CLIENTS)
    errors: list[str] = []

    def client(index: int) -> None:
        with requests.Session() as session:
            done.wait(timeout=10)
            for turn in range(10):
                intent = "TurnOnIntent" if (index + turn) % 2 else "TurnOffIntent"
                said = _ask(session, url, alexa.intent(intent, {"device": "plug a"}, new=True))
                if said not in ("The plug a is on.", "The plug a is off."):
                    errors.append(said)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with requests.Session() as session:
        said = _ask(session, url, alexa.intent("DeviceStateIntent", {"device": "plug a"}, new=True))
    held = services.devices.states()["plug0"].state.on
    assert said == f"The plug a is {'on' if held else 'off'}."
