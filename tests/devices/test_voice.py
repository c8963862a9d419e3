"""Voice control through real Alexa envelopes posted to /alexa (and straight into the skill).

The shipped demo registry (simulated lamp, fan, heater, fridge) keeps its state in the
test's data folder, so what one request switches, the next one (and the stand page) sees.
"""

from __future__ import annotations

import json
import time

import pytest
import yaml
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.builder import build_skill
from skill.services import build_services
from skill.web import create_app
from tests import alexa
from tests.alexa import ends_session, reprompt_text, speech_text
from tests.devices.fakes import FakeShelly
from tests.devices.helpers import ALEXA_S


def device(value: str, resolved: str | None = None) -> dict:
    return {"device": alexa.slot("device", value, resolved_id=resolved, no_match=not resolved)}


class Outcomes:
    """Stands in for the OT trial log: what it would have recorded."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str | None]] = []

    def record(self, *, user_id, asked, device, outcome, consented, **_where) -> None:
        self.rows.append((outcome, device))


@pytest.fixture
def outcomes(services):
    services.trial_log = Outcomes()
    return services.trial_log


def test_turn_on_the_lamp_then_ask_if_it_is_on(post, services):
    reply = post(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "The lamp is on."
    assert ends_session(reply)  # a one-shot request gets its answer and ends
    assert services.devices.states()["lamp"].state.on is True  # what the stand page shows
    reply = post(alexa.intent("DeviceStateIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "The lamp is on."


@pytest.mark.parametrize("said", ["the lamp", "Lamp", "bedside lamp", "the Bedside Lamp"])
def test_names_without_entity_resolution_fall_back_to_the_registry(post, said):
    reply = post(alexa.intent("TurnOnIntent", device(said), new=True))
    assert speech_text(reply) == "The lamp is on."


def test_unknown_device_says_what_it_can_switch(post, outcomes):
    reply = post(alexa.intent("TurnOnIntent", device("toaster"), new=True))
    assert speech_text(reply) == (
        "I don't know a device called toaster. "
        "I can switch the lamp, the fan, the heater or the fridge."
    )
    assert outcomes.rows == [("not_understood", None)]


def test_odd_characters_in_a_name_cannot_break_the_reply(post):
    reply = post(alexa.intent("TurnOnIntent", device("<b>toast & \x1bjam"), new=True))
    assert speech_text(reply).startswith("I don't know a device called b toast and jam.")


def test_in_a_conversation_it_means_the_last_device(post, services):
    chat = alexa.Conversation(post)
    chat.launch()
    assert chat.ask("TurnOnIntent", device("lamp", "lamp")) == "The lamp is on. Anything else?"
    assert reprompt_text(chat.last) and not ends_session(chat.last)
    assert chat.ask("TurnOffIntent") == "The lamp is off. Anything else?"  # "turn it off"
    assert services.devices.states()["lamp"].state.on is False
    assert chat.ask("TurnOnIntent", device("it")) == "The lamp is on. Anything else?"


def test_turn_it_off_with_nothing_said_before_asks_which(post):
    reply = post(alexa.intent("TurnOffIntent", new=True))
    assert speech_text(reply).startswith("Which device do you mean?")
    assert reprompt_text(reply) and not ends_session(reply)  # a question waits for the answer


def test_heater_needs_a_yes_and_then_switches_itself_off_later(post, services, outcomes):
    chat = alexa.Conversation(post, new=True)
    question = chat.ask("TurnOnIntent", device("heater", "heater"))
    assert question == "Do you want me to turn on the heater?"
    assert reprompt_text(chat.last) and not ends_session(chat.last)
    assert services.devices.states()["heater"].state.on is False  # nothing happens yet
    chat.defaults["new"] = False
    assert chat.ask("AMAZON.YesIntent") == (
        "The heater is on. It will switch itself off after 30 minutes."
    )
    assert ends_session(chat.last)  # it began as a one-shot request
    state = services.devices.states()["heater"].state
    assert state.on is True and 29 * 60 < state.off_at.timestamp() - time.time() <= 30 * 60
    assert outcomes.rows == [("info", "heater"), ("done", "heater")]
    asked = post(alexa.intent("DeviceStateIntent", device("heater", "heater"), new=True))
    assert speech_text(asked) == (
        "The heater is on. It will switch itself off in about 30 minutes."
    )


def test_no_leaves_the_heater_as_it_was(post, services):
    chat = alexa.Conversation(post)
    chat.ask("TurnOnIntent", device("heater", "heater"))
    assert chat.ask("AMAZON.NoIntent") == "All right, I won't turn it on. Anything else?"
    assert services.devices.states()["heater"].state.on is False


def test_yes_without_a_question_is_not_a_device_command(post, services):
    reply = post(alexa.intent("AMAZON.YesIntent"))
    assert "nothing to go on with" in speech_text(reply)
    assert services.devices.states()["heater"].state.on is False


def test_fridge_cannot_be_switched_off_by_voice(post, services, outcomes):
    reply = post(alexa.intent("TurnOffIntent", device("fridge", "fridge"), new=True))
    assert speech_text(reply) == (
        "The fridge can't be switched off by voice, so I've left it as it is."
    )
    assert services.devices.states()["fridge"].state.on is True
    assert outcomes.rows == [("refused", "fridge")]


def test_which_devices_are_on(post):
    post(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    reply = post(alexa.intent("WhichDevicesOnIntent", new=True))
    assert speech_text(reply) == "The lamp and the fridge are on."


def test_everything_off_leaves_what_voice_may_not_switch(post, services):
    for name in ("lamp", "fan"):
        post(alexa.intent("TurnOnIntent", device(name, name), new=True))
    reply = post(alexa.intent("AllOffIntent", new=True))
    assert speech_text(reply) == (
        "Everything else is off. The fridge stays on: I can't switch that off by voice."
    )
    states = services.devices.states()
    assert not states["lamp"].state.on and not states["fan"].state.on and states["fridge"].state.on


def test_same_answers_straight_from_the_skill_without_http(services):
    """The Lambda path minus Lambda: the skill object invoked with a request envelope."""
    skill = build_skill(services)
    serializer = DefaultSerializer()

    def invoke(body: dict) -> dict:
        envelope = serializer.deserialize(json.dumps(body), RequestEnvelope)
        return serializer.serialize(skill.invoke(request_envelope=envelope, context=None))

    assert speech_text(invoke(alexa.intent("TurnOnIntent", device("fan", "fan")))).startswith(
        "The fan is on."
    )
    assert speech_text(invoke(alexa.intent("DeviceStateIntent", device("fan", "fan")))).startswith(
        "The fan is on."
    )


# --- real plugs behind the same sentences -----------------------------------------------


def post_with(tmp_path, settings, entries: list[dict]):
    path = tmp_path / "devices.yaml"
    path.write_text(yaml.safe_dump({"devices": entries}))
    services = build_services(settings.with_(devices_file=path))
    client = create_app(services.settings, services).test_client()

    def send(body):
        response = client.post("/alexa", json=body)
        assert response.status_code == 200
        return response.get_json()

    return send


def shelly_lamp(port: int) -> dict:
    return {"id": "lamp", "name": "lamp", "driver": "shelly", "host": "127.0.0.1", "port": port}


def test_unreachable_plug_is_said_plainly(tmp_path, settings, refused):
    send = post_with(tmp_path, settings, [shelly_lamp(refused)])
    reply = send(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "I couldn't reach the lamp."


def test_silent_plug_is_reported_inside_alexas_time(tmp_path, settings, silent):
    send = post_with(tmp_path, settings, [shelly_lamp(silent.port)])
    started = time.monotonic()
    reply = send(alexa.intent("DeviceStateIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "I couldn't reach the lamp."
    assert time.monotonic() - started < ALEXA_S


def test_unconfirmed_switch_is_not_claimed(tmp_path, settings, device_http):
    fake = FakeShelly(status_broken=True)
    port = int(fake.install(device_http).split(":")[1])
    send = post_with(tmp_path, settings, [shelly_lamp(port)])
    reply = send(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "I asked the lamp to turn on but it hasn't confirmed."
    assert fake.output is True


def test_plug_refusing_and_bad_password_get_their_own_sentences(tmp_path, settings, device_http):
    fake = FakeShelly(refuse=True)
    port = int(fake.install(device_http).split(":")[1])
    send = post_with(tmp_path, settings, [shelly_lamp(port)])
    reply = send(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply) == "The lamp reported a problem, so I couldn't do that."
    fake.refuse, fake.password = False, "s3cret"
    reply = send(alexa.intent("TurnOnIntent", device("lamp", "lamp"), new=True))
    assert speech_text(reply).startswith("The lamp didn't accept my login")


def test_everything_off_says_which_plugs_it_could_not_reach(tmp_path, settings, refused):
    # (That they are switched in parallel under one deadline: test_service.py.)
    send = post_with(
        tmp_path,
        settings,
        [
            {"id": "lamp", "name": "lamp", "driver": "simulated", "initially_on": True},
            shelly_lamp(refused) | {"id": "fan", "name": "fan"},
            shelly_lamp(refused) | {"id": "radio", "name": "radio"},
        ],
    )
    reply = send(alexa.intent("AllOffIntent", new=True))
    assert speech_text(reply) == (
        "I've switched off the lamp. I couldn't reach the fan and the radio."
    )


def test_in_lambda_a_plug_without_a_timer_is_not_left_on(
    tmp_path, settings, device_http, monkeypatch
):
    from tests.devices.fakes import FakeHomeAssistant

    fake = FakeHomeAssistant()
    monkeypatch.setenv("HA_TOKEN", fake.token)
    heater = {
        "id": "heater",
        "name": "heater",
        "driver": "homeassistant",
        "url": fake.install(device_http),
        "entity_id": "switch.lamp",
        "token_env": "HA_TOKEN",
        "max_on_minutes": 30,
    }
    send = post_with(tmp_path, settings.with_(in_lambda=True), [heater])
    reply = send(alexa.intent("TurnOnIntent", device("heater", "heater"), new=True))
    assert speech_text(reply) == (
        "I can't switch the heater on from here: nothing could switch it off again after"
        " 30 minutes."
    )
    assert fake.states["switch.lamp"] == "off"


def test_everything_off_never_claims_an_unread_device_stays_on(tmp_path, settings, refused):
    pump = shelly_lamp(refused) | {"id": "pump", "name": "pump", "voice_off": "deny"}
    send = post_with(
        tmp_path,
        settings,
        [{"id": "lamp", "name": "lamp", "driver": "simulated", "initially_on": True}, pump],
    )
    reply = send(alexa.intent("AllOffIntent", new=True))
    assert speech_text(reply) == (
        "Everything else is off. I've left the pump as it is: I can't switch that off by voice."
    )
