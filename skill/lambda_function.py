"""Cloud mode: the AWS Lambda entry. Imports nothing from Flask.

The skill and its services are built once per container (cold start) and reused.
In Lambda, API Gateway is not involved: Alexa invokes the function directly and the
SAM template restricts that to our skill ids, so only the envelope and skill id are
checked here.

One function serves both skills: an event with a top-level "directive" is a Smart Home
directive (skill.smarthome, built on the first one), anything else a custom-skill request.
Events to the Alexa event gateway (ChangeReports) are sent before returning, because the
process freezes as soon as the handler returns.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from ask_sdk_core.skill import CustomSkill

from skill.alexa.builder import build_skill
from skill.alexa.envelope import BadEnvelope, application_id, parse
from skill.services import Services, build_services
from skill.settings import Settings
from skill.speech import speak

if TYPE_CHECKING:
    from skill.smarthome import SmartHome

log = logging.getLogger()
log.setLevel(logging.INFO)

_runtime: tuple[Services, CustomSkill] | None = None
_smart_home: SmartHome | None = None  # built on first use
FLUSH_MARGIN_S = 0.5  # leave this much of the invocation for returning the answer
FLUSH_MAX_S = 2.0


def runtime() -> tuple[Services, CustomSkill]:
    global _runtime
    if _runtime is None:
        services = build_services(Settings.from_env())
        _runtime = (services, build_skill(services))
    return _runtime


if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # Lambda's init phase runs before the first caller is waiting: build there. If a store
    # is unreachable now, the first request tries again rather than the container failing.
    try:
        runtime()
    except Exception:  # noqa: BLE001
        log.exception("warm-up failed; building on the first request instead")


def _refusal(reason: str) -> dict:
    """A valid response envelope that ends the session: Lambda has no HTTP 400."""
    log.warning("refused Alexa request: %s", reason)
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": speak("Sorry, I couldn't read that request.")},
            "shouldEndSession": True,
        },
    }


def smart_home() -> SmartHome:
    global _smart_home
    if _smart_home is None:
        from skill import smarthome

        _smart_home = smarthome.build(runtime()[0])
    return _smart_home


def _flush(context: Any) -> None:
    """Send what is pending for the event gateway while this invocation still runs."""
    if _smart_home is None:
        return
    left = FLUSH_MAX_S
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining):
        left = min(left, remaining() / 1000 - FLUSH_MARGIN_S)
    if not _smart_home.flush(max(0.0, left)):
        log.warning("events for the Alexa event gateway still pending at return")


def lambda_handler(event: Any, context: Any = None) -> dict:
    """Alexa's answer for any event: a raise here would be a failed invocation, so the
    last line of defence turns anything unforeseen into the same spoken refusal."""
    try:
        if isinstance(event, dict) and "directive" in event:
            return _directive(event)
        if isinstance(event, dict) and event.get("voice_demo") == "shadow-documents":
            return _shadow_report(event)
        return _handle(event, context)
    except Exception:  # noqa: BLE001 - see the docstring; the traceback goes to the log
        log.exception("unexpected failure handling a Lambda event")
        return _refusal("unexpected failure")
    finally:
        _flush(context)


def _directive(event: dict[str, Any]) -> dict[str, Any]:
    try:
        handler = smart_home()
    except Exception:  # noqa: BLE001 - a directive still gets an answer Alexa reads
        log.exception("smart-home set-up failed")
        from skill.smarthome import messages

        return messages.error("INTERNAL_ERROR", "the smart-home skill could not start")
    return handler.handle(event)


def _shadow_report(event: dict[str, Any]) -> dict[str, Any]:
    """From the IoT rule on shadow updates: the bridge saw a plug change (docs/smart-home.md)."""
    try:
        handler = smart_home()
        from skill.smarthome.homes import DEFAULT_HOME

        changed = handler.shadow_report(DEFAULT_HOME, runtime()[0].devices, event)
    except Exception:  # noqa: BLE001 - an IoT rule has nobody to show a traceback to
        log.exception("shadow report failed")
        return {"changed": False}
    return {"changed": changed}


def _handle(event: Any, context: Any) -> dict:
    services, skill = runtime()
    try:
        envelope = parse(event)
    except BadEnvelope as exc:
        return _refusal(str(exc))
    expected = services.settings.skill_id
    if expected and application_id(envelope) != expected:
        return _refusal("request is for another skill")
    if services.settings.lwa_client_id and _smart_home is None:
        # A custom-skill switch must reach the Alexa app too (a ChangeReport), even in a
        # container that has not seen a directive yet.
        try:
            smart_home()
        except Exception:  # noqa: BLE001 - the spoken answer matters more than the report
            log.exception("smart-home set-up failed; no ChangeReports from this request")
    response = skill.invoke(request_envelope=envelope, context=context)
    answer = skill.serializer.serialize(response)
    if not isinstance(answer, dict):
        raise TypeError("the skill's response did not serialize to an object")
    return answer
