"""Build real Alexa request envelopes (the shapes Alexa sends) and read responses."""

from __future__ import annotations

import copy
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any, NamedTuple

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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request: dict[str, Any],
    *,
    attributes: dict[str, Any] | None = None,
    new: bool = False,
    user_id: str = USER_ID,
    skill_id: str = SKILL_ID,
    device_id: str = DEVICE_ID,
    apl: bool = False,
    screen: Screen | None = None,
    timestamp: str | None = None,
    session: bool = True,
) -> dict[str, Any]:
    interfaces: dict[str, Any] = {}
    screen = screen or (ECHO_SHOW_5 if apl else None)
    if screen:
        interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": screen.apl_max}}
    system = {
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
        "device": {"deviceId": device_id, "supportedInterfaces": interfaces},
        "apiEndpoint": "https://api.eu.amazonalexa.com",
    }
    body: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": system},
        "request": {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": timestamp or _now(),
            "locale": "en-GB",
            **request,
        },
    }
    if screen:
        body["context"]["Viewport"] = copy.deepcopy(screen.viewport)
    if session:
        body["session"] = {
            "new": new,
            "sessionId": "amzn1.echo-api.session.TEST",
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "attributes": attributes or {},
        }
    return body


def launch(**kw) -> dict[str, Any]:
    kw.setdefault("new", True)
    return envelope({"type": "LaunchRequest"}, **kw)


def slot(
    name: str,
    value: str | None = None,
    *,
    resolved_id: str | None = None,
    resolved_name: str | None = None,
    authority: str = "amzn1.er-authority.echo-sdk.TEST.DEVICE",
    no_match: bool = False,
) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        data["value"] = value
    if resolved_id or no_match:
        status = "ER_SUCCESS_NO_MATCH" if no_match else "ER_SUCCESS_MATCH"
        per = {"authority": authority, "status": {"code": status}}
        if not no_match:
            per["values"] = [{"value": {"name": resolved_name or value, "id": resolved_id}}]
        data["resolutions"] = {"resolutionsPerAuthority": [per]}
    return data


def intent(name: str, slots: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
    """slots: {"device": "lamp"} or {"device": slot("device", "lamp", resolved_id="lamp")}."""
    built = {}
    for key, value in (slots or {}).items():
        built[key] = value if isinstance(value, dict) else slot(key, value)
    return envelope(
        {
            "type": "IntentRequest",
            "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": built},
        },
        **kw,
    )


def session_ended(reason: str = "USER_INITIATED", **kw) -> dict[str, Any]:
    return envelope({"type": "SessionEndedRequest", "reason": reason}, **kw)


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
