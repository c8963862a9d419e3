"""The offline simulator: the envelopes it sends, sessions, dynamic entities, the CLI."""

import json
from datetime import date, time

import pytest

from skill.alexa.builder import build_skill
from skill.cli import main
from skill.programme.model import Session, assign_ids
from skill.simulator.session import Simulator
from tests.conftest import FIXED_NOW

NOW = "2026-05-19T10:40"  # FIXED_NOW in London, for the CLI


@pytest.fixture
def sim(services):
    return Simulator(build_skill(services), services.clock, services.settings.timezone)


def slot(exchange, name):
    return exchange.request["request"]["intent"]["slots"][name]


def test_open_launches_a_new_session(sim):
    ex = sim.say("Alexa, open learning week demo")
    assert ex.request["request"]["type"] == "LaunchRequest"
    assert ex.request["session"]["new"] is True
    assert "Welcome" in ex.speech
    assert not ex.ends_session


def test_nothing_said_launches(sim):
    assert sim.say("").intent == "LaunchRequest"


def test_one_shot_request_is_an_intent_in_a_new_session(sim):
    ex = sim.say("ask learning week demo when is 3D printing")
    request = ex.request["request"]
    assert request["type"] == "IntentRequest"
    assert request["intent"]["name"] == "SessionTimeIntent"
    assert request["locale"] == "en-GB"
    assert request["timestamp"] == "2026-05-19T09:40:00Z"  # the simulator's clock
    assert ex.request["session"]["new"] is True
    assert "3D printing is" in ex.speech


def test_custom_slots_carry_static_resolutions_with_ids(sim):
    ex = sim.say("tell me about the coding session")
    session = slot(ex, "session")
    assert session["value"] == "coding"
    [static] = session["resolutions"]["resolutionsPerAuthority"]
    assert static["authority"].endswith(".SESSION")
    assert static["status"]["code"] == "ER_SUCCESS_MATCH"
    assert static["values"][0]["value"] == {"name": "Learn to code", "id": "learn-to-code"}


def test_unknown_words_in_a_custom_slot_are_no_match(sim):
    ex = sim.say("where is the knitting session")
    session = slot(ex, "session")
    assert session["value"] == "knitting"
    [static] = session["resolutions"]["resolutionsPerAuthority"]
    assert static["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert "couldn't find a session called knitting" in ex.speech


def test_built_in_slots_carry_alexa_values(sim):
    ex = sim.say("what's on on Wednesday afternoon")
    assert slot(ex, "date") == {"name": "date", "confirmationStatus": "NONE", "value": "2026-05-20"}
    assert slot(ex, "time")["value"] == "AF"


def test_every_declared_slot_is_sent_empty_ones_without_value(sim):
    ex = sim.say("what's on this afternoon")
    assert slot(ex, "date") == {"name": "date", "confirmationStatus": "NONE"}
    assert slot(ex, "time")["value"] == "AF"


def test_unmatched_words_go_to_fallback(sim):
    ex = sim.say("make me a cup of tea")
    assert ex.intent == "AMAZON.FallbackIntent"
    assert "didn't catch that" in ex.speech


def test_session_attributes_carry_until_the_skill_ends_the_session(sim):
    sim.say("open learning week demo")
    ex = sim.say("what's on tomorrow")
    assert ex.request["session"]["new"] is False
    assert not ex.ends_session
    more = sim.say("more")
    assert more.request["session"]["attributes"] == ex.response["sessionAttributes"]
    bye = sim.say("stop")
    assert bye.ends_session and not sim.in_session
    again = sim.say("what's next")
    assert again.request["session"]["new"] is True
    assert again.request["session"]["attributes"] == {}
    assert again.request["session"]["sessionId"] != bye.request["session"]["sessionId"]


def test_launch_sends_dynamic_entities_for_live_devices_and_sessions(sim, services):
    ex = sim.say("open learning week demo")
    [directive] = ex.response["response"]["directives"]
    assert directive["type"] == "Dialog.UpdateDynamicEntities"
    assert directive["updateBehavior"] == "REPLACE"
    types = {t["name"]: t["values"] for t in directive["types"]}
    assert {v["id"] for v in types["DEVICE"]} == {d.id for d in services.devices.registry}
    lamp = next(v for v in types["DEVICE"] if v["id"] == "lamp")
    assert "bedside lamp" in lamp["name"]["synonyms"]
    titles = {v["name"]["value"] for v in types["SESSION"]}
    assert titles == {s.title for s in services.programme.current().sessions}


def test_a_session_an_admin_just_added_is_recognised_after_launch(sim, services):
    """No model rebuild: the launch reply's dynamic entities teach Alexa the new title."""
    sim.say("open learning week demo")  # entities built from the old version first
    live = services.programme.current()
    knitting = Session(
        "",
        date(2026, 5, 19),
        time(15, 0),
        time(16, 0),
        "Knitting circle",
        room="Library",
        presenter="Jo",
        aliases=("knitting",),
    )
    services.programme.publish(
        assign_ids([*live.sessions, knitting]), base=live.version, author="admin"
    )
    sim.say("open learning week demo")
    ex = sim.say("when is knitting")
    dynamic, static = slot(ex, "session")["resolutions"]["resolutionsPerAuthority"]
    assert ".dynamic." in dynamic["authority"]
    assert dynamic["status"]["code"] == "ER_SUCCESS_MATCH"
    assert dynamic["values"][0]["value"]["id"] == "knitting-circle"
    assert static["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert "Knitting circle" in ex.speech and "three o'clock" in ex.speech


def test_launch_survives_a_programme_store_outage(sim, services, mocker):
    mocker.patch.object(services.programme, "current", side_effect=OSError("store down"))
    ex = sim.say("open learning week demo")
    assert "Welcome" in ex.speech
    [directive] = ex.response["response"]["directives"]
    assert [t["name"] for t in directive["types"]] == ["DEVICE"]


def test_leaving_an_open_session_sends_session_ended(sim):
    sim.say("open learning week demo")
    ended = sim.end()
    assert ended.request["request"] == {**ended.request["request"], "type": "SessionEndedRequest"}
    assert ended.request["request"]["reason"] == "USER_INITIATED"
    assert sim.end() is None


def test_en_us_model_and_locale(services):
    sim = Simulator(build_skill(services), services.clock, locale="en-US")
    ex = sim.say("what's the schedule for tomorrow")
    assert ex.request["request"]["locale"] == "en-US"
    assert ex.intent == "WhatsOnIntent"
    assert slot(ex, "date")["value"] == "2026-05-20"


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("VOICE_DEMO_DEVICES", raising=False)
    monkeypatch.delenv("VOICE_DEMO_DEMO_WEEK", raising=False)
    return tmp_path / "data"


def test_cli_say_prints_plain_speech(data_folder, capsys):
    assert main(["say", "when is 3D printing", "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3D printing is today at two o'clock")
    assert "<speak>" not in out


def test_cli_say_json_prints_both_envelopes(data_folder, capsys):
    assert main(["say", "what's next", "--json", "--now", NOW]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["request"]["request"]["intent"]["name"] == "WhatsNextIntent"
    assert printed["response"]["response"]["outputSpeech"]["ssml"].startswith("<speak>")


def test_cli_say_rejects_a_bad_now(data_folder, capsys):
    assert main(["say", "hello", "--now", "teatime"]) == 2
    assert "--now" in capsys.readouterr().err


def test_cli_chat_keeps_the_session_until_the_skill_ends_it(data_folder, capsys, monkeypatch):
    lines = iter(["open learning week demo", "what's on tomorrow", "more", "stop", "help"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert main(["chat", "--now", NOW]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in out] == ["alexa>"] * 4
    assert out[0].startswith("alexa> Welcome")
    assert out[-1] == "alexa> Goodbye."
    assert next(lines) == "help"  # chat left when the skill ended the session


def test_fixed_now_matches_the_cli_now():
    assert FIXED_NOW.strftime("%Y-%m-%dT%H:%M") == "2026-05-19T09:40"


def test_dynamic_entities_stay_within_alexas_limit_soonest_first(sim, services):
    """A big programme: every device, then sessions not yet over, 100 entities in all."""
    live = services.programme.current()
    many = [
        Session(
            "",
            date(2026, 5, 18 + n % 5),
            time(8 + n % 12, 0),
            time(8 + n % 12, 30),
            f"Workshop {n}",
        )
        for n in range(180)
    ]
    services.programme.publish(assign_ids(many), base=live.version, author="admin")
    ex = sim.say("open learning week demo")
    types = {t["name"]: t["values"] for t in ex.response["response"]["directives"][0]["types"]}
    assert len(types["DEVICE"]) == len(services.devices.registry)
    assert len(types["DEVICE"]) + len(types["SESSION"]) == 100
    programme = services.programme.current()
    firsts = [programme.by_id(v["id"]) for v in types["SESSION"]]
    assert all(programme.ends(s) > FIXED_NOW for s in firsts)
