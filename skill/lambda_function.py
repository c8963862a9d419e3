"""Cloud mode: the AWS Lambda entry. Imports nothing from Flask.

The skill and its services are built once per container (cold start) and reused.
In Lambda, API Gateway is not involved: Alexa invokes the function directly and the
SAM template restricts that to our skill id, so only the envelope and skill id are
checked here.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.alexa.builder import build_skill
from skill.alexa.envelope import BadEnvelope, application_id, parse
from skill.services import Services, build_services
from skill.settings import Settings
from skill.speech import speak

log = logging.getLogger()
log.setLevel(logging.INFO)

_runtime: tuple[Services, CustomSkill] | None = None


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


def lambda_handler(event: Any, context: Any = None) -> dict:
    """Alexa's answer for any event: a raise here would be a failed invocation, so the
    last line of defence turns anything unforeseen into the same spoken refusal."""
    try:
        return _handle(event, context)
    except Exception:  # noqa: BLE001 - see the docstring; the traceback goes to the log
        log.exception("unexpected failure handling a Lambda event")
        return _refusal("unexpected failure")


def _handle(event: Any, context: Any) -> dict:
    services, skill = runtime()
    try:
        envelope = parse(event)
    except BadEnvelope as exc:
        return _refusal(str(exc))
    expected = services.settings.skill_id
    if expected and application_id(envelope) != expected:
        return _refusal("request is for another skill")
    response = skill.invoke(request_envelope=envelope, context=context)
    answer = skill.serializer.serialize(response)
    if not isinstance(answer, dict):
        raise TypeError("the skill's response did not serialize to an object")
    return answer
