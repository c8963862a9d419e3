"""Feedback by voice (issue 20), each path run twice: in words through the simulator (the
shipped interaction model), and as the envelopes Alexa sends through POST /alexa.

The clock is Tuesday 19 May 2026, 10:40 in London, in the shipped demo week: Monday's
"Learn to code" (10:00–11:30) and "Mindfulness at work" (the last Monday session, to
16:15) have ended; "Service design" is on (10:00–11:30); "LinkedIn profile" starts at noon.
Each step's expected words are written once, so the two routes cannot drift apart.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from skill.alexa.builder import build_skill
from skill.feedback import NO, NOT_SURE, YES
from skill.simulator.session import Simulator
from tests import alexa
from tests.alexa import ends_session, speech_text

OTHER_USER = "amzn1.ask.account.SOMEONEELSE"


@dataclass
class Step:
    said: str  # what the person says (the simulator's input)
    intent: str  # what Alexa sends
    slots: dict[str, Any] = field(default_factory=dict)
    speech: str = ""  # words the answer must contain
    opened: bool = True  # does the session stay open?


LAUNCH = Step("open learning week demo", "LaunchRequest", speech="Welcome")
HOW_WAS_CODE = Step(
    "how was learn to code",
    "GiveFeedbackIntent",
    {"session": "learn to code"},
    "How was Learn to code? Say a number from one to five.",
)
EFFECTIVE_Q = "Will you be more effective at work because of it? Say yes, not sure or no."
FOUR = Step(
    "four out of five", "RateSessionIntent", {"rating": "4"}, "Thanks, four. " + EFFECTIVE_Q
)
THANKS = Step("yes", "AMAZON.YesIntent", speech="Thank you for your feedback.", opened=False)


def _bare_four() -> Step:
    """A bare "four" reaches AnswerIntent as AMAZON.TIME 16:00 (the simulator's reading,
    and one Alexa may pick): still the rating four."""
    return Step("four", "AnswerIntent", {"time": "16:00"}, FOUR.speech)


CASES: dict[str, tuple[list[Step], list[tuple[int | None, str | None]]]] = {
    # A whole answer: a number, then loose phrasing for "not sure".
    "full_answer_not_sure": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            _bare_four(),
            Step("maybe", "NotSureIntent", speech="Thank you for your feedback.", opened=False),
        ],
        [(4, NOT_SURE)],
    ),
    "full_answer_in_words": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step("i'd give it five", "RateSessionIntent", {"rating": "5"}, "Thanks, five."),
            Step("i dunno", "NotSureIntent", speech="Thank you for your feedback.", opened=False),
        ],
        [(5, NOT_SURE)],
    ),
    "full_answer_no": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            FOUR,
            Step("no", "AMAZON.NoIntent", speech="Thank you for your feedback.", opened=False),
        ],
        [(4, NO)],
    ),
    "one_shot_from_the_stand_phrase": (
        [
            Step(
                "ask learning week demo how learn to code went",
                "GiveFeedbackIntent",
                {"session": "learn to code"},
                HOW_WAS_CODE.speech,
            ),
            FOUR,
            THANKS,
        ],
        [(4, YES)],
    ),
    # Skippable at every step, keeping what was given.
    "skip_the_rating": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step("skip", "AMAZON.NextIntent", speech=f"All right. {EFFECTIVE_Q}"),
            THANKS,
        ],
        [(None, YES)],
    ),
    "skip_the_second_question": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            FOUR,
            Step(
                "skip this question",
                "SkipIntent",
                speech="Thank you for your feedback.",
                opened=False,
            ),
        ],
        [(4, None)],
    ),
    "skip_both": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step("skip", "AMAZON.NextIntent", speech=EFFECTIVE_Q),
            Step("pass", "SkipIntent", speech="All right. Thanks anyway.", opened=False),
        ],
        [],
    ),
    "stop_at_the_rating": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step(
                "stop",
                "AMAZON.StopIntent",
                speech="All right, no problem. Thanks anyway.",
                opened=False,
            ),
        ],
        [],
    ),
    "no_thanks_at_the_rating": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step("no thanks", "AMAZON.NoIntent", speech="Thanks anyway.", opened=False),
        ],
        [],
    ),
    "stop_at_the_second_question_keeps_the_rating": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            FOUR,
            Step("stop", "AMAZON.StopIntent", speech="Thank you for your feedback.", opened=False),
        ],
        [(4, None)],
    ),
    # A number out of range, or none at all: asked once more, then let go.
    "bad_number_then_a_good_one": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step(
                "seven",
                "AnswerIntent",
                {"time": "19:00"},
                "Seven isn't between one and five. How was Learn to code?",
            ),
            Step("three out of five", "RateSessionIntent", {"rating": "3"}, "Thanks, three."),
            THANKS,
        ],
        [(3, YES)],
    ),
    "bad_number_twice_gives_up": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            Step("nine out of five", "RateSessionIntent", {"rating": "9"}, "Nine isn't between"),
            Step(
                "sing me a song",
                "AMAZON.FallbackIntent",
                speech="Sorry, I still didn't get a number from one to five, so I'll leave it"
                " there. Thanks anyway.",
                opened=False,
            ),
        ],
        [],
    ),
    "second_question_not_heard_twice_keeps_the_rating": (
        [
            LAUNCH,
            HOW_WAS_CODE,
            FOUR,
            Step(
                "sing me a song",
                "AMAZON.FallbackIntent",
                speech=f"Sorry, I didn't catch that. {EFFECTIVE_Q}",
            ),
            Step(
                "sing me a song",
                "AMAZON.FallbackIntent",
                speech="I've kept your rating. Thanks anyway.",
                opened=False,
            ),
        ],
        [(4, None)],
    ),
    # No session named: the last one to finish that asks for feedback.
    "no_session_named": (
        [
            LAUNCH,
            Step(
                "i want to give feedback",
                "GiveFeedbackIntent",
                {},
                "The last session to finish was Mindfulness at work. How was Mindfulness at work?",
            ),
            Step("two stars", "RateSessionIntent", {"rating": "2"}, "Thanks, two."),
            THANKS,
        ],
        [(2, YES)],
    ),
}


def _refusal(said: str, slot: str, speech: str) -> list[Step]:
    return [LAUNCH, Step(said, "GiveFeedbackIntent", {"session": slot}, speech)]


REFUSALS = {
    "on_now": _refusal(
        "how was service design", "service design",
        "Service design hasn't finished yet: it's on until half past eleven.",
    ),
    "not_yet": _refusal(
        "tell us how linkedin profile went", "linkedin profile",
        "LinkedIn profile hasn't happened yet: it's today at noon.",
    ),
    "cancelled": _refusal(
        "how was office 365 tips", "office 365 tips",
        "Office 365 tips was cancelled, so there's nothing to give feedback on.",
    ),
    "not_asking": _refusal(
        "how was 3d printing", "3d printing",
        "Sorry, we aren't collecting feedback for 3D printing.",
    ),
}  # fmt: skip


def _adjust_programme(services) -> None:
    """Office 365 tips (both runs) cancelled; 3D printing asks for no feedback."""
    live = services.programme.current()
    changed = []
    for s in live.sessions:
        if s.title == "Office 365 tips":
            s = replace(s, status="cancelled")
        if s.title == "3D printing":
            s = replace(s, asks_feedback=False)
        changed.append(s)
    services.programme.publish(changed, base=live.version, author="test")


# --- the two routes --------------------------------------------------------------------


def _envelope(step: Step, attributes: dict, user_id: str, new: bool) -> dict:
    if step.intent == "LaunchRequest":
        return alexa.launch(user_id=user_id)
    return alexa.intent(
        step.intent, step.slots or None, attributes=attributes, new=new, user_id=user_id
    )


def run_post(post, steps: list[Step], user_id: str = alexa.USER_ID) -> list[str]:
    attributes: dict = {}
    spoken = []
    for i, step in enumerate(steps):
        response = post(_envelope(step, attributes, user_id, new=i == 0))
        attributes = response.get("sessionAttributes") or {}
        text = speech_text(response)
        assert step.speech in text, (step.said, text)
        assert ends_session(response) is not step.opened, (step.said, text)
        spoken.append(text)
    return spoken


def run_simulator(services, steps: list[Step], user_id: str = alexa.USER_ID) -> list[str]:
    sim = Simulator(
        build_skill(services), services.clock, services.settings.timezone, user_id=user_id
    )
    spoken = []
    for step in steps:
        exchange = sim.say(step.said)
        assert exchange.intent == step.intent, (step.said, exchange.intent)
        assert step.speech in exchange.speech, (step.said, exchange.speech)
        assert exchange.ends_session is not step.opened, (step.said, exchange.speech)
        spoken.append(exchange.speech)
    return spoken


ROUTES = ["post", "simulator"]


def _run(route: str, request, services, steps: list[Step], user_id: str = alexa.USER_ID):
    if route == "post":
        return run_post(request.getfixturevalue("post"), steps, user_id)
    return run_simulator(services, steps, user_id)


def _stored(services) -> list[tuple[str, int | None, str | None]]:
    return [(a.session_id, a.rating, a.effective) for a in services.feedback.store.answers()]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", list(CASES))
def test_feedback_paths(case, route, request, services):
    steps, expected = CASES[case]
    _run(route, request, services, steps)
    session = "mindfulness-at-work" if case == "no_session_named" else "learn-to-code"
    assert _stored(services) == [(session, r, e) for r, e in expected]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", list(REFUSALS))
def test_sessions_that_cannot_take_feedback_are_refused_with_the_reason(
    case, route, request, services
):
    _adjust_programme(services)
    spoken = _run(route, request, services, REFUSALS[case])
    assert "Anything else?" in spoken[-1]  # in a conversation the session stays open
    assert _stored(services) == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_second_answer_from_the_same_speaker_replaces_the_first(route, request, services):
    first = [LAUNCH, HOW_WAS_CODE, FOUR, THANKS]
    again = [LAUNCH, HOW_WAS_CODE,
             Step("i'd give it one", "RateSessionIntent", {"rating": "1"}, "Thanks, one."),
             Step("no", "AMAZON.NoIntent", speech="Thank you", opened=False)]  # fmt: skip
    _run(route, request, services, first)
    _run(route, request, services, again)
    assert _stored(services) == [("learn-to-code", 1, NO)]
    _run(route, request, services, first, user_id=OTHER_USER)  # another speaker: a new answer
    assert sorted(_stored(services)) == [("learn-to-code", 1, NO), ("learn-to-code", 4, YES)]


def test_only_a_keyed_hash_is_stored_never_the_user_id_or_the_words(post, services, settings):
    run_post(post, CASES["full_answer_in_words"][0])
    files = sorted(settings.data_dir.glob("feedback.sqlite3*"))
    assert files, "the answers are in the data folder's feedback.sqlite3"
    stored = b"".join(f.read_bytes() for f in files)
    for secret_thing in (alexa.USER_ID, "TESTUSER", "dunno", "give it five", "TEST"):
        assert secret_thing.encode() not in stored
    secret = (settings.data_dir / "feedback_secret").read_bytes().strip()
    key = hmac.new(secret, f"{alexa.USER_ID}#learn-to-code".encode(), hashlib.sha256)
    (answer,) = services.feedback.store.answers()
    assert answer.speaker == key.hexdigest()
    assert key.hexdigest().encode() in stored
    # The same person and another session: a key that can't be linked to this one.
    other = hmac.new(secret, f"{alexa.USER_ID}#3d-printing".encode(), hashlib.sha256)
    assert other.hexdigest() != answer.speaker


def test_a_rating_with_no_question_asked_says_how_to_give_feedback(post):
    response = post(alexa.intent("RateSessionIntent", {"rating": "4"}, new=True))
    assert "To give feedback on a session, say: tell us how it went" in speech_text(response)
