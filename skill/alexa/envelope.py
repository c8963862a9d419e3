"""Turn raw request bytes into a RequestEnvelope, or say plainly why not.

Both entry points (Flask and Lambda) use this, so a malformed request is refused the
same way everywhere instead of surfacing as an SDK exception. It runs before anything
else (the signature check included), so it refuses cheaply what would break the SDK:
bodies that are not UTF-8, JSON nested deeper than any Alexa request, keys such as
`__dict__` that the SDK's deserializer would write onto its objects, and timestamps
that are not a full date and time.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope


class BadEnvelope(SerializationException, ValueError):
    """The request is not an Alexa request envelope we can read."""


# Alexa's deepest envelopes (APL components on screen) are a few dozen levels; the SDK
# deserializes recursively and the Python stack ends near 1,000 frames.
MAX_DEPTH = 64
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?"
)


class EnvelopeSerializer(DefaultSerializer):
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
            envelope = self._DefaultSerializer__deserialize(payload, RequestEnvelope)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the SDK raises several kinds on odd input
            raise BadEnvelope(f"envelope could not be read: {exc.__class__.__name__}") from None
        _require(envelope is not None and envelope.request is not None, "envelope has no request")
        return envelope


_serializer = EnvelopeSerializer()


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise BadEnvelope(reason)


def check_tree(payload: Any) -> None:
    """Bounded depth, and no `__dunder__` keys anywhere (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(payload, 1)]
    while stack:
        node, depth = stack.pop()
        _require(depth <= MAX_DEPTH, f"envelope is nested more than {MAX_DEPTH} deep")
        if isinstance(node, dict):
            for key, child in node.items():
                _require(
                    isinstance(key, str) and not key.startswith("__"), "envelope has a reserved key"
                )
                if isinstance(child, dict | list):
                    stack.append((child, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))


def request_timestamp(request: dict) -> datetime | None:
    """The request's timestamp, aware (UTC when no offset is given); None when absent.

    Only a full ISO 8601 date and time, as Alexa sends: not a time alone, not an offset
    of 24 hours or more.
    """
    value = request.get("timestamp")
    if value is None:
        return None
    _require(isinstance(value, str), "timestamp must be a string")
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise BadEnvelope("timestamp must be a date and time like 2026-05-19T09:40:00Z")
    fraction = (match[2] or "0")[:6]
    offset = "+00:00" if match[3] in (None, "Z") else match[3]
    try:
        stamp = datetime.fromisoformat(f"{match[1]}.{fraction:0<6}{offset}")
    except ValueError:
        raise BadEnvelope("timestamp is not a real date and time") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def check_shape(payload: Any) -> None:
    """The fields every handler relies on, with the types they rely on."""
    _require(isinstance(payload, dict), "envelope must be a JSON object")
    request = payload.get("request")
    _require(isinstance(request, dict), "envelope has no request object")
    _require(isinstance(request.get("type"), str) and request["type"], "request has no type")
    _require(isinstance(request.get("requestId", ""), str), "requestId must be a string")
    request_timestamp(request)
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
    if isinstance(body, bytes | bytearray):
        try:
            body = bytes(body).decode("utf-8")  # json.loads would guess UTF-16/32; the SDK won't
        except UnicodeDecodeError:
            raise BadEnvelope("body must be UTF-8 JSON") from None
    if isinstance(body, str):
        if body.startswith("\ufeff"):
            raise BadEnvelope("body must be UTF-8 JSON without a byte-order mark")
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise BadEnvelope("body is not JSON") from None
    else:
        payload = body
    check_tree(payload)
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
