"""Launch, help, stop and the other answers every certified skill must give."""

from __future__ import annotations

import logging

from skill import speech
from skill.alexa.turn import LAST, FollowUp, Reply, Turn
from skill.devices import Policy
from skill.intents.entities import dynamic_entities
from skill.speech import SSML
from skill.triallog.outcome import Outcome

log = logging.getLogger(__name__)

WELCOME = "Welcome to the Learning at Work demo."
QUESTION = "What would you like to do?"


def _examples(turn: Turn) -> SSML:
    """One device and one programme example, taken from what this install really has."""
    devices = turn.devices
    names = [d.name for d in devices.registry.voice_controllable()] if devices else []
    if turn.unlinked:
        return speech.ssml(
            "You can ask what's on now. This speaker isn't linked to a home yet: "
            "to switch things, say link this speaker."
        )
    if names:
        return speech.ssml(
            "You can say things like turn on the {}, or ask what's on now.", names[0]
        )
    return SSML("You can ask what's on now, or what's on this afternoon.")


def launch(turn: Turn) -> Reply:
    directive = dynamic_entities(turn.services, turn.services.clock(), turn.devices.registry)
    examples = _examples(turn)
    return Reply(
        speech.sentences(WELCOME, examples, QUESTION),
        reprompt=speech.sentences(examples, QUESTION),
        directives=[directive] if directive else [],
    )


def help_(turn: Turn) -> Reply:
    devices = turn.devices
    # Only devices voice may switch both ways: the fridge that can't be switched off by
    # voice is not offered "on and off".
    names = [
        d.name
        for d in (devices.registry.voice_controllable() if devices else [])
        if Policy.DENY not in (d.policy(True), d.policy(False))
    ]
    parts: list[object] = [
        "I can tell you about the Learning at Work sessions:"
        " ask what's on now, what's next, or when a session is."
    ]
    if names:
        parts.append(
            speech.ssml(
                "I can also switch the {} on and off, or tell you which are on.",
                speech.join(names),
            )
        )
    parts.append(QUESTION)
    return Reply(speech.sentences(*parts), reprompt=speech.sentences(_examples(turn), QUESTION))


def goodbye(turn: Turn) -> Reply:
    return Reply("Goodbye.", end_session=True, remember=False)


def fallback(turn: Turn) -> Reply:
    return Reply(
        speech.sentences("Sorry, I didn't catch that.", _examples(turn), QUESTION),
        reprompt=speech.sentences(_examples(turn), QUESTION),
        outcome=Outcome.NOT_UNDERSTOOD,
    )


def repeat(turn: Turn) -> Reply:
    last = turn.session.get(LAST)
    if not isinstance(last, dict) or not last.get("speech"):
        reply = fallback(turn)
        reply.speech = speech.sentences("I haven't said anything yet.", _examples(turn), QUESTION)
        reply.outcome = Outcome.INFO
        return reply
    reprompt = last.get("reprompt")
    return Reply(
        SSML(last["speech"]),
        reprompt=SSML(reprompt) if reprompt else None,
        follow_up=FollowUp.from_session(last.get("pending")),
    )


def nothing_to_continue(turn: Turn) -> Reply:
    """ "More", "next" or "yes" when nothing was asked: steer back rather than guess."""
    return Reply(
        speech.sentences("There's nothing to go on with just now.", _examples(turn), QUESTION),
        reprompt=speech.sentences(_examples(turn), QUESTION),
    )


def no_thanks(turn: Turn) -> Reply:
    return Reply("All right. Goodbye.", end_session=True, remember=False)


def session_ended(turn: Turn) -> Reply:
    reason, error = turn.end_reason
    if error is not None:
        log.warning("session ended (%s): %s", reason, error)
    return Reply("", remember=False, silent=True)


INTENTS = {
    "LaunchRequest": launch,
    "AMAZON.HelpIntent": help_,
    "AMAZON.StopIntent": goodbye,
    "AMAZON.CancelIntent": goodbye,
    "AMAZON.FallbackIntent": fallback,
    "AMAZON.NavigateHomeIntent": launch,
    "AMAZON.RepeatIntent": repeat,
    "AMAZON.YesIntent": nothing_to_continue,
    "AMAZON.MoreIntent": nothing_to_continue,
    "AMAZON.NextIntent": nothing_to_continue,
    "AMAZON.PreviousIntent": nothing_to_continue,
    "AMAZON.NoIntent": no_thanks,
    "SessionEndedRequest": session_ended,
}
