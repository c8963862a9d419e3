"""Echo Show screens: APL only for devices with a screen, and documents that fit each one."""

from __future__ import annotations

import json
from datetime import date, time
from types import SimpleNamespace

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.turn import Turn
from skill.intents import screens
from tests import alexa, apl

SERIALIZER = DefaultSerializer()
TODAY = date(2026, 5, 19)


def turn_for(body, services) -> Turn:
    """A real Turn, from the envelope as the SDK parses it."""
    envelope = SERIALIZER.deserialize(json.dumps(body), RequestEnvelope)
    return Turn(
        HandlerInput(request_envelope=envelope, attributes_manager=AttributesManager(envelope)),
        services,
    )


def session(title, start="10:30", end="11:30", room="Room 2", presenter="Ada", day=TODAY, **kw):
    return SimpleNamespace(
        title=title,
        date=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        room=room,
        presenter=presenter,
        cancelled=kw.get("cancelled", False),
    )


SESSIONS = [
    session("3D printing for beginners"),
    session("Service design: a practical introduction to mapping a journey", presenter=""),
    session("LinkedIn", room="", cancelled=True, day=date(2026, 5, 20)),
]


def serialized(directives) -> list[dict]:
    return [SERIALIZER.serialize(d) for d in directives]


@pytest.mark.parametrize("name", sorted(alexa.SCREENS))
def test_session_list_fits_every_screen(services, name):
    screen = alexa.SCREENS[name]
    turn = turn_for(alexa.intent("WhatsOnNowIntent", screen=screen), services)
    (directive,) = serialized(screens.sessions(turn, "On now", SESSIONS, TODAY))
    facts = apl.check(directive, screen)
    rows = facts["datasources"]["screen"]["rows"]
    assert [r["primary"] for r in rows] == [
        "3D printing for beginners",
        "Service design: a practical introduction to mapping a journey",
        "Cancelled: LinkedIn",
    ]
    assert rows[0]["secondary"] == "10:30–11:30 · Room 2" and rows[0]["tertiary"] == "with Ada"
    assert rows[2]["secondary"] == "Wed 20 May, 10:30–11:30"


@pytest.mark.parametrize("name", sorted(alexa.SCREENS))
def test_device_states_fit_every_screen(services, name):
    screen = alexa.SCREENS[name]
    turn = turn_for(alexa.intent("DeviceStateIntent", screen=screen), services)
    rows = [
        screens.device_row("lamp", True),
        screens.device_row("fan", False),
        screens.device_row("kettle", None, "unreachable"),
    ]
    (directive,) = serialized(screens.devices(turn, "Devices", rows))
    got = apl.check(directive, screen)["datasources"]["screen"]["rows"]
    assert [(r["primary"], r["secondary"]) for r in got] == [
        ("Lamp", "On"),
        ("Fan", "Off"),
        ("Kettle", "Not responding"),
    ]
    assert len({r["accent"] for r in got}) == 3


def test_voice_only_devices_get_no_screen(services):
    turn = turn_for(alexa.intent("WhatsOnNowIntent"), services)
    assert not turn.supports_apl
    assert screens.sessions(turn, "On now", SESSIONS) == []
    assert screens.devices(turn, "Lamp", [screens.device_row("lamp", True)]) == []


def test_an_empty_answer_still_shows_a_line(services):
    turn = turn_for(alexa.intent("WhatsOnNowIntent", apl=True), services)
    (directive,) = serialized(screens.sessions(turn, "On now", []))
    rows = apl.check(directive, alexa.ECHO_SHOW_5)["datasources"]["screen"]["rows"]
    assert rows == [
        {"primary": "Nothing to show.", "secondary": "", "tertiary": "", "accent": "#D0D0D0"}
    ]


def test_type_scales_with_the_screen(services):
    def title_size(screen):
        turn = turn_for(alexa.intent("WhatsOnNowIntent", screen=screen), services)
        layout = screens.Layout.for_screen(turn.screen)
        return layout.title, layout.round

    assert title_size(alexa.ECHO_SHOW_10)[0] > title_size(alexa.ECHO_SHOW_8)[0]
    assert title_size(alexa.ECHO_SHOW_8)[0] > title_size(alexa.ECHO_SPOT)[0]
    assert title_size(alexa.ECHO_SPOT)[1] is True


def test_the_checker_catches_what_a_device_would_trip_over(services):
    turn = turn_for(alexa.intent("WhatsOnNowIntent", apl=True), services)
    (good,) = serialized(screens.sessions(turn, "On now", SESSIONS, TODAY))
    broken = json.loads(json.dumps(good))
    broken["datasources"]["screen"]["rows"][1].pop("tertiary")
    with pytest.raises(AssertionError, match="tertiary"):
        apl.check(broken, alexa.ECHO_SHOW_5)
    newer = json.loads(json.dumps(good))
    newer["document"]["version"] = "2024.2"
    with pytest.raises(AssertionError, match="newer than the device"):
        apl.check(newer, alexa.ECHO_SHOW_5)
    typo = json.loads(json.dumps(good))
    typo["document"]["mainTemplate"]["item"]["item"]["items"][0]["fontsize"] = 40
    with pytest.raises(AssertionError, match="fontsize"):
        apl.check(typo, alexa.ECHO_SHOW_5)


# --- through /alexa, with the shipped demo programme (Tuesday 19 May 2026, 10:40) ----------


def directives(response) -> list[dict]:
    return response["response"].get("directives") or []


PROGRAMME_ASKS = [
    ("WhatsOnNowIntent", {}),
    ("WhatsNextIntent", {}),
    ("WhatsOnIntent", {"date": "2026-05-20"}),
    ("SessionTimeIntent", {"session": "3D printing"}),
    ("SessionDetailsIntent", {"session": "3D printing"}),
]


@pytest.mark.parametrize("name", sorted(alexa.SCREENS))
@pytest.mark.parametrize(("intent", "slots"), PROGRAMME_ASKS, ids=[i for i, _ in PROGRAMME_ASKS])
def test_programme_answers_show_a_list_on_screens(post, name, intent, slots):
    screen = alexa.SCREENS[name]
    response = post(alexa.intent(intent, slots, screen=screen))
    (directive,) = directives(response)
    assert directive["token"] == screens.SESSIONS_TOKEN
    rows = apl.check(directive, screen)["datasources"]["screen"]["rows"]
    assert rows and all(r["primary"] for r in rows)
    assert rows[0]["primary"] != "Nothing to show."


@pytest.mark.parametrize(("intent", "slots"), PROGRAMME_ASKS, ids=[i for i, _ in PROGRAMME_ASKS])
def test_voice_only_devices_get_no_directive(post, intent, slots):
    response = post(alexa.intent(intent, slots))
    assert directives(response) == []
    alexa.speech_text(response)


def test_the_screen_shows_what_is_said(post):
    response = post(alexa.intent("WhatsOnNowIntent", screen=alexa.ECHO_SHOW_8))
    said = alexa.speech_text(response)
    (directive,) = directives(response)
    titles = [r["primary"] for r in directive["datasources"]["screen"]["rows"]]
    assert all(t.removeprefix("Cancelled: ") in said for t in titles)


# --- device answers through /alexa (the shipped simulated lamp, fan, heater and fridge) ------

LAMP = {"device": alexa.slot("device", "lamp", resolved_id="lamp")}


@pytest.mark.parametrize("name", sorted(alexa.SCREENS))
def test_switching_shows_the_confirmed_state(post, name):
    screen = alexa.SCREENS[name]
    (directive,) = directives(post(alexa.intent("TurnOnIntent", LAMP, screen=screen)))
    assert directive["token"] == screens.DEVICES_TOKEN
    rows = apl.check(directive, screen)["datasources"]["screen"]["rows"]
    assert [(r["primary"], r["secondary"]) for r in rows] == [("Lamp", "On")]
    (directive,) = directives(post(alexa.intent("DeviceStateIntent", LAMP, screen=screen)))
    assert apl.check(directive, screen)["datasources"]["screen"]["rows"][0]["secondary"] == "On"


@pytest.mark.parametrize("intent", ["WhichDevicesOnIntent", "AllOffIntent"])
def test_answers_about_every_device_list_them_all(post, intent):
    post(alexa.intent("TurnOnIntent", LAMP))
    (directive,) = directives(post(alexa.intent(intent, screen=alexa.ECHO_SHOW_5)))
    rows = apl.check(directive, alexa.ECHO_SHOW_5)["datasources"]["screen"]["rows"]
    states = {r["primary"]: r["secondary"] for r in rows}
    assert states["Fridge"] == "On"  # never switched off by voice
    assert states["Lamp"] == ("On" if intent == "WhichDevicesOnIntent" else "Off")
    assert set(states) == {"Lamp", "Fan", "Heater", "Fridge"}


@pytest.mark.parametrize("intent", ["TurnOnIntent", "DeviceStateIntent", "WhichDevicesOnIntent"])
def test_device_answers_send_nothing_to_voice_only_devices(post, intent):
    response = post(alexa.intent(intent, LAMP))
    assert directives(response) == []
