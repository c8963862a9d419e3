"""The Alexa event gateway: async Responses, ChangeReports, AddOrUpdate/DeleteReports.

Every send uses the home's LWA token (never the account-linking token). 202 is success.
401: refresh the token once and resend. 403 SKILL_DISABLED_EXCEPTION: the person disabled
the skill, so the home's tokens are forgotten (a new AcceptGrant brings new ones). 429 and
5xx: back off (Retry-After, else doubling from 0.5 s) within a bounded time, then give up
and log — a report is worth less than the answer the next request is waiting for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from enum import StrEnum
from typing import Any

import requests

from skill.smarthome.lwa import LwaClient

log = logging.getLogger(__name__)

Message = dict[str, Any]
MAX_BACKOFF_S = 4.0  # the whole retry budget for one event
FIRST_BACKOFF_S = 0.5


class Sent(StrEnum):
    ACCEPTED = "accepted"
    NO_TOKEN = "no_token"  # no AcceptGrant yet for this home (or it was forgotten)
    DISABLED = "disabled"  # 403 SKILL_DISABLED_EXCEPTION: tokens forgotten
    REFUSED = "refused"  # 400/401 after refresh/403 for another reason
    GAVE_UP = "gave_up"  # still throttled or failing when the backoff budget ran out


class EventGateway:
    def __init__(
        self,
        url: str,
        lwa: LwaClient,
        *,
        http: requests.Session | None = None,
        timeout: tuple[float, float] = (1.0, 2.0),
        sleep: Callable[[float], None] = time.sleep,
        max_backoff_s: float = MAX_BACKOFF_S,
    ) -> None:
        self.url = url
        self.lwa = lwa
        self._http = http or requests.Session()
        self._timeout = timeout
        self._sleep = sleep
        self.max_backoff_s = max_backoff_s

    def send(self, home_id: str, build: Callable[[str], Message]) -> Sent:
        """POST `build(token)`; `build` is called again with a new token after a refresh."""
        token = self.lwa.access_token(home_id)
        if token is None:
            log.info("no event token for home %s: nothing sent", home_id)
            return Sent.NO_TOKEN
        refreshed = False
        started = time.monotonic()
        backoff = FIRST_BACKOFF_S
        while True:
            status, body, retry_after = self._post(build(token), token)
            if status == 202:
                return Sent.ACCEPTED
            if status == 401 and not refreshed:
                refreshed = True
                token = self.lwa.access_token(home_id, force_refresh=True)
                if token is None:
                    return Sent.REFUSED
                continue
            if status == 403 and _code(body) == "SKILL_DISABLED_EXCEPTION":
                log.warning("skill disabled for home %s: forgetting its event tokens", home_id)
                self.lwa.store.forget(home_id)
                return Sent.DISABLED
            if status == 429 or status is None or status >= 500:
                wait = retry_after if retry_after is not None else backoff
                if time.monotonic() - started + wait > self.max_backoff_s:
                    log.warning("event gateway still %s for home %s: gave up", status, home_id)
                    return Sent.GAVE_UP
                self._sleep(wait)
                backoff *= 2
                continue
            log.warning("event gateway refused an event for home %s: %s %s", home_id, status, body)
            return Sent.REFUSED

    def _post(self, message: Message, token: str) -> tuple[int | None, Any, float | None]:
        try:
            reply = self._http.post(
                self.url,
                json=message,
                headers={"Authorization": f"Bearer {token}"},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            log.warning("event gateway unreachable: %s", exc.__class__.__name__)
            return None, None, None
        try:
            body = reply.json() if reply.content else None
        except ValueError:
            body = reply.text[:200]
        return reply.status_code, body, _retry_after(reply.headers.get("Retry-After"))


def _code(body: Any) -> str | None:
    payload = body.get("payload") if isinstance(body, dict) else None
    return payload.get("code") if isinstance(payload, dict) else None


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class Outbox:
    """Sends off the request path; `flush` waits for what is pending (Lambda, before return).

    In Lambda the process freezes once the handler returns, so the entry calls `flush`
    with what is left of the invocation; a long-lived process never needs to.
    """

    def __init__(self, gateway: EventGateway, workers: int = 4) -> None:
        self.gateway = gateway
        # One sender, so two quick changes of a plug reach Alexa in the order they happened
        # (the app must end on the last state); follow-ups that wait for a plug get their own.
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alexa-events")
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="alexa-late")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def post(self, home_id: str, build: Callable[[str], Message]) -> Future[Sent]:
        future = self._sender.submit(self._send, home_id, build)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def later(self, work: Callable[[], Any]) -> Future[Any]:
        """Any follow-up that ends in a send (a deferred Response), tracked like a send."""
        future = self._pool.submit(work)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _send(self, home_id: str, build: Callable[[str], Message]) -> Sent:
        try:
            return self.gateway.send(home_id, build)
        except Exception:  # noqa: BLE001 - a report must never take a worker down
            log.exception("sending an event for home %s failed", home_id)
            return Sent.GAVE_UP

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` s for pending sends; True if none is left."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            with self._lock:
                pending = set(self._pending)
            if not pending:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            wait_futures(pending, timeout=left)

    def close(self) -> None:
        self._sender.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)
