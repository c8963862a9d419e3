"""Issue 19's conversations, each run twice: in words through the simulator, and as the
envelopes Alexa sends through POST /alexa.

The programme is tests/data/law_week.csv (a 9-to-4 drop-in, a cancelled Thursday talk, a
presenter called "Learning & Development", emoji in admin text). Built-in slots carry what
Alexa sends: ISO dates (`2026-05-21`), `AF`, `2026-05`, `PRESENT_REF`; custom slots carry
what the person said, resolved by the dynamic authority after a launch (the programme's
own session ids) and unresolved (ER_SUCCESS_NO_MATCH) for made-up titles. Each step's
expected words are written once, so the two routes cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.alexa.builder import build_skill
from skill.programme.formats import csv_format
from skill.simulator import envelopes
from skill.simulator.session import Simulator
from tests import alexa
from tests.alexa import ends_session, reprompt_text, speech_text
from tests.conftest import LAW_WEEK

SKILL = alexa.SKILL_ID


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the week of Monday 18 May 2026, London time (BST, UTC+1)."""
    return datetime(2026, 5, day, hour - 1, minute, tzinfo=UTC)


def _authority(slot_type: str, dynamic: bool) -> str:
    middle = "dynamic." if dynamic else ""
    return f"amzn1.er-authority.echo-sdk.{middle}{SKILL}.{slot_type}"


def custom(name: str, slot_type: str, said: str, value_id: str | None, launched: bool) -> dict:
    """A custom slot as Alexa sends it: the dynamic authority first once a launch sent
    dynamic entities, then the static one (which knows only the shipped week)."""
    per = []
    if launched:
        values = [{"id": value_id, "name": said}] if value_id else []
        per.append(envelopes.authority_result(_authority(slot_type, True), values))
    static = [{"id": value_id, "name": said}] if value_id and slot_type == "DEVICE" else []
    per.append(envelopes.authority_result(_authority(slot_type, False), static))
    return envelopes.slot_with(name, said, per)


@dataclass
class Step:
    said: str  # what the person says (the simulator's input)
    intent: str  # what Alexa sends ("LaunchRequest" for a launch)
    slots: dict[str, Any] = field(default_factory=dict)  # built-ins as values, customs as
    # (type, said, id or None)
    speech: str = ""
    opened: bool = True  # does the session stay open?


@dataclass
class Case:
    now: datetime
    steps: list[Step]


# --- the cases of the issue --------------------------------------------------------------

LAUNCH = Step("open learning week demo", "LaunchRequest", speech="")

CASES = {
    "it_is_the_session_just_named_after_whats_next": Case(at(19, 10), [
        LAUNCH,
        Step("what's next", "WhatsNextIntent", {},
             "Next is Office 365 hands-on today at eleven o'clock, in Training Room 1."
             " Anything else?"),
        Step("who is running it", "SessionPresenterIntent",
             {"session": ("SESSION", "it", None)},
             "Office 365 hands-on is run by Learning & Development. Anything else?"),
    ]),
    "it_is_nobody_after_a_list_of_two": Case(at(18, 9), [
        LAUNCH,
        Step("where is learn to code", "SessionRoomIntent",
             {"session": ("SESSION", "learn to code", "learn-to-code")},
             "Learn to code is in Training Room 1, today at one o'clock. Anything else?"),
        Step("what's on today", "WhatsOnIntent", {"date": "2026-05-18"},
             "There are 2 sessions today. At ten o'clock, Introduction to service design,"
             " in Committee Room A. At one o'clock, Learn to code, in Training Room 1."
             " Anything else?"),
        Step("who is running it", "SessionPresenterIntent",
             {"session": ("SESSION", "it", None)},
             "You could ask about Introduction to service design or Learn to code. Which"
             " session would you like to know about?"),
    ]),
    "it_is_the_session_on_now": Case(at(19, 11, 30), [
        LAUNCH,
        Step("what's on now", "WhatsOnNowIntent", {},
             "Right now: Office 365 hands-on in Training Room 1, until noon. Anything else?"),
        Step("where is it", "SessionRoomIntent", {"session": ("SESSION", "it", None)},
             "Office 365 hands-on is on now in Training Room 1, until noon. Anything else?"),
    ]),
    "a_drop_in_running_through_the_afternoon_is_on_this_afternoon": Case(at(21, 10), [
        LAUNCH,
        Step("what's on this afternoon", "WhatsOnIntent", {"time": "AF"},
             "There is one session this afternoon. On now until four o'clock, Mobile"
             " innovation space, in the Atrium. Anything else?"),
        Step("where is the innovation space", "SessionRoomIntent",
             {"session": ("SESSION", "innovation space", "mobile-innovation-space")},
             "Mobile innovation space is on now in the Atrium, until four o'clock."
             " Anything else?"),
    ]),
    "a_cancelled_session_in_a_list_of_the_past": Case(at(22, 10), [
        Step("ask learning week demo what's on yesterday", "WhatsOnIntent",
             {"date": "2026-05-21"},
             "There were 2 sessions yesterday, one of them cancelled. At nine o'clock,"
             " Mobile innovation space, in the Atrium. At a quarter to twelve, Virtual"
             " presentation, in Training Room 2, but it was cancelled.", opened=False),
    ]),
    "a_drop_in_is_on_on_thursday_afternoon": Case(at(18, 10), [
        Step("ask learning week demo what's on thursday afternoon", "WhatsOnIntent",
             {"date": "2026-05-21", "time": "AF"},
             "There is one session on Thursday afternoon. From nine o'clock until four"
             " o'clock, Mobile innovation space, in the Atrium.", opened=False),
    ]),
    "a_cancelled_session_that_was_due_yesterday": Case(at(22, 10), [
        Step("ask learning week demo when is the virtual presentation", "SessionTimeIntent",
             {"session": ("SESSION", "the virtual presentation", None)},
             "Virtual presentation was due yesterday at a quarter to twelve, but it was"
             " cancelled. It isn't on again.", opened=False),
    ]),
    "a_cancelled_session_still_to_come": Case(at(18, 10, 30), [
        Step("ask learning week demo where is the virtual presentation", "SessionRoomIntent",
             {"session": ("SESSION", "the virtual presentation", None)},
             "Virtual presentation would have been in Training Room 2, on Thursday at a"
             " quarter to twelve, but it has been cancelled.", opened=False),
    ]),
    "a_made_up_title_gets_did_you_mean_and_yes": Case(at(18, 9), [
        LAUNCH,
        Step("when is the office party", "SessionTimeIntent",
             {"session": ("SESSION", "the office party", None)},
             "Did you mean Office 365 hands-on?"),
        Step("yes", "AMAZON.YesIntent", {},
             "Office 365 hands-on is tomorrow at eleven o'clock in Training Room 1."
             " Anything else?"),
        Step("when is the design sprint", "SessionTimeIntent",
             {"session": ("SESSION", "the design sprint", None)},
             "Did you mean Introduction to service design?"),
        Step("no", "AMAZON.NoIntent", {},
             "All right. You could ask about Introduction to service design or Learn to"
             " code. Which session would you like to know about?"),
        Step("the robot coding club", "AnswerIntent",
             {"session": ("SESSION", "robot coding club", "robot-coding-club")},
             "Robot coding club is on Wednesday at ten o'clock in the Makerspace."
             " Anything else?"),
    ]),
    "a_title_sharing_one_word_in_three_is_no_match": Case(at(18, 9), [
        LAUNCH,
        Step("where is the champions league final", "SessionRoomIntent",
             {"session": ("SESSION", "the champions league final", None)},
             "Sorry, I couldn't find a session called the champions league final. You could"
             " ask about Introduction to service design or Learn to code. Which session"
             " would you like to know about?"),
    ]),
    "a_presenter_is_not_a_session": Case(at(18, 9), [
        Step("ask learning week demo who is running learning and development",
             "SessionPresenterIntent",
             {"session": ("SESSION", "learning and development", None)},
             "Learning & Development is running Office 365 hands-on and Digital Champions"
             " masterclass.", opened=False),
    ]),
    "the_skill_takes_a_bare_device_as_the_answer_to_its_question": Case(at(19, 10), [
        LAUNCH,
        Step("turn it on", "TurnOnIntent", {"device": None},
             "Which device do you mean? I can switch the lamp, the fan, the heater or the"
             " fridge."),
        Step("the fan", "AnswerIntent", {"device": ("DEVICE", "fan", "fan")},
             "The fan is on. Anything else?"),
    ]),
    "no_session_left_open_with_nothing_asked": Case(at(18, 9), [
        LAUNCH,
        Step("when is the pottery class", "SessionTimeIntent",
             {"session": ("SESSION", "the pottery class", None)},
             "Sorry, I couldn't find a session called the pottery class. You could ask about"
             " Introduction to service design or Learn to code. Which session would you"
             " like to know about?"),
        Step("learn to code", "AnswerIntent",
             {"session": ("SESSION", "learn to code", "learn-to-code")},
             "Learn to code is today at one o'clock in Training Room 1. Anything else?"),
    ]),
    "speech_polish": Case(at(18, 9), [
        LAUNCH,
        Step("tell me about office 365 hands-on", "SessionDetailsIntent",
             {"session": ("SESSION", "office 365 hands on", "office-365-hands-on")},
             "Office 365 hands-on is tomorrow at eleven o'clock in Training Room 1 with"
             " Learning & Development. Get to grips with Teams and OneDrive. Anything else?"),
        Step("tell me about learn to code", "SessionDetailsIntent",
             {"session": ("SESSION", "learn to code", "learn-to-code")},
             "Learn to code is today at one o'clock in Training Room 1 with 2timesdo. Write"
             " your first lines of Python. Anything else?"),
        Step("what's on friday", "WhatsOnIntent", {"date": "2026-05-22"},
             "There is one session on Friday. At ten o'clock, Wellbeing walk, in the Main"
             " Foyer. Anything else?"),
        Step("where is digital champions", "SessionRoomIntent",
             {"session": ("SESSION", "digital champions", "digital-champions-masterclass")},
             "Digital Champions masterclass is in Committee Room A, tomorrow at two o'clock."
             " Anything else?"),
    ]),
    "the_model_hears_aliases_in_phrases_and_months": Case(at(18, 9), [
        LAUNCH,
        Step("where are the robots", "SessionRoomIntent",
             {"session": ("SESSION", "robots", "robot-coding-club")},
             "Robot coding club is in the Makerspace, on Wednesday at ten o'clock."
             " Anything else?"),
        Step("what's on in may", "WhatsOnIntent", {"date": "2026-05"},
             "There are 8 sessions in May, one of them cancelled. Here are the first three."
             " Today at ten o'clock, Introduction to service design, in Committee Room A."
             " At one o'clock, Learn to code, in Training Room 1. Tomorrow at eleven"
             " o'clock, Office 365 hands-on, in Training Room 1. Would you like to hear"
             " more?"),
    ]),
}  # fmt: skip


@pytest.fixture
def law_week(services):
    parsed = csv_format.parse(LAW_WEEK.read_text(encoding="utf-8"), "Europe/London")
    assert parsed.ok, parsed.errors
    programme = services.programme
    programme.publish(parsed.sessions, base=programme.live_version_id(), author="test")
    return services


def _builtins(slots: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in slots.items() if isinstance(v, str)}


@pytest.mark.parametrize("name", list(CASES))
def test_through_the_simulator(name, law_week, clock):
    case = CASES[name]
    clock.now = case.now
    sim = Simulator(
        build_skill(law_week), law_week.clock, law_week.settings.timezone, skill_id=SKILL
    )
    for step in case.steps:
        exchange = sim.say(step.said)
        assert exchange.intent == step.intent, step.said
        sent = exchange.request["request"].get("intent", {}).get("slots", {})
        for slot, value in _builtins(step.slots).items():
            assert sent[slot]["value"] == value, (step.said, slot)  # as Alexa sends it
        if step.speech:
            assert exchange.speech == step.speech, step.said
        assert exchange.ends_session is not step.opened, step.said


@pytest.mark.parametrize("name", list(CASES))
def test_through_post_alexa(name, law_week, clock, post):
    case = CASES[name]
    clock.now = case.now
    attributes: dict[str, Any] = {}
    launched, new = False, True
    for step in case.steps:
        if step.intent == "LaunchRequest":
            body = alexa.launch()
            launched = True
        else:
            slots = {}
            for slot, value in step.slots.items():
                if isinstance(value, tuple):
                    slots[slot] = custom(slot, value[0], value[1], value[2], launched)
                else:
                    slots[slot] = envelopes.slot_with(slot, value)
            body = alexa.intent(step.intent, slots, attributes=attributes, new=new)
        response = post(body)
        new = False
        attributes = response.get("sessionAttributes") or {}
        if step.speech:
            assert speech_text(response) == step.speech, step.said
        assert ends_session(response) is not step.opened, step.said
        if step.opened:  # a session left open always asks something
            assert reprompt_text(response), step.said


def test_emoji_stay_on_the_screen(law_week, clock, post):
    clock.now = at(18, 9)
    response = post(alexa.intent("WhatsOnIntent", {"date": "2026-05-22"}, new=True, apl=True))
    assert "🚶" not in speech_text(response)
    directives = response["response"].get("directives") or []
    assert "Wellbeing walk 🚶" in str(directives)


def test_present_ref_is_what_is_on_now(law_week, clock, post):
    """Alexa sends "what's on right now" to a {date} slot as PRESENT_REF."""
    clock.now = at(19, 11, 30)
    response = post(alexa.intent("WhatsOnIntent", {"date": "PRESENT_REF"}, new=True))
    assert speech_text(response) == (
        "Right now: Office 365 hands-on in Training Room 1, until noon."
    )
