"""Amazon's side of reminders, on 127.0.0.1, speaking the real JSON.

- `FakeRemindersApi`: the Alexa Reminders API, `{apiEndpoint}/v1/alerts/reminders` (POST →
  201 `{"alertToken", "createdTime", "updatedTime", "status": "ON", "version", "href"}`; PUT
  and DELETE `/{alertToken}` → 200, 404 for an unknown one; GET → 200 `{"totalCount",
  "alerts": [...], "links"}`; 401 for a token without the reminders permission). Source:
  Alexa docs, "Reminders REST API Reference"
  (developer.amazon.com/docs/alexa/smapi/alexa-reminders-api-reference.html), and the
  field names of ask-sdk-model's `services/reminder_management` (ReminderResponse,
  GetRemindersResponse, Error {code, message}).
- `FakeSkillMessaging`: `POST /v1/skillmessages/users/{userId}` with an LWA bearer token →
  202; 401 for a token LWA didn't issue. Source: Alexa docs, "Skill Messaging API
  Reference" (developer.amazon.com/docs/alexa/smapi/skill-messaging-api-reference.html).
  Its tokens come from tests/smarthome/fakes.py `FakeLwa` (client_credentials grant).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

PATH = re.compile(r"^/v1/alerts/reminders(?:/(?P<id>[^/]+))?$")
MESSAGES = re.compile(r"^/v1/skillmessages/users/(?P<user>[^/]+)$")


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _error(status: int, code: str, message: str) -> Response:
    return _json({"code": code, "message": message}, status)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _valid(body: Any) -> str | None:
    """Why Amazon would refuse this reminder (400), or None."""
    try:
        trigger = body["trigger"]
        assert trigger["type"] == "SCHEDULED_ABSOLUTE"
        datetime.strptime(trigger["scheduledTime"], "%Y-%m-%dT%H:%M:%S.000")
        ZoneInfo(trigger["timeZoneId"])
        content = body["alertInfo"]["spokenInfo"]["content"]
        assert content and all(c["locale"] and c["text"] for c in content)
        datetime.strptime(body["requestTime"], "%Y-%m-%dT%H:%M:%S.000")
        assert body["pushNotification"]["status"] in ("ENABLED", "DISABLED")
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return None


@dataclass
class FakeRemindersApi:
    granted: set[str] = field(default_factory=set)  # bearer tokens with the permission
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    fail_with: int | None = None  # answer everything with this status
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    endpoint: str = ""

    def install(self, server) -> str:
        server.expect_request(PATH).respond_with_handler(self.handle)
        self.endpoint = f"https://localhost:{server.port}"
        return self.endpoint

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.calls]

    def handle(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        with self.lock:
            self.calls.append((request.method, request.path, body))
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.fail_with:
            return _error(self.fail_with, "INTERNAL_SERVER_ERROR", "Internal server error")
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.granted:
            return _error(401, "UNAUTHORIZED", "Request is not authorized")
        reminder_id = PATH.match(request.path)["id"]  # type: ignore[index]
        with self.lock:
            if request.method == "POST" and reminder_id is None:
                problem = _valid(body)
                if problem:
                    return _error(400, "INVALID_REQUEST", problem)
                new_id = str(uuid.uuid4())
                self.reminders[new_id] = {**body, "version": 1, "createdTime": _now()}
                return _json(self._answer(new_id), 201)
            if request.method == "GET" and reminder_id is None:
                alerts = [
                    {**self._answer(i), **{k: v for k, v in r.items() if k != "version"}}
                    for i, r in self.reminders.items()
                ]
                return _json({"totalCount": str(len(alerts)), "alerts": alerts, "links": None})
            if reminder_id not in self.reminders:
                return _error(404, "NOT_FOUND", "Reminder not found")
            if request.method == "PUT":
                problem = _valid(body)
                if problem:
                    return _error(400, "INVALID_REQUEST", problem)
                version = self.reminders[reminder_id]["version"] + 1
                self.reminders[reminder_id] = {**body, "version": version, "createdTime": _now()}
                return _json(self._answer(reminder_id))
            if request.method == "DELETE":
                del self.reminders[reminder_id]
                return _json({})
        return _error(405, "METHOD_NOT_ALLOWED", request.method)

    def _answer(self, reminder_id: str) -> dict[str, Any]:
        stored = self.reminders[reminder_id]
        return {
            "alertToken": reminder_id,
            "createdTime": stored["createdTime"],
            "updatedTime": _now(),
            "status": "ON",
            "version": str(stored["version"]),
            "href": f"/v1/alerts/reminders/{reminder_id}",
        }

    def scheduled(self) -> list[str]:
        """Each reminder's scheduledTime, soonest first."""
        return sorted(r["trigger"]["scheduledTime"] for r in self.reminders.values())


@dataclass
class FakeSkillMessaging:
    lwa: Any  # tests.smarthome.fakes.FakeLwa: the access tokens it issued are valid here
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def install(self, server) -> str:
        server.expect_request(MESSAGES, method="POST").respond_with_handler(self.handle)
        return f"http://127.0.0.1:{server.port}"

    def handle(self, request: Request) -> Response:
        auth = request.headers.get("Authorization", "")
        if auth[7:] not in self.lwa.access_tokens:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token")
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("data"), dict):
            return _error(400, "INVALID_REQUEST", "data is required")
        user = MESSAGES.match(request.path)["user"]  # type: ignore[index]
        self.received.append((user, body))
        return Response(status=202)
