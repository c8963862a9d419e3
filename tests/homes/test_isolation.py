"""Isolation, through POST /alexa and lambda_handler: a speaker reaches its own home only.

Two homes both have a "lamp"; home B also has an aquarium pump and home A a radio. Nothing
a request from A's speaker gets back may switch, read or mention B's devices.
"""

from __future__ import annotations

import json

import pytest

from skill.homes import STAND_ID, Unlinked
from tests import alexa

SPEAKER_A = "amzn1.ask.device.SPEAKER-A"
SPEAKER_B = "amzn1.ask.device.SPEAKER-B"
STRANGER = "amzn1.ask.device.NEVER-LINKED"
HOME_A = """devices:
  - {id: lamp, name: lamp, aliases: [light], driver: simulated}
  - {id: radio, name: radio, aliases: [wireless], driver: simulated}
"""
HOME_B = """devices:
  - {id: lamp, name: lamp, aliases: [light], driver: simulated}
  - {id: pump, name: aquarium pump, aliases: [fish tank], driver: simulated, initially_on: true}
"""
B_WORDS = ("aquarium", "pump", "fish tank")


@pytest.fixture
def homes(services):
    d = services.homes.directory
    a = d.add_home("Trial home A")
    b = d.add_home("Trial home B")
    d.import_registry(a.id, HOME_A, "a.yaml")
    d.import_registry(b.id, HOME_B, "b.yaml")
    d.link_speaker(a.id, SPEAKER_A)
    d.link_speaker(b.id, SPEAKER_B)
    return a, b


def on(services, home_id: str, device_id: str) -> bool | None:
    return services.homes.directory.devices_for_home(home_id).read(device_id).on


def everything(response: dict) -> str:
    """All a response says or shows: speech, reprompt, card, directives, the replayable
    answer in the session (not attributes the request itself sent back)."""
    attributes = response.get("sessionAttributes") or {}
    return json.dumps([response["response"], attributes.get("last")]).lower()


def test_a_speaker_switches_its_own_lamp_only(post, services, homes):
    a, b = homes
    said = alexa.speech_text(
        post(alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=SPEAKER_A))
    )
    assert said.startswith("The lamp is on.")
    assert on(services, a.id, "lamp") is True
    assert on(services, b.id, "lamp") is False
    assert on(services, STAND_ID, "lamp") is False
    answer = post(alexa.intent("DeviceStateIntent", {"device": "lamp"}, device_id=SPEAKER_B))
    assert "off" in alexa.speech_text(answer)


def test_nothing_from_a_s_speaker_mentions_b_s_devices(post, services, homes):
    _, b = homes
    requests = [
        alexa.launch(device_id=SPEAKER_A),
        alexa.intent("AMAZON.HelpIntent", device_id=SPEAKER_A),
        alexa.intent("WhichDevicesOnIntent", device_id=SPEAKER_A),
        alexa.intent(
            "TurnOnIntent",
            {"device": alexa.slot("device", "tank", resolved_id="pump")},
            device_id=SPEAKER_A,
        ),
        alexa.intent(
            "TurnOffIntent",
            {"device": "it"},
            device_id=SPEAKER_A,
            attributes={"last_device": "pump"},
        ),
        alexa.intent(
            "AMAZON.YesIntent",
            device_id=SPEAKER_A,
            attributes={"pending": {"kind": "confirm_power", "device": "pump", "on": False}},
        ),
        alexa.intent("AllOffIntent", device_id=SPEAKER_A, apl=True),
    ]
    for request in requests:
        text = everything(post(request))
        for word in B_WORDS:
            assert word not in text, (request["request"], text)
    # Naming B's device from A's speaker: A doesn't know it, and says what A has instead.
    for request in (
        alexa.intent("TurnOffIntent", {"device": "aquarium pump"}, device_id=SPEAKER_A),
        alexa.intent("DeviceStateIntent", {"device": "fish tank"}, device_id=SPEAKER_A),
    ):
        said = alexa.speech_text(post(request))
        assert said.startswith("I don't know a device called") and "the lamp or the radio" in said
    # A's own devices are what it offers.
    help_text = alexa.speech_text(post(alexa.intent("AMAZON.HelpIntent", device_id=SPEAKER_A)))
    assert "radio" in help_text
    # Nothing from A switched B's pump off: not "everything off", not its id, not "it".
    assert on(services, b.id, "pump") is True


def test_dynamic_entities_carry_only_the_speaker_s_devices(post, homes):
    response = post(alexa.launch(device_id=SPEAKER_A))
    directives = response["response"].get("directives", [])
    values = json.dumps([d for d in directives if "Dialog.UpdateDynamicEntities" in str(d)])
    assert "radio" in values and "aquarium" not in values


def test_the_stand_page_shows_the_demo_stand_only(client, services, homes):
    _, b = homes
    services.homes.directory.devices_for_home(b.id).switch("lamp", True)
    state = client.get("/stand/state.json").get_json()
    names = [d["name"].lower() for d in state["devices"]]
    assert names == ["lamp", "fan", "heater", "fridge"]
    assert state["devices"][0]["state"] == "off"  # B's lamp is on; the stand's is not
    page = client.get("/stand").get_data(as_text=True).lower()
    assert "aquarium" not in page and "aquarium" not in json.dumps(state).lower()


def test_an_unlinked_speaker_reaches_the_stand_by_default_locally(post, services, homes):
    a, b = homes
    post(alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=STRANGER))
    assert on(services, STAND_ID, "lamp") is True
    assert on(services, a.id, "lamp") is False and on(services, b.id, "lamp") is False


def test_refuse_mode_tells_an_unlinked_speaker_how_to_get_set_up(post, services, homes):
    a, b = homes
    services.homes.directory.unlinked = Unlinked.REFUSE
    for request in (
        alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=STRANGER),
        alexa.intent("WhichDevicesOnIntent", device_id=STRANGER),
        alexa.intent("AllOffIntent", device_id=STRANGER),
    ):
        said = alexa.speech_text(post(request))
        assert "isn't linked to a home yet" in said and "link this speaker" in said
    for home in (STAND_ID, a.id, b.id):
        assert on(services, home, "lamp") is False
    assert on(services, b.id, "pump") is True
    launch = alexa.speech_text(post(alexa.launch(device_id=STRANGER)))
    assert "lamp" not in launch and "link this speaker" in launch


def test_link_this_speaker_then_the_lamp_works(post, services, homes):
    a, _ = homes
    services.homes.directory.unlinked = Unlinked.REFUSE
    response = post(alexa.intent("LinkSpeakerIntent", device_id=STRANGER))
    ssml = alexa.ssml(response)
    digits = __import__("re").findall(r'<say-as interpret-as="digits">(\d)</say-as>', ssml)
    assert len(digits) == 12  # six digits, said twice
    code = "".join(digits[:6])
    assert digits[6:] == digits[:6]
    assert '<prosody rate="slow">' in ssml and "<break" in ssml
    assert "10 minutes" in alexa.speech_text(response)
    assert services.homes.directory.redeem(code, a.id, by="Olu").value == "linked"
    said = alexa.speech_text(
        post(alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=STRANGER))
    )
    assert said.startswith("The lamp is on.")
    assert on(services, a.id, "lamp") is True
    again = alexa.speech_text(post(alexa.intent("LinkSpeakerIntent", device_id=STRANGER)))
    assert "This speaker is linked to Trial home A" in again


def test_an_unlinked_speaker_stops_reaching_the_home(post, services, homes):
    a, _ = homes
    services.homes.directory.unlinked = Unlinked.REFUSE
    services.homes.directory.unlink_speaker(SPEAKER_A)
    said = alexa.speech_text(
        post(alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=SPEAKER_A))
    )
    assert "isn't linked" in said and on(services, a.id, "lamp") is False


def test_stop_and_start_recording_me(post, services, homes):
    from skill.triallog import CONSENT_KEY

    said = alexa.speech_text(post(alexa.intent("StopRecordingMeIntent", device_id=SPEAKER_A)))
    assert "nothing you ask me goes in the trial log" in said
    assert services.state.get(alexa.USER_ID)[CONSENT_KEY] is False
    post(alexa.intent("StartRecordingMeIntent", device_id=SPEAKER_A))
    assert services.state.get(alexa.USER_ID)[CONSENT_KEY] is True


def test_the_trial_log_records_the_home(settings, clock, homes, tmp_path):
    from skill.services import build_services
    from skill.web import create_app

    logged = settings.with_(trial_log=True)
    a, b = homes  # the same data folder: the same homes
    services = build_services(logged, clock=clock)
    app = create_app(logged, services)
    client = app.test_client()
    for speaker in (SPEAKER_A, SPEAKER_B, SPEAKER_B):
        client.post(
            "/alexa", json=alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=speaker)
        )
    store = services.trial_log.store
    assert [e.device for e in store.entries(home=a.id)] == ["lamp"]
    assert len(store.entries(home=b.id)) == 2


def test_lambda_handler_keeps_homes_apart(monkeypatch, tmp_path, clock):
    import skill.lambda_function as lambda_module
    from skill.homes.setup import homes_for
    from skill.settings import Settings

    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "lambda-data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    monkeypatch.delenv("VOICE_DEMO_SKILL_ID", raising=False)
    monkeypatch.setattr(lambda_module, "_runtime", None)
    setup = homes_for(Settings.from_env())
    a = setup.directory.add_home("Trial home A")
    b = setup.directory.add_home("Trial home B")
    setup.directory.import_registry(a.id, HOME_A, "a.yaml")
    setup.directory.import_registry(b.id, HOME_B, "b.yaml")
    setup.directory.link_speaker(a.id, SPEAKER_A)
    try:
        event = alexa.intent("AllOffIntent", device_id=SPEAKER_A)
        response = lambda_module.lambda_handler(json.loads(json.dumps(event)), None)
        assert "aquarium" not in everything(response)
        assert setup.directory.devices_for_home(b.id).read("pump").on is True
        event = alexa.intent("TurnOnIntent", {"device": "lamp"}, device_id=SPEAKER_A)
        lambda_module.lambda_handler(json.loads(json.dumps(event)), None)
        assert setup.directory.devices_for_home(a.id).read("lamp").on is True
        assert setup.directory.devices_for_home(b.id).read("lamp").on is False
    finally:
        lambda_module._runtime = None
