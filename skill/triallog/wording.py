"""The words OTs read for the codes the log stores: one table, used by the pages and the CSV.

The log keeps identifiers (`WhatsOnNowIntent`, `not_understood`) so it stays small and can't
hold what was said; this is the only place they become sentences ("Asked what's on now",
"Not understood", "Turned on the lamp"), so the page, the per-home page and the export
always agree.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from skill.triallog.outcome import Outcome

#: How each outcome reads, as a column heading, a chart legend and a CSV cell.
OUTCOME_WORDS: dict[str, str] = {
    Outcome.DONE: "Worked",
    Outcome.NOT_UNDERSTOOD: "Not understood",
    Outcome.UNREACHABLE: "Device did not answer",
    Outcome.REFUSED: "Not allowed by voice",
    Outcome.INFO: "Answered",
}


class Asked(NamedTuple):
    """What a request was when the device confirmed it worked, and otherwise (`{device}` is
    its name): an answer that only asked "shall I?" must not read "Turned on the lamp"."""

    worked: str
    tried: str


#: Every intent and request the skill answers. A device intent names the device.
REQUEST_WORDS: dict[str, Asked] = {
    "TurnOnIntent": Asked("Turned on the {device}", "Asked to turn on the {device}"),
    "TurnOffIntent": Asked("Turned off the {device}", "Asked to turn off the {device}"),
    "DeviceStateIntent": Asked("Asked if the {device} is on", "Asked if the {device} is on"),
    "WhichDevicesOnIntent": Asked("Asked which devices are on", "Asked which devices are on"),
    "AllOffIntent": Asked("Turned everything off", "Asked to turn everything off"),
    "WhatsOnNowIntent": Asked("Asked what's on now", "Asked what's on now"),
    "WhatsNextIntent": Asked("Asked what's next", "Asked what's next"),
    "WhatsOnIntent": Asked("Asked what's on a day", "Asked what's on a day"),
    "SessionTimeIntent": Asked("Asked when a session is", "Asked when a session is"),
    "SessionDetailsIntent": Asked("Asked about a session", "Asked about a session"),
    "SessionRoomIntent": Asked("Asked where a session is", "Asked where a session is"),
    "SessionPresenterIntent": Asked("Asked who runs a session", "Asked who runs a session"),
    "AnswerIntent": Asked("Answered a question", "Answered a question"),
    "SpeakSlowerIntent": Asked("Asked Alexa to speak slower", "Asked Alexa to speak slower"),
    "SpeakNormallyIntent": Asked("Asked Alexa to speak normally", "Asked to speak normally"),
    "LinkSpeakerIntent": Asked("Linked the speaker to a home", "Asked to link the speaker"),
    "StopRecordingMeIntent": Asked("Asked to stop recording", "Asked to stop recording"),
    "StartRecordingMeIntent": Asked("Asked to start recording", "Asked to start recording"),
    "GiveFeedbackIntent": Asked("Gave feedback on a session", "Gave feedback on a session"),
    "RateSessionIntent": Asked("Rated a session", "Rated a session"),
    "NotSureIntent": Asked("Said not sure", "Said not sure"),
    "SkipIntent": Asked("Skipped a question", "Skipped a question"),
    "RemindMeIntent": Asked("Asked for a reminder", "Asked for a reminder"),
    "ListRemindersIntent": Asked("Asked which reminders are set", "Asked which reminders are set"),
    "CancelReminderIntent": Asked("Cancelled a reminder", "Asked to cancel a reminder"),
    "Connections.Response": Asked(
        "Answered Alexa's permission question", "Answered Alexa's permission question"
    ),
    "AMAZON.HelpIntent": Asked("Asked for help", "Asked for help"),
    "AMAZON.StopIntent": Asked("Said stop", "Said stop"),
    "AMAZON.CancelIntent": Asked("Said cancel", "Said cancel"),
    "AMAZON.FallbackIntent": Asked("Said something else", "Said something else"),
    "AMAZON.NavigateHomeIntent": Asked("Went back to the start", "Went back to the start"),
    "AMAZON.RepeatIntent": Asked("Asked Alexa to repeat", "Asked Alexa to repeat"),
    "AMAZON.MoreIntent": Asked("Asked for more", "Asked for more"),
    "AMAZON.NextIntent": Asked("Asked for the next ones", "Asked for the next ones"),
    "AMAZON.PreviousIntent": Asked("Asked for the previous ones", "Asked for the previous ones"),
    "AMAZON.YesIntent": Asked("Said yes: switched the {device}", "Said yes to the {device}"),
    "AMAZON.NoIntent": Asked("Said no", "Said no"),
    "LaunchRequest": Asked("Opened the skill", "Opened the skill"),
    "SessionEndedRequest": Asked("Left the skill", "Left the skill"),
}
UNKNOWN = Asked("Asked something else", "Asked something else")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _asked(intent: str) -> Asked:
    """The table's words; an intent added since reads as its name in words ("Asked: set
    reminder"), never as a code, until it gets a line here."""
    if intent in REQUEST_WORDS:
        return REQUEST_WORDS[intent]
    name = intent.removeprefix("AMAZON.").removesuffix("Intent").removesuffix("Request")
    if not name or intent == "Other" or not name.isalnum():
        return UNKNOWN
    words = _CAMEL.sub(" ", name).lower()
    return Asked(f"Asked: {words}", f"Asked: {words}")


NO_DEVICE = "device"  # "Asked to turn on the device" when no device was recognised


def outcome_words(outcome: str) -> str:
    return OUTCOME_WORDS.get(outcome, OUTCOME_WORDS[Outcome.INFO])


def device_name(device: str | None) -> str:
    """A registry id as words ("reading-lamp" -> "reading lamp"): ids are what people say."""
    if not device:
        return NO_DEVICE
    return " ".join(device.replace("_", " ").replace("-", " ").split())


def what_happened(intent: str, device: str | None, outcome: str) -> str:
    """One plain sentence for one entry: "Turned on the lamp", "Not understood"."""
    if outcome == Outcome.NOT_UNDERSTOOD and (
        intent not in REQUEST_WORDS or intent == "AMAZON.FallbackIntent" or not device
    ):
        return OUTCOME_WORDS[Outcome.NOT_UNDERSTOOD]
    asked = _asked(intent)
    name = device_name(device)
    if outcome == Outcome.DONE:
        return asked.worked.format(device=name)
    if outcome not in OUTCOME_WORDS or outcome == Outcome.INFO:  # answered, or asked "sure?"
        return asked.tried.format(device=name)
    result = outcome_words(outcome).lower()
    return f"{asked.tried.format(device=name)}: {result}"
