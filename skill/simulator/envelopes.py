"""Alexa request envelopes in the shapes Alexa sends: for the simulator and for the tests.

tests/alexa.py builds its requests with these functions too (adding its test ids and
screen presets), so what the simulator sends and what the tests send can't drift apart.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

SKILL_ID = "amzn1.ask.skill.voice-demo-simulator"
USER_ID = "amzn1.ask.account.SIMULATOR"
DEVICE_ID = "amzn1.ask.device.SIMULATOR"
SESSION_ID = "amzn1.echo-api.session.SIMULATOR"
LAUNCH = {"type": "LaunchRequest"}


def iso_timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    request: dict[str, Any],
    *,
    attributes: dict[str, Any] | None = None,
    new: bool = False,
    user_id: str = USER_ID,
    skill_id: str = SKILL_ID,
    device_id: str = DEVICE_ID,
    apl_max: str | None = None,
    viewport: dict[str, Any] | None = None,
    timestamp: str | None = None,
    session: bool = True,
    session_id: str = SESSION_ID,
    locale: str = "en-GB",
    api_endpoint: str = "https://api.eu.amazonalexa.com",
    api_access_token: str | None = None,
    consent_token: str | None = None,
) -> dict[str, Any]:
    """The whole request; `apl_max` (the APL runtime version) and `viewport` make it a screen.

    `consent_token` is context.System.user.permissions.consentToken, which Alexa sends once
    the user has granted the skill a permission (reminders, here)."""
    interfaces: dict[str, Any] = {}
    if apl_max:
        interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": apl_max}}
    user: dict[str, Any] = {"userId": user_id}
    if consent_token:
        user["permissions"] = {"consentToken": consent_token}
    system: dict[str, Any] = {
        "application": {"applicationId": skill_id},
        "user": user,
        "device": {"deviceId": device_id, "supportedInterfaces": interfaces},
        "apiEndpoint": api_endpoint,
    }
    if api_access_token:
        system["apiAccessToken"] = api_access_token
    body: dict[str, Any] = {
        "version": "1.0",
        "context": {"System": system},
        "request": {
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": timestamp or iso_timestamp(),
            "locale": locale,
            **request,
        },
    }
    if viewport:
        body["context"]["Viewport"] = viewport
    if session:
        body["session"] = {
            "new": new,
            "sessionId": session_id,
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "attributes": attributes or {},
        }
    return body


def intent_request(name: str, slots: dict[str, Any] | None = None) -> dict[str, Any]:
    """slots: {"device": "lamp"} or {"device": slot("device", "lamp", resolved_id="lamp")}."""
    built = {}
    for key, value in (slots or {}).items():
        built[key] = value if isinstance(value, dict) else slot(key, value)
    return {
        "type": "IntentRequest",
        "dialogState": "COMPLETED",
        "intent": {"name": name, "confirmationStatus": "NONE", "slots": built},
    }


def connections_response(
    status: str, token: str, scope: str = "alexa::alerts:reminders:skill:readwrite"
) -> dict[str, Any]:
    """Alexa's answer to a Connections.SendRequest "AskFor": ACCEPTED, DENIED or NOT_ANSWERED.

    Shape: Alexa docs, "Set Up Voice Permissions for Reminders" (developer.amazon.com/docs/
    alexa/smapi/voice-permissions-for-reminders.html), with the status beside the scopes as
    ask-sdk-model's ConnectionsResponse carries it (payload is a free-form object)."""
    return {
        "type": "Connections.Response",
        "name": "AskFor",
        "status": {"code": "200", "message": "OK"},
        "token": token,
        "payload": {
            "permissionScopes": [{"permissionScope": scope, "consentLevel": "ACCOUNT"}],
            "status": status,
        },
    }


def message_received(message: dict[str, Any]) -> dict[str, Any]:
    """What Alexa delivers after a Skill Messaging POST: `message` is the data we sent."""
    return {"type": "Messaging.MessageReceived", "message": message}


def session_ended_request(reason: str = "USER_INITIATED") -> dict[str, Any]:
    return {"type": "SessionEndedRequest", "reason": reason}


def slot(
    name: str,
    value: str | None = None,
    *,
    resolved_id: str | None = None,
    resolved_name: str | None = None,
    authority: str = "amzn1.er-authority.echo-sdk.TEST.DEVICE",
    no_match: bool = False,
) -> dict[str, Any]:
    """One slot with a single resolution authority (what most tests need)."""
    per: list[dict[str, Any]] = []
    if resolved_id or no_match:
        values = [] if no_match else [{"id": resolved_id, "name": resolved_name or value}]
        per.append(authority_result(authority, values))
    return slot_with(name, value, per)


def authority_result(authority: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    """One entry of resolutionsPerAuthority: MATCH with values ({"id", "name"}), else NO_MATCH."""
    result: dict[str, Any] = {
        "authority": authority,
        "status": {"code": "ER_SUCCESS_MATCH" if values else "ER_SUCCESS_NO_MATCH"},
    }
    if values:
        result["values"] = [{"value": {"name": v["name"], "id": v["id"]}} for v in values]
    return result


def slot_with(
    name: str, value: str | None, resolutions: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        data["value"] = value
    if resolutions:
        data["resolutions"] = {"resolutionsPerAuthority": resolutions}
    return data
