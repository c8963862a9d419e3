"""The plugs people really have, through POST /alexa: slow answers, firmware variants, Gen1.

Each test drives the skill with real Alexa envelopes against a fake on 127.0.0.1 speaking
the device's real payloads (tests/devices/fakes.py cites where each comes from), and checks
three things a person would notice: what was spoken, the device's real state afterwards, and
how many switch commands reached it (never more than one per request). The stand page
(/stand/state.json), the Echo Show screen and "which devices are on" follow the same rule:
on/off only for what the device confirmed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from skill.services import build_services
from skill.web import create_app
from tests import alexa
from tests.alexa import speech_text
from tests.devices.fakes import (
    FakeHomeAssistant,
    FakeShelly,
    FakeShellyGen1,
    FakeTasmota,
    HangUp,
    Slow,
)
from tests.devices.helpers import ALEXA_S

LAMP = {"device": alexa.slot("device", "lamp", resolved_id="lamp")}
HEATER = {"device": alexa.slot("device", "heater", resolved_id="heater")}


@dataclass
class Home:
    """The skill's web app over one devices.yaml: /alexa, the stand page, and the service."""

    client: Any
    services: Any

    def say(self, intent: str, slots: dict | None = None, **kw) -> dict:
        response = self.client.post("/alexa", json=alexa.intent(intent, slots, new=True, **kw))
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def stand(self) -> dict[str, dict[str, str]]:
        devices = self.client.get("/stand/state.json").get_json()["devices"]
        return {d["name"]: d for d in devices}


@pytest.fixture
def home(tmp_path, settings, monkeypatch):
    made: list[Any] = []

    def make(*entries: dict) -> Home:
        monkeypatch.setenv("HA_TOKEN", "ha-token")
        monkeypatch.setenv("PLUG_PW", "s3cret")
        path = tmp_path / "devices.yaml"
        path.write_text(yaml.safe_dump({"devices": list(entries)}))
        services = build_services(settings.with_(devices_file=path))
        made.append(services)
        return Home(create_app(services.settings, services).test_client(), services)

    yield make
    for services in made:
        services.devices.close()


def entry(fake: Any, address: str, **extra) -> dict:
    """The registry entry that points the lamp at `fake` (listening at `address`)."""
    base: dict[str, Any] = {"id": "lamp", "name": "lamp"}
    if isinstance(fake, FakeHomeAssistant):
        base |= {"driver": "homeassistant", "url": address, "entity_id": "switch.lamp"}
        base["token_env"] = "HA_TOKEN"
    else:
        host, port = address.split(":")
        driver = "tasmota" if isinstance(fake, FakeTasmota) else "shelly"
        base |= {"driver": driver, "host": host, "port": int(port)}
    return base | extra


def is_on(fake: Any) -> bool:
    """The fake device's real relay state."""
    if isinstance(fake, FakeHomeAssistant):
        return fake.states["switch.lamp"] == "on"
    if isinstance(fake, FakeTasmota):
        return fake.power
    if isinstance(fake, FakeShellyGen1):
        return fake.ison
    return fake.output


def screen_rows(reply: dict) -> list[tuple[str, str]]:
    (directive,) = reply["response"]["directives"]
    rows = directive["datasources"]["screen"]["rows"]
    return [(r["primary"], r["secondary"]) for r in rows]


FAKES = {
    "shelly gen2": FakeShelly,
    "shelly gen1": FakeShellyGen1,
    "tasmota": FakeTasmota,
    "homeassistant": FakeHomeAssistant,
}


# --- 1. a slow answer after the command went out --------------------------------------------


@pytest.mark.parametrize(
    ("kind", "delay"),
    [("shelly gen2", 1.6), ("shelly gen1", 2.0), ("tasmota", 1.6), ("homeassistant", 2.0)],
)
def test_a_plug_that_answers_its_switch_late_is_confirmed_not_unreachable(
    home, device_http, kind, delay
):
    fake = FAKES[kind](slow=Slow(switch_s=delay))
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == "The lamp is on."
    assert is_on(fake) and fake.switch_commands == 1
    assert lamp.stand()["Lamp"]["state"] == "on"


@pytest.mark.parametrize("kind", ["tasmota", "homeassistant"])
def test_an_answer_later_than_the_budget_allows_is_read_back_not_resent(home, device_http, kind):
    """The switch's answer would come after 4.5 s; the state read shortly before confirms."""
    fake = FAKES[kind](slow=Slow(switch_s=4.5))
    lamp = home(entry(fake, fake.install(device_http)))
    started = time.monotonic()
    reply = lamp.say("TurnOnIntent", LAMP)
    assert time.monotonic() - started < ALEXA_S
    assert speech_text(reply) == "The lamp is on."
    assert is_on(fake) and fake.switch_commands == 1


def test_no_answer_and_no_read_back_is_asked_not_confirmed_everywhere(home, device_http):
    fake = FakeShelly(slow=Slow(switch_s=6, read_s=6))
    lamp = home(entry(fake, fake.install(device_http)))
    started = time.monotonic()
    reply = lamp.say("TurnOnIntent", LAMP, apl=True)
    assert time.monotonic() - started < ALEXA_S
    assert speech_text(reply) == "I asked the lamp to turn on but it hasn't confirmed."
    assert fake.output is True and fake.switch_commands == 1
    assert screen_rows(reply) == [("Lamp", "Not confirmed")]
    shown = lamp.stand()["Lamp"]
    assert (shown["state"], shown["label"]) == ("unconfirmed", "Not confirmed")


def test_a_plug_that_hangs_up_after_the_command_gets_it_once_and_is_not_unreachable(home):
    plug = HangUp()
    try:
        address = f"127.0.0.1:{plug.port}"
        lamp = home(entry(FakeShelly(), address))
        reply = lamp.say("TurnOnIntent", LAMP)
        assert speech_text(reply) == "I asked the lamp to turn on but it hasn't confirmed."
        assert plug.switch_commands == 1  # never resent, though the connection dropped
        assert lamp.stand()["Lamp"]["label"] == "Not confirmed"
    finally:
        plug.close()


def test_through_the_bridge_a_slow_plug_is_confirmed_once(home, device_http, moto_url, aws_context):
    from skill.devices.bridge import Bridge, links_from_registry
    from tests.devices.conftest import REGION, THING
    from tests.devices.helpers import registry
    from tests.devices.test_iot_shadow import RunningBridge

    fake = FakeShelly(slow=Slow(switch_s=1.6))
    host, port = fake.install(device_http).split(":")
    heater = {
        "id": "lamp",
        "name": "lamp",
        "driver": "iot_shadow",
        "thing_name": THING,
        "region": REGION,
        "endpoint": moto_url,
        "wait_s": 4,
        "bridge": {"driver": "shelly", "host": host, "port": int(port)},
    }
    lamp = home(heater)
    links = links_from_registry(registry(heater), aws_context, aws_context.aws_client)
    with RunningBridge(Bridge(links)):
        reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == "The lamp is on."
    assert fake.output is True and fake.switch_commands == 1


# --- 2, 3. Tasmota firmware variants ----------------------------------------------------------


def test_tasmota_with_custom_state_texts_0_and_1(home, device_http):
    fake = FakeTasmota(state_text=("0", "1"))  # answers {"POWER":"1"}
    lamp = home(entry(fake, fake.install(device_http)))
    assert speech_text(lamp.say("TurnOnIntent", LAMP)) == "The lamp is on."
    assert fake.power is True and fake.switch_commands == 1
    assert speech_text(lamp.say("DeviceStateIntent", LAMP)) == "The lamp is on."
    assert fake.switch_commands == 1


def test_tasmota_below_weblog_2_is_asked_not_confirmed_and_the_fix_is_said(home, device_http):
    fake = FakeTasmota(weblog=0)  # runs every command, answers only the WARNING
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == "I asked the lamp to turn on but it hasn't confirmed."
    assert fake.power is True and fake.switch_commands == 1
    reply = lamp.say("DeviceStateIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp isn't set up properly: it needs its WebLog setting at 2 to answer me."
        " Someone needs to check its settings."
    )


def test_tasmota_heater_below_weblog_2_is_not_switched_on_without_its_timer(home, device_http):
    fake = FakeTasmota(weblog=1)
    address = fake.install(device_http)
    heater = home(entry(fake, address, id="heater", name="heater", max_on_minutes=30))
    reply = heater.say("TurnOnIntent", HEATER)
    assert speech_text(reply) == (
        "The heater isn't set up properly: it needs its WebLog setting at 2 to answer me."
        " Someone needs to check its settings."
    )
    assert fake.power is False and fake.switch_commands == 0  # PulseTime unconfirmed: no on


def test_tasmota_in_its_captive_portal_is_a_setup_problem(home, device_http):
    fake = FakeTasmota(captive_portal=True)
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp isn't set up properly: its address sends me somewhere else."
        " Someone needs to check its settings."
    )
    assert fake.power is False and fake.switch_commands == 0


# --- 4. Home Assistant ------------------------------------------------------------------------


def test_home_assistant_assumed_state_is_never_said_as_confirmed(home, device_http):
    fake = FakeHomeAssistant(assumed={"switch.lamp"})
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == "I asked the lamp to turn on but it hasn't confirmed."
    assert is_on(fake) and fake.switch_commands == 1
    reply = lamp.say("DeviceStateIntent", LAMP, apl=True)
    assert speech_text(reply) == "As far as I know the lamp is on, but it hasn't confirmed."
    assert screen_rows(reply) == [("Lamp", "Not confirmed")]
    reply = lamp.say("WhichDevicesOnIntent", apl=True)
    assert speech_text(reply) == (
        "Nothing else is on, as far as I can tell. The lamp hasn't confirmed its state."
    )
    assert screen_rows(reply) == [("Lamp", "Not confirmed")]
    assert lamp.stand()["Lamp"]["label"] == "Not confirmed"
    assert fake.switch_commands == 1


def test_home_assistant_without_the_service_says_it_is_a_setup_problem(home, device_http):
    fake = FakeHomeAssistant(domains={"light"})  # no switch integration: 400, not 404
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp isn't set up properly: Home Assistant has no way to switch it."
        " Someone needs to check its settings."
    )
    assert not is_on(fake) and fake.switch_commands == 0


def test_home_assistant_behind_an_https_proxy_is_a_setup_problem(home, device_http):
    fake = FakeHomeAssistant(https_only=True)
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp isn't set up properly: its address sends me somewhere else."
        " Someone needs to check its settings."
    )
    assert not is_on(fake) and fake.switch_commands == 0


# --- 5. Shelly Gen1, and Gen2's errors --------------------------------------------------------


def test_shelly_gen1_with_login_and_its_own_timer(home, device_http):
    fake = FakeShellyGen1(password="s3cret")
    address = fake.install(device_http)
    heater = home(
        entry(fake, address, id="heater", name="heater", password_env="PLUG_PW", max_on_minutes=30)
    )
    reply = heater.say("TurnOnIntent", HEATER)
    assert speech_text(reply) == "The heater is on. It will switch itself off after 30 minutes."
    assert fake.ison is True and fake.switch_commands == 1
    assert fake.turns[0]["timer"] == "1800"  # the plug's own auto-off
    reply = heater.say("DeviceStateIntent", HEATER)
    assert speech_text(reply) == "The heater is on. It will switch itself off in about 30 minutes."
    assert fake.switch_commands == 1


def test_shelly_gen1_with_the_wrong_password(home, device_http, monkeypatch):
    fake = FakeShellyGen1(password="something else")
    lamp = home(entry(fake, fake.install(device_http), password_env="PLUG_PW"))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply).startswith("The lamp didn't accept my login")
    assert fake.ison is False and fake.switch_commands == 0


def test_shelly_channel_that_does_not_exist_is_a_setup_mistake(home, device_http):
    fake = FakeShelly()
    lamp = home(entry(fake, fake.install(device_http), channel=1))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp isn't set up properly: it has no switch number 1."
        " Someone needs to check its settings."
    )
    assert fake.output is False and fake.switch_commands == 1  # refused with -105, not applied
    assert lamp.stand()["Lamp"]["label"] == "Needs setting up"  # not "Not responding"


@pytest.mark.parametrize("kind", ["shelly gen2", "shelly gen1"])
def test_an_overpower_trip_says_why_the_plug_is_off(home, device_http, kind):
    fake = (
        FakeShelly(trips="overpower") if kind == "shelly gen2" else FakeShellyGen1(overpower=True)
    )
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("TurnOnIntent", LAMP)
    assert speech_text(reply) == (
        "I asked the lamp to turn on, but it switched itself off because it was drawing too"
        " much power."
    )
    assert not is_on(fake) and fake.switch_commands == 1
    reply = lamp.say("DeviceStateIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp is off. It switched itself off because it was drawing too much power."
    )


# --- 6. the heater: already on, and "no" ------------------------------------------------------


def confirm_heater(fake: FakeShellyGen1, address: str) -> dict:
    return entry(fake, address, id="heater", name="heater", voice_on="confirm", max_on_minutes=30)


def test_heater_already_on_is_said_so_without_a_question(home, device_http):
    fake = FakeShellyGen1(ison=True)
    heater = home(confirm_heater(fake, fake.install(device_http)))
    reply = heater.say("TurnOnIntent", HEATER)
    assert speech_text(reply) == "The heater is already on."
    assert reply["response"]["shouldEndSession"] is True  # nothing to answer
    assert fake.ison is True and fake.switch_commands == 0


def test_no_to_the_heater_is_answered_from_what_was_asked(home, device_http):
    fake = FakeShellyGen1(ison=False)
    heater = home(confirm_heater(fake, fake.install(device_http)))
    chat = alexa.Conversation(lambda body: heater.client.post("/alexa", json=body).get_json())
    assert chat.ask("TurnOnIntent", HEATER) == "Do you want me to turn on the heater?"
    fake.ison = True  # someone switches it on at the plug while Alexa waits for the answer
    assert chat.ask("AMAZON.NoIntent") == "All right, I won't turn it on. Anything else?"
    assert fake.ison is True and fake.switch_commands == 0  # and nobody claims it's off


def test_heater_unreachable_still_gets_the_question(home, refused):
    address = f"127.0.0.1:{refused}"
    heater = home(confirm_heater(FakeShellyGen1(), address))
    reply = heater.say("TurnOnIntent", HEATER)
    assert speech_text(reply) == "Do you want me to turn on the heater?"


# --- bodies that are too long or never end ----------------------------------------------------


def test_a_huge_answer_is_a_device_fault_said_clearly(home, device_http):
    fake = FakeShelly(slow=Slow(huge_mib=64))
    lamp = home(entry(fake, fake.install(device_http)))
    reply = lamp.say("DeviceStateIntent", LAMP)
    assert speech_text(reply) == (
        "The lamp sent an answer far too long for a plug, so I couldn't do that."
    )
    assert fake.output is False and fake.switch_commands == 0


def test_a_body_that_never_ends_neither_outlives_the_deadline_nor_blocks_the_next(
    home, device_http
):
    fake = FakeShelly(slow=Slow(drip_s=12))
    lamp = home(entry(fake, fake.install(device_http)))
    started = time.monotonic()
    reply = lamp.say("DeviceStateIntent", LAMP)
    assert time.monotonic() - started < ALEXA_S
    assert speech_text(reply) == "I couldn't reach the lamp."
    fake.slow = Slow()  # the plug recovers: the next request must not wait for the last
    started = time.monotonic()
    reply = lamp.say("TurnOnIntent", LAMP)
    assert time.monotonic() - started < 2.0
    assert speech_text(reply) == "The lamp is on."
    assert fake.output is True and fake.switch_commands == 1
    assert not any(t.name.startswith("device") and _stuck(t) for t in threading.enumerate())


def _stuck(thread: threading.Thread) -> bool:
    """A device worker still inside a call (idle pool threads wait on the work queue)."""
    import sys
    import traceback

    frame = sys._current_frames().get(thread.ident or -1)
    return frame is not None and "transport.py" in "".join(traceback.format_stack(frame))
