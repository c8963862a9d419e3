"""Whole conversations in words, through the interaction model and the real skill.

Each turn is what a person would say; the simulator matches it against the shipped
model, builds Alexa's request and reads back the reply. The fixed clock is Tuesday
19 May 2026, 10:40 in London, in the shipped demo week.
"""

import pytest

from skill.alexa.builder import build_skill
from skill.cli import main
from skill.simulator.session import Simulator


@pytest.fixture
def sim(services):
    return Simulator(build_skill(services), services.clock, services.settings.timezone)


def talk(sim, *lines):
    """Say each line; return the exchanges."""
    return [sim.say(line) for line in lines]


def test_devices_conversation(sim, services):
    welcome, on, state, off, heater, yes, which, everything, bye = talk(
        sim,
        "open learning week demo",
        "turn on the lamp",
        "is the light on",
        "turn it off",
        "turn on the heater",
        "yes",
        "which devices are on",
        "turn everything off",
        "stop",
    )
    assert "turn on the lamp" in welcome.speech
    assert on.speech == "The lamp is on. Anything else?"
    assert state.speech == "The lamp is on. Anything else?"
    assert off.speech == "The lamp is off. Anything else?"  # "it" is the lamp
    assert heater.speech == "Do you want me to turn on the heater?"
    assert heater.request["request"]["intent"]["slots"]["device"]["value"] == "heater"
    assert yes.speech.startswith("The heater is on.")
    assert "30 minutes" in yes.speech
    assert which.speech == "The heater and the fridge are on. Anything else?"
    assert everything.speech.startswith("Everything else is off.")
    assert "fridge stays on" in everything.speech
    assert bye.speech == "Goodbye." and bye.ends_session
    assert not any(x.ends_session for x in (welcome, on, state, off, heater, yes, which))
    states = {d.id: services.devices.read(d.id).on for d in services.devices.registry}
    assert states == {"lamp": False, "fan": False, "heater": False, "fridge": True}


def test_programme_with_paging_and_repeat(sim):
    _, first, second, again, back, _, last = talk(
        sim,
        "open learning week demo",
        "what's on tomorrow",
        "more",
        "repeat",
        "previous",
        "more",
        "more",
    )
    assert first.speech.startswith("There are 7 sessions tomorrow. Here are the first three.")
    assert first.speech.endswith("Would you like to hear more?")
    assert "Digital champions masterclass" in first.speech
    assert "Office 365 tips" in second.speech and "Digital champions" not in second.speech
    assert again.speech == second.speech
    assert back.speech == first.speech
    # The skill was opened, so the end of the list asks for more rather than hanging up.
    assert last.speech == (
        "At six o'clock in the evening, Quiz night, in the Staff Café. That's all of them."
        " Anything else?"
    )
    assert not last.ends_session and sim.in_session
    assert talk(sim, "no")[0].ends_session


def test_asking_about_a_session_then_where_and_who_it_is(sim):
    """Visitors say "it": the session just asked about, for the rest of the conversation."""
    _, when, where, who = talk(
        sim,
        "open learning week demo",
        "when is the coding session",
        "where is it",
        "who is running it",
    )
    assert when.speech.startswith("Learn to code is tomorrow at a quarter to eleven")
    assert when.speech.endswith("Anything else?") and not when.ends_session
    assert where.speech.startswith("Learn to code is in the Training Room")
    assert who.speech.startswith("Learn to code is run by")


def test_a_one_shot_list_ends_after_its_last_page(sim):
    first = sim.say("ask learning week demo what's on tomorrow evening")
    assert first.ends_session  # one session: nothing more to offer, and it was a one-shot
    week = sim.say("ask learning week demo what's on tomorrow")
    assert week.speech.endswith("Would you like to hear more?")
    pages = [sim.say("more") for _ in range(2)]
    assert pages[-1].speech.endswith("That's all of them.") and pages[-1].ends_session


def test_asking_about_sessions_by_loose_names(sim):
    when, where, who, details = talk(
        sim,
        "when is three d printing",
        "where is the coding session",
        "who's running service design",
        "tell me about the LinkedIn session",
    )
    assert when.speech == "3D printing is today at two o'clock in the Makerspace."
    assert where.speech.startswith("Learn to code is in the Training Room")
    assert "Service design" in who.speech
    assert "LinkedIn profile" in details.speech
    assert all(x.request["session"]["new"] for x in (when, where, who, details))


def test_help_then_a_question_then_no(sim):
    _, help_, next_, no = talk(
        sim, "open learning week demo", "what can I say", "what's next", "no"
    )
    assert help_.intent == "AMAZON.HelpIntent"
    assert "switch the lamp, fan and heater on and off" in help_.speech  # not the fridge
    assert help_.speech.endswith("What would you like to do?")
    assert next_.speech.startswith("Excel formulas made easy today at eleven o'clock has been")
    assert "Next is LinkedIn profile today at noon" in next_.speech
    assert no.intent == "AMAZON.NoIntent" and no.ends_session


def test_more_when_nothing_was_listed_steers_back(sim):
    _, more = talk(sim, "open learning week demo", "more")
    assert more.speech.startswith("There's nothing to go on with just now.")
    assert not more.ends_session


def test_fallback_keeps_the_session_and_cancel_ends_it(sim):
    _, huh, cancel = talk(sim, "open learning week demo", "sing me a song", "cancel")
    assert huh.intent == "AMAZON.FallbackIntent"
    assert huh.speech.startswith("Sorry, I didn't catch that.")
    assert not huh.ends_session
    assert cancel.speech == "Goodbye." and cancel.ends_session


def test_slower_speech_is_remembered_across_sessions(sim):
    slower, later = talk(sim, "speak slower", "ask learning week demo what's next")
    assert "speak more slowly" in slower.speech
    assert '<prosody rate="85%">' in later.response["response"]["outputSpeech"]["ssml"]
    normal, after = talk(sim, "speak normally", "what's next")
    assert "prosody" not in after.response["response"]["outputSpeech"]["ssml"]


def test_en_us_conversation(services):
    sim = Simulator(build_skill(services), services.clock, locale="en-US")
    _, schedule, off = talk(
        sim, "open learning week demo", "what's the schedule for tomorrow", "shut off the lamp"
    )
    assert schedule.speech.startswith("There are 7 sessions tomorrow.")
    assert off.intent == "TurnOffIntent"
    assert off.speech == "The lamp is off. Anything else?"


def test_cli_state_persists_in_the_data_folder(tmp_path, monkeypatch, capsys):
    """Two separate `voice-demo say` runs agree, as the stand and the skill would."""
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("VOICE_DEMO_DEVICES", raising=False)
    assert main(["say", "turn on the lamp", "--now", "2026-05-19T10:40"]) == 0
    assert capsys.readouterr().out.strip() == "The lamp is on."
    assert main(["say", "is the lamp on", "--now", "2026-05-19T10:41"]) == 0
    assert capsys.readouterr().out.strip() == "The lamp is on."
    assert main(["say", "ask learning week demo to switch the light off"]) == 0
    assert capsys.readouterr().out.strip() == "The lamp is off."
    assert main(["say", "is the lamp on"]) == 0
    assert capsys.readouterr().out.strip() == "The lamp is off."
