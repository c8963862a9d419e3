"""/stand: no login, nothing secret, a small JSON state with ETag/304, cheap under many screens."""

from __future__ import annotations

import json

import pytest

from skill.programme.store import StoreUnavailable
from skill.services import build_services
from skill.web import create_app
from tests import alexa

REGISTRY = """\
devices:
  - id: lamp
    name: lamp
    driver: simulated
  - id: hall_heater_7
    name: hall heater
    driver: shelly
    host: 10.20.30.40
    password_env: SHELLY_SECRET_PASSWORD
"""
LAMP = {"device": alexa.slot("device", "lamp", resolved_id="lamp")}


def state(client, **headers):
    return client.get("/stand/state.json", headers=headers)


def test_the_page_needs_no_login_and_shows_now_next_and_devices(client):
    response = client.get("/stand")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("On now", "Service design", "Next", "LinkedIn profile", "Lamp", "Fridge"):
        assert text in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_state_has_sessions_and_device_states(client):
    data = state(client).get_json()
    assert data["clock"] == "10:40" and data["day"] == "Tuesday 19 May"
    assert [s["title"] for s in data["on_now"]] == ["Service design"]
    assert data["on_now"][0] == {
        "title": "Service design",
        "time": "10:00–11:30",
        "room": "Conference Room",
        "presenter": "Priya Shah",
        "cancelled": False,
    }
    assert [s["title"] for s in data["next"]] == ["LinkedIn profile"] and not data["next_day"]
    devices = {d["name"]: d["state"] for d in data["devices"]}
    assert devices == {"Lamp": "off", "Fan": "off", "Heater": "off", "Fridge": "on"}


def test_unchanged_state_is_a_304_and_a_voice_command_changes_it(client, post):
    first = state(client)
    etag = first.headers["ETag"]
    again = state(client, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    post(alexa.intent("TurnOnIntent", LAMP))
    changed = state(client, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {d["name"]: d["state"] for d in changed.get_json()["devices"]}["Lamp"] == "on"


def test_nothing_secret_reaches_the_screen(settings, clock, tmp_path, monkeypatch):
    registry = tmp_path / "devices.yaml"
    registry.write_text(REGISTRY)
    monkeypatch.setenv("SHELLY_SECRET_PASSWORD", "hunter2-hunter2")
    settings = settings.with_(devices_file=registry, trial_log=True)
    client = create_app(settings, build_services(settings, clock=clock)).test_client()
    client.post("/alexa", json=alexa.intent("TurnOnIntent", LAMP))
    exposed = client.get("/stand").get_data(as_text=True) + state(client).get_data(as_text=True)
    for secret in (
        "10.20.30.40",
        "shelly",
        "hunter2",
        "SHELLY_SECRET",
        "hall_heater_7",
        alexa.USER_ID,
        alexa.DEVICE_ID,
        "amzn1",
    ):
        assert secret not in exposed
    devices = {d["name"]: d["state"] for d in state(client).get_json()["devices"]}
    assert devices == {"Lamp": "on", "Hall heater": "unknown"}


def test_the_programme_being_down_still_shows_devices(client, services, mocker):
    mocker.patch.object(services.programme, "current", side_effect=StoreUnavailable("down"))
    data = state(client).get_json()
    assert data["programme"] == "unavailable" and data["on_now"] == []
    assert len(data["devices"]) == 4
    assert "can't be reached" in client.get("/stand").get_data(as_text=True)


def test_many_screens_polling_cost_one_rebuild(app, client, services, mocker):
    # Within one max_age window (the clock is held still so a loaded machine can't
    # stretch the 20 polls past it), every screen gets the same rebuilt document.
    app.extensions["stand_feed"].monotonic = lambda: 1000.0
    spy = mocker.spy(services.devices, "states")
    etag = state(client).headers["ETag"]
    for _ in range(20):
        assert state(client, **{"If-None-Match": etag}).status_code == 304
    assert spy.call_count == 1


def test_the_json_is_small(client):
    body = state(client).data
    assert len(body) < 2048
    json.loads(body)


@pytest.mark.parametrize("path", ["/stand", "/stand/", "/stand/state.json"])
def test_stand_answers_are_not_cached_stale(client, path):
    cache = client.get(path).headers["Cache-Control"]
    assert "no-store" in cache or "no-cache" in cache


def test_after_the_last_session_the_state_says_the_week_has_ended(app, client, clock):
    app.extensions["stand_feed"].max_age = 0  # no cached snapshot across the clock's jump
    assert state(client).get_json()["ended"] is False
    clock.now = clock.now.replace(day=22, hour=16)  # Friday 17:00, after the show and tell
    data = state(client).get_json()
    assert data["ended"] is True and data["on_now"] == [] and data["next"] == []
    assert "The week has ended" in client.get("/stand").get_data(as_text=True)
