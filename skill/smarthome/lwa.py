"""Login with Amazon: the skill's own tokens for the event gateway, one set per home.

AcceptGrant hands us an authorization code; LWA exchanges it for an access token (an hour)
and a refresh token. They are kept in the state store under the home, and the access token
is refreshed shortly before it expires (or once after the gateway says 401).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from skill.storage.state import StateStore

log = logging.getLogger(__name__)

REFRESH_BEFORE_S = 120  # refresh this long before LWA's expiry
_KEY = "event_tokens"


class GrantFailed(Exception):
    """LWA refused the code or refresh token, or could not be reached."""


@dataclass(frozen=True)
class EventTokens:
    access_token: str
    refresh_token: str
    expires_at: int  # epoch seconds (whole: DynamoDB rejects floats)

    def fresh(self, now: float) -> bool:
        return now < self.expires_at - REFRESH_BEFORE_S

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_dict(cls, data: Any) -> EventTokens | None:
        try:
            return cls(
                str(data["access_token"]), str(data["refresh_token"]), int(data["expires_at"])
            )
        except (KeyError, TypeError, ValueError):
            return None


def home_key(home_id: str) -> str:
    """The state-store row of a home's smart-home data (never a person's Alexa user id)."""
    return f"smarthome:home:{home_id}"


class TokenStore:
    """Per-home event tokens in the state store (SQLite locally, DynamoDB in Lambda)."""

    def __init__(self, state: StateStore) -> None:
        self.state = state

    def get(self, home_id: str) -> EventTokens | None:
        return EventTokens.from_dict(self.state.get(home_key(home_id)).get(_KEY))

    def put(self, home_id: str, tokens: EventTokens) -> None:
        self.state.put(home_key(home_id), _KEY, tokens.to_dict())

    def forget(self, home_id: str) -> None:
        self.state.put(home_key(home_id), _KEY, None)


class LwaClient:
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        store: TokenStore,
        *,
        http: requests.Session | None = None,
        wall: Callable[[], float] = time.time,
        timeout: tuple[float, float] = (1.0, 2.5),
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.store = store
        self._http = http or requests.Session()
        self._wall = wall
        self._timeout = timeout
        self._lock = threading.Lock()

    def accept_grant(self, home_id: str, code: str) -> EventTokens:
        tokens = self._request({"grant_type": "authorization_code", "code": code})
        self.store.put(home_id, tokens)
        return tokens

    def access_token(self, home_id: str, *, force_refresh: bool = False) -> str | None:
        """A usable token for the home, refreshed if due; None if we have no grant."""
        with self._lock:
            tokens = self.store.get(home_id)
            if tokens is None:
                return None
            if force_refresh or not tokens.fresh(self._wall()):
                try:
                    tokens = self._request(
                        {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token},
                        keep_refresh=tokens.refresh_token,
                    )
                except GrantFailed as exc:
                    log.warning("LWA refresh for home %s failed: %s", home_id, exc)
                    return None
                self.store.put(home_id, tokens)
            return tokens.access_token

    def _request(self, form: dict[str, str], keep_refresh: str | None = None) -> EventTokens:
        body = {**form, "client_id": self.client_id, "client_secret": self.client_secret}
        try:
            reply = self._http.post(self.token_url, data=body, timeout=self._timeout)
        except requests.RequestException as exc:
            raise GrantFailed(f"LWA unreachable: {exc.__class__.__name__}") from None
        try:
            data = reply.json()
        except ValueError:
            data = {}
        if reply.status_code != 200 or not isinstance(data, dict):
            reason = data.get("error", reply.status_code) if isinstance(data, dict) else ""
            raise GrantFailed(f"LWA answered {reply.status_code} ({reason})")
        try:
            refresh = data.get("refresh_token") or keep_refresh
            if not refresh:
                raise KeyError("refresh_token")
            return EventTokens(
                str(data["access_token"]),
                str(refresh),
                int(self._wall()) + int(data["expires_in"]),
            )
        except (KeyError, TypeError, ValueError):
            raise GrantFailed("LWA's answer had no access token") from None
