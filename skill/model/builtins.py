"""What Alexa's built-in intents already understand, and how people open a skill.

Alexa trains AMAZON.StopIntent and friends on phrases of its own; a model only lists
extras. The simulator needs those phrases to route "stop" or "yes", and the model check
needs them so a custom sample can't quietly shadow "more" or "help".
"""

from __future__ import annotations

import re

BUILTIN_SAMPLES: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "can you help me", "i need help"),
    "AMAZON.StopIntent": ("stop", "shut up", "quit", "exit", "stop it", "be quiet"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it", "cancel that"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "go to the start", "main menu"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again"),
    "AMAZON.MoreIntent": ("more", "tell me more", "more please", "keep going"),
    "AMAZON.NextIntent": ("next", "next one", "skip", "go on"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "previous one", "last one"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yes please", "sure", "ok", "okay", "go ahead"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "not now"),
}

REQUIRED_BUILTINS = tuple(BUILTIN_SAMPLES) + ("AMAZON.FallbackIntent",)

WAKE_WORDS = ("alexa", "amazon", "echo", "computer", "ziggy")
# Words an invocation name may not contain: Amazon's launch phrases, and "skill"/"app".
LAUNCH_WORDS = (
    "open",
    "start",
    "launch",
    "begin",
    "load",
    "play",
    "resume",
    "run",
    "enable",
    "use",
    "ask",
    "tell",
    "talk to",
    "skill",
    "app",
)
_OPEN = ("open", "start", "launch", "begin", "load", "run", "talk to", "open up", "start up")
_ASK = ("ask", "tell", "use", "have")
# "Alexa, ask <invocation> <connecting word> <request>" (Amazon's supported phrases).
_CONNECTING = ("to", "for", "about", "whether", "if")


def split_invocation(text: str, invocation: str) -> tuple[str, list[str]] | None:
    """Split normalised speech that names the skill into ("launch", []) or ("intent", requests).

    "open learning week demo" launches; "ask learning week demo to turn on the lamp" and
    "turn on the lamp with learning week demo" carry a request. A connecting word may belong
    to the request ("ask … if the lamp is on"), so both readings are offered, shortest first.
    Returns None when the skill isn't named.
    """
    text = re.sub(r"^(?:alexa|echo|computer|amazon)\b\s*", "", text).strip()
    name = re.escape(invocation)
    opens = "|".join(re.escape(w) for w in _OPEN + _ASK)
    if re.fullmatch(rf"(?:{opens}) {name}(?: please)?", text):
        return ("launch", [])
    asks = "|".join(re.escape(w) for w in _ASK)
    m = re.fullmatch(rf"(?:{asks}) {name} (?P<rest>.+)", text) or re.fullmatch(
        rf"(?P<rest>.+?) (?:with|using|from|on|in) {name}", text
    )
    if not m:
        return None
    rest = m["rest"]
    first, _, after = rest.partition(" ")
    return ("intent", [after, rest] if first in _CONNECTING and after else [rest])
