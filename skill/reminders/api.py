"""The Alexa Reminders API (`{apiEndpoint}/v1/alerts/reminders`), with short timeouts.

Alexa waits 8 s for the whole answer and `requests` has no default timeout, so every call
gets a (connect, read) timeout and is tried once: a retried POST could set a reminder
twice. The bearer token is the request's `apiAccessToken` (or the fresh one a
Messaging.MessageReceived request carries), so only HTTPS endpoints are called.

Source of the shapes: Alexa docs, "Reminders REST API Reference"
(developer.amazon.com/docs/alexa/smapi/alexa-reminders-api-reference.html): create is
POST → 201 with `alertToken`; update PUT /{alertToken} → 200; delete DELETE /{alertToken}
→ 200; list GET → 200 `{"totalCount", "alerts": [...], "links"}`; 401/403 when the user
has not granted (or has revoked) `alexa::alerts:reminders:skill:readwrite`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

PATH = "/v1/alerts/reminders"
TIMEOUT = (1.0, 3.0)


class ApiFailed(Exception):
    """The Reminders API did not do it: no answer in time, an error, or an odd answer."""


class PermissionMissing(ApiFailed):
    """401/403: the user hasn't granted reminders permission (or took it back)."""


class ReminderGone(ApiFailed):
    """404: the reminder no longer exists (the user deleted it in the app, or it rang)."""


class RemindersApi:
    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        http: requests.Session | None = None,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        if not endpoint.startswith("https://"):
            raise ApiFailed("the Reminders API is only called over HTTPS")
        self.base = endpoint.rstrip("/") + PATH
        self._token = token
        self._http = http or requests.Session()
        self._timeout = timeout

    def _call(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None = None,
        expect: tuple[int, ...] = (200, 204),
    ) -> Any:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            reply = self._http.request(
                method, url, json=body, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise ApiFailed(f"{method} reminders: {exc.__class__.__name__}") from None
        if reply.status_code in (401, 403):
            raise PermissionMissing(f"{method} reminders: {reply.status_code}")
        if reply.status_code == 404:
            raise ReminderGone(f"{method} reminders: 404")
        if reply.status_code not in expect:
            raise ApiFailed(f"{method} reminders: {reply.status_code} {reply.text[:200]!r}")
        if not reply.content:
            return {}
        try:
            return reply.json()
        except ValueError:
            raise ApiFailed(f"{method} reminders: the answer is not JSON") from None

    def create(self, body: dict[str, Any]) -> str:
        """The new reminder's id; raises unless Amazon answered 201 with one."""
        data = self._call("POST", self.base, body, expect=(201,))
        token = data.get("alertToken") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ApiFailed("POST reminders: 201 without an alertToken")
        return token

    def update(self, reminder_id: str, body: dict[str, Any]) -> None:
        self._call("PUT", f"{self.base}/{quote(reminder_id, safe='')}", body)

    def delete(self, reminder_id: str) -> None:
        self._call("DELETE", f"{self.base}/{quote(reminder_id, safe='')}")

    def active(self) -> set[str]:
        """Ids of this skill's reminders for the user that are still set (status ON)."""
        data = self._call("GET", self.base)
        alerts = data.get("alerts") if isinstance(data, dict) else None
        if not isinstance(alerts, list):
            raise ApiFailed("GET reminders: no alerts list")
        return {
            str(a["alertToken"])
            for a in alerts
            if isinstance(a, dict) and a.get("alertToken") and a.get("status", "ON") == "ON"
        }
