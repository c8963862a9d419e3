"""Turn raw request bytes into a RequestEnvelope, or say plainly why not.

Both entry points (Flask and Lambda) use this, so a malformed request is refused the
same way everywhere instead of surfacing as an SDK exception.
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope


class BadEnvelope(SerializationException, ValueError):
    """The request is not an Alexa request envelope we can read."""


class EnvelopeSerializer(DefaultSerializer):  # type: ignore[misc]
    """The SDK's serializer, but a request body is parsed once and its shape checked first.

    The SDK's `deserialize` takes a JSON string; `from_payload` takes what `load` already
    parsed, so neither entry point reads the body twice.
    """

    def deserialize(self, payload: Any, obj_type: Any) -> Any:
        if obj_type is RequestEnvelope and isinstance(payload, bytes | str):
            return self.from_payload(load(payload))
        return super().deserialize(payload, obj_type)

    def from_payload(self, payload: dict[str, Any]) -> RequestEnvelope:
        try:
            # The SDK's own model walk, minus its json.loads (private, hence the long name).
            envelope = self._DefaultSerializer__deserialize(payload, RequestEnvelope)
        except Exception as exc:  # noqa: BLE001 - the SDK raises several kinds on odd input
            raise BadEnvelope(f"envelope could not be read: {exc.__class__.__name__}") from None
        _require(envelope is not None and envelope.request is not None, "envelope has no request")
        return envelope


_serializer = EnvelopeSerializer()


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise BadEnvelope(reason)


def check_shape(payload: Any) -> None:
    """The fields every handler relies on, with the types they rely on."""
    _require(isinstance(payload, dict), "envelope must be a JSON object")
    request = payload.get("request")
    _require(isinstance(request, dict), "envelope has no request object")
    _require(isinstance(request.get("type"), str) and request["type"], "request has no type")
    _require(isinstance(request.get("requestId", ""), str), "requestId must be a string")
    _require(isinstance(request.get("timestamp", ""), str), "timestamp must be a string")
    context = payload.get("context")
    _require(
        isinstance(context, dict) and isinstance(context.get("System"), dict),
        "envelope has no context.System object",
    )
    for name in ("session",):
        _require(
            payload.get(name) is None or isinstance(payload[name], dict),
            f"{name} must be an object",
        )
    session = payload.get("session") or {}
    _require(
        session.get("attributes") is None or isinstance(session["attributes"], dict),
        "session attributes must be an object",
    )
    intent = request.get("intent")
    if request["type"] == "IntentRequest":
        _require(
            isinstance(intent, dict) and isinstance(intent.get("name"), str), "intent has no name"
        )
        slots = intent.get("slots")
        _require(slots is None or isinstance(slots, dict), "slots must be an object")
        for slot in (slots or {}).values():
            _require(isinstance(slot, dict), "each slot must be an object")


def load(body: bytes | str | dict) -> dict:
    """JSON with the envelope's shape; raises BadEnvelope with a short reason."""
    try:
        payload = json.loads(body) if isinstance(body, bytes | str) else body
    except (UnicodeDecodeError, ValueError):
        raise BadEnvelope("body is not JSON") from None
    check_shape(payload)
    return payload


def parse(body: bytes | str | dict) -> RequestEnvelope:
    """Load and deserialize; raises BadEnvelope with a short reason on any problem."""
    return _serializer.from_payload(load(body))


def application_id(envelope: RequestEnvelope) -> str | None:
    """The skill id the request is addressed to (context first, then session)."""
    context = getattr(envelope, "context", None)
    system = getattr(context, "system", None)
    app_id = getattr(getattr(system, "application", None), "application_id", None)
    if app_id:
        return app_id
    session = getattr(envelope, "session", None)
    return getattr(getattr(session, "application", None), "application_id", None)
