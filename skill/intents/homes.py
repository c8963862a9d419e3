"""Linking a speaker to a home, and a person's say over the trial log.

"Link this speaker" gets a six-digit code, said slowly digit by digit; the OT types it on
the home's admin page, which links this Echo (`context.System.device.deviceId`) to the home.
"Stop recording me" / "start recording me" set the person's trial-log consent.
"""

from __future__ import annotations

import logging

from skill import speech
from skill.alexa.turn import Reply, Turn
from skill.homes.directory import CODE_VALID_S
from skill.speech import SSML
from skill.triallog import CONSENT_KEY
from skill.triallog.outcome import Outcome

log = logging.getLogger(__name__)

SET_UP = (
    "This speaker isn't linked to a home yet, so it can't switch anything. "
    "To set it up, say: link this speaker, and give the code to your occupational therapist."
)


def spoken_code(code: str) -> SSML:
    """Six digits, one at a time, slowly, with a pause between: easy to write down."""
    digits = speech.pause(400).join(
        SSML(f'<say-as interpret-as="digits">{d}</say-as>') for d in code if d.isdigit()
    )
    return SSML(f'<prosody rate="slow">{digits}</prosody>')


def link_speaker(turn: Turn) -> Reply:
    homes = turn.services.homes
    if homes is None or not turn.device_id:
        return Reply(
            "I can't tell which speaker this is, so I can't link it. "
            "Please try again from the Echo you want to link.",
            outcome=Outcome.NOT_UNDERSTOOD,
        )
    issued = homes.directory.issue_code(turn.device_id)
    if issued is None:
        return Reply(
            "I've given this speaker several codes in the last few minutes. "
            "Please wait ten minutes, then ask me again.",
            outcome=Outcome.REFUSED,
        )
    minutes = CODE_VALID_S // 60
    current = homes.directory.home_for_speaker(turn.device_id)
    opening: SSML | str = "To link this speaker to a home,"
    if current is not None:
        label = homes.directory.home(current).label
        opening = speech.ssml("This speaker is linked to {}. To move it to another home,", label)
    code = spoken_code(issued.code)
    text = speech.sentences(
        opening,
        "type this code on the home's admin page:",
        code,
        speech.pause(700),
        "Again:",
        code,
        speech.ssml("The code works for {} minutes.", str(minutes)),
    )
    log.info("link code issued for a speaker (valid %d min)", minutes)
    return Reply(
        text,
        end_session=True,
        card=("Link this speaker", f"Code: {issued.code} (valid {minutes} minutes)"),
        remember=True,
    )


def not_set_up(turn: Turn) -> Reply:
    """What a speaker linked to no home hears for any device request (refuse mode)."""
    return Reply(SET_UP, outcome=Outcome.REFUSED)


def _consent(turn: Turn, value: bool, done: str) -> Reply:
    try:
        turn.services.state.put(turn.user_id, CONSENT_KEY, value)
    except Exception:  # noqa: BLE001 - any store failure: say so rather than pretend
        log.exception("could not store trial-log consent")
        return Reply(
            "Sorry, I couldn't save that just now. Please try again later.",
            outcome=Outcome.UNREACHABLE,
        )
    turn.preferences[CONSENT_KEY] = value  # this very answer follows the new choice
    return Reply(done, outcome=Outcome.DONE)


def stop_recording(turn: Turn) -> Reply:
    return _consent(
        turn,
        False,
        "All right. From now on, nothing you ask me goes in the trial log. "
        "Say start recording me if you change your mind.",
    )


def start_recording(turn: Turn) -> Reply:
    return _consent(
        turn,
        True,
        "All right. What you ask me goes in the trial log again, without your voice or words. "
        "Say stop recording me to stop.",
    )


INTENTS = {
    "LinkSpeakerIntent": link_speaker,
    "StopRecordingMeIntent": stop_recording,
    "StartRecordingMeIntent": start_recording,
}
