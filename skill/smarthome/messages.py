"""Builders for the Smart Home messages the skill sends (payload version 3).

Each function returns a plain dict exactly as Alexa reads it; the tests validate every one
against Amazon's published schema (tests/data/alexa-smarthome/). Nothing here decides what
happened: callers pass the state the plug confirmed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from skill.devices import Device, Policy, PowerState

PAYLOAD_VERSION = "3"
MANUFACTURER = "voice-demo"
# Alexa's endpointId allows [A-Za-z0-9_-=#;:?@&]; registry ids allow '.', which it doesn't.
# ':' is never in a registry id, so the mapping is reversible.
_ID_OUT = str.maketrans(".", ":")
_ID_IN = str.maketrans(":", ".")
# How old a sample may be, as Alexa wants it said (ms); a plug read back just now.
UNCERTAINTY_MS = 500
LAMP_WORDS = ("lamp", "light")

Message = dict[str, Any]


def endpoint_id(device_id: str) -> str:
    return device_id.translate(_ID_OUT)


def device_id(endpoint: str) -> str:
    return endpoint.translate(_ID_IN)


def time_of_sample(at: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, the one form the schema accepts."""
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def header(namespace: str, name: str, correlation_token: str | None = None) -> dict[str, str]:
    head = {
        "namespace": namespace,
        "name": name,
        "payloadVersion": PAYLOAD_VERSION,
        "messageId": str(uuid.uuid4()),
    }
    if correlation_token:
        head["correlationToken"] = correlation_token
    return head


def _endpoint(endpoint: str, token: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"endpointId": endpoint}
    if token:
        out["scope"] = {"type": "BearerToken", "token": token}
    return out


# --- state -------------------------------------------------------------------------------


def power_property(state: PowerState) -> dict[str, Any]:
    """Only for a confirmed state: callers never report what the plug didn't say."""
    assert state.confirmed, "powerState must come from the plug"
    return {
        "namespace": "Alexa.PowerController",
        "name": "powerState",
        "value": "ON" if state.on else "OFF",
        "timeOfSample": time_of_sample(state.at),
        "uncertaintyInMilliseconds": UNCERTAINTY_MS,
    }


def connectivity_property(ok: bool, at: datetime) -> dict[str, Any]:
    return {
        "namespace": "Alexa.EndpointHealth",
        "name": "connectivity",
        "value": {"value": "OK" if ok else "UNREACHABLE"},
        "timeOfSample": time_of_sample(at),
        "uncertaintyInMilliseconds": UNCERTAINTY_MS,
    }


def confirmed_properties(state: PowerState) -> list[dict[str, Any]]:
    return [power_property(state), connectivity_property(True, state.at)]


# --- responses ---------------------------------------------------------------------------


def response(
    endpoint: str,
    state: PowerState,
    correlation_token: str | None,
    token: str | None = None,
) -> Message:
    """Alexa.Response to TurnOn/TurnOff; `token` (the event token) only when sent async."""
    return {
        "context": {"properties": confirmed_properties(state)},
        "event": {
            "header": header("Alexa", "Response", correlation_token),
            "endpoint": _endpoint(endpoint, token),
            "payload": {},
        },
    }


def state_report(endpoint: str, state: PowerState, correlation_token: str | None) -> Message:
    return {
        "context": {"properties": confirmed_properties(state)},
        "event": {
            "header": header("Alexa", "StateReport", correlation_token),
            "endpoint": _endpoint(endpoint, None),
            "payload": {},
        },
    }


def deferred(correlation_token: str | None, seconds: int) -> Message:
    return {
        "event": {
            "header": header("Alexa", "DeferredResponse", correlation_token),
            "payload": {"estimatedDeferralInSeconds": seconds},
        }
    }


def error(
    kind: str,
    message: str,
    correlation_token: str | None = None,
    endpoint: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Message:
    """Alexa.ErrorResponse; `details` for the types that need more (currentDeviceMode…)."""
    event: dict[str, Any] = {"header": header("Alexa", "ErrorResponse", correlation_token)}
    if endpoint:
        event["endpoint"] = _endpoint(endpoint, None)
    event["payload"] = {"type": kind, "message": message, **(details or {})}
    return {"event": event}


def accept_grant_response() -> Message:
    return {
        "event": {"header": header("Alexa.Authorization", "AcceptGrant.Response"), "payload": {}}
    }


def accept_grant_failed(message: str) -> Message:
    return {
        "event": {
            "header": header("Alexa.Authorization", "ErrorResponse"),
            "payload": {"type": "ACCEPT_GRANT_FAILED", "message": message},
        }
    }


# --- discovery ---------------------------------------------------------------------------


def discoverable(device: Device) -> bool:
    """A device voice may never switch either way is not offered to Alexa at all."""
    return device.voice_controllable


def capabilities(device: Device) -> list[dict[str, Any]]:
    power: dict[str, Any] = {
        "type": "AlexaInterface",
        "interface": "Alexa.PowerController",
        "version": "3",
        "properties": {
            "supported": [{"name": "powerState"}],
            "proactivelyReported": True,
            "retrievable": True,
        },
    }
    confirm = [
        {"directive": name, "methods": [{"@type": "Confirmation"}]}
        for name, on in (("TurnOn", True), ("TurnOff", False))
        if device.policy(on) is Policy.CONFIRM
    ]
    if confirm:
        power["verificationsRequired"] = confirm
    return [
        {"type": "AlexaInterface", "interface": "Alexa", "version": "3"},
        power,
        {
            "type": "AlexaInterface",
            "interface": "Alexa.EndpointHealth",
            "version": "3",
            "properties": {
                "supported": [{"name": "connectivity"}],
                "proactivelyReported": True,
                "retrievable": True,
            },
        },
    ]


def description(device: Device) -> str:
    parts = [f"{device.driver} plug"]
    if device.voice_on is Policy.CONFIRM or device.voice_off is Policy.CONFIRM:
        parts.append("asks first")
    refused = [w for w, on in (("on", True), ("off", False)) if device.policy(on) is Policy.DENY]
    if refused:
        parts.append(f"never switched {' or '.join(refused)} by Alexa")
    if device.max_on_minutes:
        parts.append(f"switches itself off after {device.max_on_minutes} min")
    return "voice-demo " + ", ".join(parts)


def display_category(device: Device) -> str:
    names = " ".join(device.spoken_names).lower()
    return "LIGHT" if any(word in names for word in LAMP_WORDS) else "SMARTPLUG"


def discovery_endpoint(device: Device) -> dict[str, Any]:
    return {
        "endpointId": endpoint_id(device.id),
        "manufacturerName": MANUFACTURER,
        "friendlyName": device.name,
        "description": description(device)[:128],
        "displayCategories": [display_category(device)],
        "capabilities": capabilities(device),
    }


def discover_response(devices: Iterable[Device]) -> Message:
    return {
        "event": {
            "header": header("Alexa.Discovery", "Discover.Response"),
            "payload": {"endpoints": [discovery_endpoint(d) for d in devices if discoverable(d)]},
        }
    }


def add_or_update_report(devices: Iterable[Device], token: str) -> Message:
    return {
        "event": {
            "header": header("Alexa.Discovery", "AddOrUpdateReport"),
            "payload": {
                "endpoints": [discovery_endpoint(d) for d in devices if discoverable(d)],
                "scope": {"type": "BearerToken", "token": token},
            },
        }
    }


def delete_report(device_ids: Iterable[str], token: str) -> Message:
    """Not in Amazon's schema copy (see the notes); shape from the Alexa.Discovery docs."""
    return {
        "event": {
            "header": header("Alexa.Discovery", "DeleteReport"),
            "payload": {
                "endpoints": [{"endpointId": endpoint_id(i)} for i in device_ids],
                "scope": {"type": "BearerToken", "token": token},
            },
        }
    }


def change_report(endpoint: str, state: PowerState, cause: str, token: str) -> Message:
    return {
        "context": {"properties": [connectivity_property(True, state.at)]},
        "event": {
            "header": header("Alexa", "ChangeReport"),
            "endpoint": _endpoint(endpoint, token),
            "payload": {
                "change": {"cause": {"type": cause}, "properties": [power_property(state)]}
            },
        },
    }
