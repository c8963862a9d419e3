"""Build real Alexa request envelopes (the shapes Alexa sends) and read responses."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any, NamedTuple

from skill.simulator import envelopes
from skill.simulator.envelopes import slot  # noqa: F401 - the tests' slot builder

SKILL_ID = "amzn1.ask.skill.test-0000"
USER_ID = "amzn1.ask.account.TESTUSER"
DEVICE_ID = "amzn1.ask.device.TESTDEVICE"


class Screen(NamedTuple):
    """A screen device as requests describe it: context.Viewport and its APL runtime."""

    viewport: dict[str, Any]
    apl_max: str


def _hub(width: int, height: int, dpi: int, shape: str = "RECTANGLE") -> dict[str, Any]:
    return {
        "experiences": [
            {"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}
        ],
        "mode": "HUB",
        "shape": shape,
        "pixelWidth": width,
        "pixelHeight": height,
        "dpi": dpi,
        "currentPixelWidth": width,
        "currentPixelHeight": height,
        "touch": ["SINGLE"],
    }


ECHO_SHOW_5 = Screen(_hub(1024, 600, 160), "2023.3")
ECHO_SHOW_8 = Screen(_hub(1280, 800, 213), "2024.2")
ECHO_SHOW_10 = Screen(_hub(1280, 800, 160), "2024.2")
ECHO_SPOT = Screen(_hub(480, 480, 160, "ROUND"), "1.1")
SCREENS = {
    "echo-show-5": ECHO_SHOW_5,
    "echo-show-8": ECHO_SHOW_8,
    "echo-show-10": ECHO_SHOW_10,
    "echo-spot": ECHO_SPOT,
}


def envelope(
    request: dict[str, Any],
    *,
    apl: bool = False,
    screen: Screen | None = None,
    user_id: str = USER_ID,
    skill_id: str = SKILL_ID,
    device_id: str = DEVICE_ID,
    **kw,
) -> dict[str, Any]:
    """The package's envelope (the simulator sends the same) with the tests' ids and screens."""
    screen = screen or (ECHO_SHOW_5 if apl else None)
    return envelopes.envelope(
        request,
        user_id=user_id,
        skill_id=skill_id,
        device_id=device_id,
        apl_max=screen.apl_max if screen else None,
        viewport=copy.deepcopy(screen.viewport) if screen else None,
        session_id="amzn1.echo-api.session.TEST",
        **kw,
    )


def launch(**kw) -> dict[str, Any]:
    kw.setdefault("new", True)
    return envelope(envelopes.LAUNCH, **kw)


def intent(name: str, slots: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
    """slots: {"device": "lamp"} or {"device": slot("device", "lamp", resolved_id="lamp")}."""
    return envelope(envelopes.intent_request(name, slots), **kw)


def session_ended(reason: str = "USER_INITIATED", **kw) -> dict[str, Any]:
    return envelope(envelopes.session_ended_request(reason), **kw)


def ssml(response: dict[str, Any]) -> str:
    return response["response"]["outputSpeech"]["ssml"]


def speech_text(response: dict[str, Any]) -> str:
    """The spoken words as plain text; also proves the SSML is well-formed XML."""
    root = ET.fromstring(ssml(response))
    assert root.tag == "speak"
    return " ".join("".join(root.itertext()).split())


def reprompt_text(response: dict[str, Any]) -> str | None:
    reprompt = response["response"].get("reprompt")
    if not reprompt:
        return None
    root = ET.fromstring(reprompt["outputSpeech"]["ssml"])
    return " ".join("".join(root.itertext()).split())


def ends_session(response: dict[str, Any]) -> bool:
    return bool(response["response"].get("shouldEndSession"))


class Conversation:
    """Carries session attributes between turns, as Alexa does."""

    def __init__(self, send, **defaults) -> None:
        self.send = send
        self.attributes: dict[str, Any] = {}
        self.defaults = defaults
        self.last: dict[str, Any] | None = None

    def _go(self, body: dict[str, Any]) -> dict[str, Any]:
        self.last = self.send(body)
        self.attributes = self.last.get("sessionAttributes") or {}
        return self.last

    def launch(self) -> str:
        return speech_text(self._go(launch(**self.defaults)))

    def ask(self, name: str, slots: dict[str, Any] | None = None) -> str:
        return speech_text(
            self._go(intent(name, slots, attributes=self.attributes, **self.defaults))
        )
