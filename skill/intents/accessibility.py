"""Per-user speaking rate: "speak more slowly" sticks for that person in every later session.

The rate is stored in the user-state store (SQLite locally, DynamoDB in Lambda) and
`render()` wraps every answer in <prosody rate> from it, so no other module needs to care.
"""

from __future__ import annotations

import logging

from skill import speech
from skill.alexa.turn import Reply, Turn
from skill.intents.core import QUESTION
from skill.triallog.outcome import Outcome

log = logging.getLogger(__name__)

RATE = "rate"


def _set_rate(turn: Turn, rate: str | None, done: str, already: str) -> Reply:
    if turn.preferences.get(RATE) == rate:
        text = already
    else:
        try:
            turn.services.state.put(turn.user_id, RATE, rate)
        except Exception:  # noqa: BLE001 - any store failure: say so rather than pretend
            log.exception("could not store the speaking rate")
            return Reply(
                "Sorry, I couldn't save that just now. Please try again later.",
                outcome=Outcome.UNREACHABLE,
            )
        turn.preferences[RATE] = rate  # this answer already uses the new rate
        text = done
    if turn.oneshot:  # asked in one go ("ask the demo to speak more slowly"): done
        return Reply(text, outcome=Outcome.DONE)
    return Reply(speech.sentences(text, QUESTION), reprompt=QUESTION, outcome=Outcome.DONE)


def slower(turn: Turn) -> Reply:
    return _set_rate(
        turn,
        speech.SLOW_RATE,
        "All right, I'll speak more slowly from now on. Say speak normally to change it back.",
        "I'm already speaking more slowly for you.",
    )


def normally(turn: Turn) -> Reply:
    return _set_rate(
        turn,
        None,
        "All right, I'll speak at my normal speed.",
        "I'm already speaking at my normal speed.",
    )


INTENTS = {
    "SpeakSlowerIntent": slower,
    "SpeakNormallyIntent": normally,
}
