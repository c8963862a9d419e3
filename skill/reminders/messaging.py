"""Skill Messaging: wake the skill for one user outside a session, so it can fix reminders.

Changing a reminder needs a token for that user, and out of a session there is none. Amazon's
documented way (Alexa docs, "Update a Reminder from Outside of an Alexa Skill Session" and
"Skill Messaging API Reference",
developer.amazon.com/docs/alexa/smapi/skill-messaging-api-reference.html):

1. an LWA access token with the skill's own client id and secret (TOOLS → Permissions →
   Alexa Skill Messaging in the developer console): POST https://api.amazon.com/auth/o2/token,
   form `grant_type=client_credentials&client_id=…&client_secret=…&scope=alexa:skill_messaging`
   → `{"access_token", "expires_in", "scope", "token_type"}`;
2. POST {api}/v1/skillmessages/users/{userId} with `{"data": {...}, "expiresAfterSeconds": n}`
   and that bearer token → 202 Accepted;
3. Alexa sends the skill a `Messaging.MessageReceived` request with `message` = our data and a
   fresh `context.System.apiAccessToken` for that user; the skill reconciles there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

SCOPE = "alexa:skill_messaging"
REFRESH_BEFORE_S = 60


class MessagingFailed(Exception):
    """LWA or the Skill Messaging API refused, or did not answer in time."""


class SkillMessenger:
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        api_url: str,
        *,
        http: requests.Session | None = None,
        timeout: tuple[float, float] = (1.0, 3.0),
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.api_url = api_url.rstrip("/")
        self._http = http or requests.Session()
        self._timeout = timeout
        self._wall = wall
        self._lock = threading.Lock()
        self._token: tuple[str, float] | None = None  # (access token, expires at)

    def _access_token(self, force: bool = False) -> str:
        with self._lock:
            if not force and self._token and self._wall() < self._token[1] - REFRESH_BEFORE_S:
                return self._token[0]
            form = {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": SCOPE,
            }
            try:
                reply = self._http.post(self.token_url, data=form, timeout=self._timeout)
                data = reply.json() if reply.content else {}
            except (requests.RequestException, ValueError) as exc:
                raise MessagingFailed(f"LWA: {exc.__class__.__name__}") from None
            if reply.status_code != 200 or not isinstance(data, dict):
                raise MessagingFailed(f"LWA answered {reply.status_code}")
            try:
                token = str(data["access_token"])
                self._token = (token, self._wall() + int(data["expires_in"]))
            except (KeyError, TypeError, ValueError):
                raise MessagingFailed("LWA's answer had no access token") from None
            return token

    def send(self, user_id: str, data: dict[str, Any], expires_after_s: int = 3600) -> None:
        """Ask Alexa to deliver `data` to the skill for this user (202), or raise."""
        url = f"{self.api_url}/v1/skillmessages/users/{quote(user_id, safe='')}"
        body = {"data": data, "expiresAfterSeconds": expires_after_s}
        for attempt in (1, 2):
            token = self._access_token(force=attempt == 2)
            try:
                reply = self._http.post(
                    url,
                    json=body,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=self._timeout,
                )
            except requests.RequestException as exc:
                raise MessagingFailed(f"skill messaging: {exc.__class__.__name__}") from None
            if reply.status_code == 202:
                return
            if reply.status_code != 401:  # 401: the token expired early; one fresh try
                raise MessagingFailed(f"skill messaging answered {reply.status_code}")
        raise MessagingFailed("skill messaging refused a fresh token (401)")

    def send_all(self, users: Iterable[str], data: dict[str, Any]) -> tuple[int, int]:
        """(sent, failed); a failure for one user doesn't stop the others."""
        sent = failed = 0
        for user in users:
            try:
                self.send(user, data)
                sent += 1
            except MessagingFailed as exc:
                failed += 1
                log.warning("skill message not sent: %s", exc)
        return sent, failed
