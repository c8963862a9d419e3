"""HTTP to one device: a pooled session, every wait bounded by the request's deadline.

What a failure means depends on *when* it happened, and that decides what may be said:

- no connection (refused, connect timeout): the request never left, so it may be tried once
  more if the deadline has room (Wi-Fi plugs drop the odd packet); then `Unreachable`.
- the request went out but no (whole) answer came back (read timeout, cut off, a body that
  never ends): for a switch command (`command=True`) the plug may have switched, so this is
  `NotConfirmed` — never "unreachable", and the command is **never sent again**; the driver
  reads the state back. A read is tried once more, waiting up to twice as long (a slow
  plug), then it is `Unreachable`.

A switch command may wait for its answer until only `READBACK_RESERVE_S` of the budget is
left (Home Assistant answers a service call "when the service has been executed or after 10
seconds"; Zigbee behind it often takes 1–3 s), keeping that reserve for the read-back.

Bodies are read in small pieces with the socket timeout set to what is left, so a device
that drips bytes can't outlive the deadline (nor hold the device's lock past it), and more
than `MAX_BODY` bytes is a device fault. Redirects are not followed: a plug or Home
Assistant that redirects (https proxy, Tasmota's captive portal) is a setup mistake.
Proxies from the environment are ignored for LAN devices (a corporate proxy can't reach
192.168.x.x), and every failure becomes a typed device error.
"""

from __future__ import annotations

import json as jsonlib
import logging
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from skill.devices.errors import (
    AuthFailed,
    DeviceFault,
    Misconfigured,
    NotConfirmed,
    Unreachable,
)

if TYPE_CHECKING:
    from skill.devices.deadline import Deadline
    from skill.devices.registry import Device

log = logging.getLogger(__name__)

MIN_RETRY_S = 0.3  # below this, a retry can't succeed; report instead
RETRY_PAUSE_S = 0.1
READBACK_RESERVE_S = 1.5  # what a switch command leaves of the budget to read the state back
MAX_BODY = 64 * 1024  # a plug's JSON is a few hundred bytes; Home Assistant's state ~1 KiB
CHUNK = 8192
TOO_LONG = "sent an answer far too long for a plug"


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class _CutOff(Exception):
    """The answer stopped coming (timeout, reset) after the request was sent."""


class HttpTransport:
    def __init__(
        self,
        device: Device,
        base_url: str,
        *,
        connect_s: float,
        read_s: float,
        auth: requests.auth.AuthBase | None = None,
        headers: dict[str, str] | None = None,
        lan: bool = True,
    ) -> None:
        self.device = device
        self.base_url = base_url.rstrip("/")
        self.connect_s = connect_s
        self.read_s = read_s
        self.session = requests.Session()
        self.session.trust_env = not lan
        self.session.auth = auth
        # identity: a compressed body could expand past MAX_BODY after we counted it.
        self.session.headers.update({"Accept-Encoding": "identity", **(headers or {})})
        # Small devices accept few connections; one pooled connection per device is plenty.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(
        self,
        method: str,
        path: str,
        deadline: Deadline,
        *,
        params: str | dict[str, Any] | None = None,
        json: Any = None,
        command: bool = False,
    ) -> HttpReply:
        """One HTTP exchange. `command=True`: it switches something, so it goes out once."""
        url = f"{self.base_url}{path}"
        for attempt in (1, 2):
            connect, read = deadline.timeouts(self.connect_s, self.read_s, self.device)
            if command:
                read = max(read, deadline.remaining() - READBACK_RESERVE_S)
            elif attempt == 2:
                read = max(read, min(deadline.remaining(), 2 * self.read_s))  # a slow plug
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    timeout=(connect, read),
                    allow_redirects=False,
                    stream=True,
                )
                try:
                    body = self._body(response, deadline)
                finally:
                    response.close()
            except (_CutOff, requests.RequestException) as exc:
                sent = _was_sent(exc)
                if sent is None:  # not a network failure: a bad URL, a bad header
                    raise DeviceFault(
                        f"{self.base_url}: {exc.__class__.__name__}", self.device
                    ) from None
                if sent and command:
                    # `from None`: the chained exception's URL may carry a Tasmota password.
                    raise NotConfirmed(
                        f"{self.base_url}: sent, but no answer ({_name(exc)})", self.device
                    ) from None
                if attempt == 1 and deadline.remaining() >= MIN_RETRY_S + RETRY_PAUSE_S:
                    log.info(
                        "%s: %s %s (%s); trying once more", self.device.id, method, path, _name(exc)
                    )
                    time.sleep(RETRY_PAUSE_S)
                    continue
                what = "no answer" if sent else "no connection"
                raise Unreachable(f"{self.base_url}: {what} ({_name(exc)})", self.device) from None
            except _TooLong:
                if command:
                    raise NotConfirmed(
                        f"{self.base_url}: answer over {MAX_BODY} bytes", self.device
                    ) from None
                raise DeviceFault(
                    f"{self.base_url}: answer over {MAX_BODY} bytes", self.device, reason=TOO_LONG
                ) from None
            return self._checked(HttpReply(response.status_code, body, response.headers))
        raise AssertionError("unreachable")  # pragma: no cover

    def _checked(self, reply: HttpReply) -> HttpReply:
        if reply.status in (401, 403):
            raise AuthFailed(
                f"{self.base_url}: HTTP {reply.status} (credentials refused)", self.device
            )
        if 300 <= reply.status < 400:
            where = reply.headers.get("Location", "?")
            scheme = where.split(":", 1)[0] if "://" in where else "another page"
            raise Misconfigured(
                f"{self.base_url}: HTTP {reply.status} redirect to {scheme}",
                self.device,
                reason="its address sends me somewhere else",
            )
        return reply

    def _body(self, response: requests.Response, deadline: Deadline) -> bytes:
        """The whole body, by the deadline and at most MAX_BODY bytes, or an exception."""
        raw = response.raw
        read1 = getattr(raw, "read1", None)  # urllib3 2: at most one recv per call
        chunks: list[bytes] = []
        size = 0
        while True:
            left = deadline.remaining()
            if left <= 0.0:
                raise _CutOff("the answer did not finish in time")
            _socket_timeout(raw, left)
            try:
                chunk = read1(CHUNK) if read1 else raw.read(1024)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise _CutOff(exc.__class__.__name__) from None
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY:
                raise _TooLong()
            chunks.append(chunk)

    def json(self, reply: HttpReply) -> Any:
        """The body as JSON; a device that answers with something else is faulty, not down."""
        try:
            return jsonlib.loads(reply.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise DeviceFault(
                f"{self.base_url}: HTTP {reply.status}, not JSON", self.device
            ) from None

    def close(self) -> None:
        self.session.close()


class _TooLong(Exception):
    pass


def _was_sent(exc: BaseException) -> bool | None:
    """True: the request may have reached the device; False: it certainly didn't."""
    if isinstance(exc, _CutOff):
        return True
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ReadTimeout):
        return True
    if isinstance(exc, requests.ConnectionError):
        # Refused / no route / DNS: urllib3 never had a connection. Anything else (reset,
        # "Connection aborted", a closed keep-alive) may have come after the request left.
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the cause
        return not isinstance(reason, urllib3.exceptions.NewConnectionError)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return True
    return None


def _name(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, _CutOff) else exc.__class__.__name__


def _socket_timeout(raw: Any, seconds: float) -> None:
    """Bound the next recv by what is left of the deadline."""
    connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(0.01, seconds))
