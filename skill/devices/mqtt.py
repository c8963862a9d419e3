"""The bridge's one MQTT connection to AWS IoT Core's shadow topics (paho-mqtt).

Why MQTT: polling GetThingShadow every 0.5 s costs 7,200 shadow requests per device per hour
and still makes a command wait 250 ms on average. Subscribed to `update/delta`, the bridge
hears a command as soon as the skill writes it, and is idle (and free) in between.

Why paho-mqtt and not awsiotsdk: paho is pure Python (no native wheels to build on a
Raspberry Pi), speaks plain MQTT 3.1.1 to any broker, so the tests run it against Debian's
mosquitto on 127.0.0.1, and does both ways AWS IoT accepts a device: mutual TLS with the
thing's certificate (`tls_set`) and MQTT over WebSocket signed with SigV4 (IAM credentials,
the same ones the HTTPS fallback uses). Signing is done outside this module (it needs
botocore); here a `websocket_path` callable hands over the presigned path.

Requests are matched to responses by `clientToken` (so a get carries `{"clientToken": …}`
rather than an empty payload, as the AWS IoT Device SDKs send it), as the Device Shadow
service documents:
https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-document.html
(and the topics: .../device-shadow-mqtt.html). Everything goes at QoS 0: AWS meters a
device's PUBACK as a 5 KB message, and a lost message is covered by the request timeout,
the re-read on every (re)connect and the slow safety poll.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from skill.devices.errors import AuthFailed, DeviceError, DeviceFault, Unreachable
from skill.devices.shadow import Conflict, ShadowDoc

if TYPE_CHECKING:
    from skill.devices.registry import Device

log = logging.getLogger(__name__)

# The response topics a bridge listens on, per thing (AWS allows 50 subscriptions per
# connection, so one bridge serves up to 10 things).
RESPONSES = ("update/delta", "update/accepted", "update/rejected", "get/accepted", "get/rejected")
REQUESTS = ("update", "get")
SUBSCRIBE_BATCH = 8  # AWS IoT: at most 8 topic filters in one SUBSCRIBE


def topic_prefix(thing_name: str, shadow_name: str | None = None) -> str:
    base = f"$aws/things/{thing_name}/shadow"
    return f"{base}/name/{shadow_name}" if shadow_name else base


@dataclass(frozen=True)
class MqttConfig:
    host: str
    port: int = 8883
    client_id: str = "voice-demo-bridge"
    # Mutual TLS with the thing's certificate (port 8883) ...
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    # ... or MQTT over WebSocket (port 443) with a SigV4-presigned path from the caller.
    websocket_path: Callable[[], str] | None = None
    tls: bool = True  # False only for a local test broker
    keepalive_s: int = 60  # PINGREQ is free; AWS allows 30-1200 s
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 30.0
    request_timeout_s: float = 2.0


class _Waiter:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.accepted: bool | None = None  # None: the connection dropped
        self.payload: dict[str, Any] = {}


class ShadowConnection:
    """One connection for every thing the bridge serves; thread-safe requests by clientToken."""

    def __init__(self, config: MqttConfig) -> None:
        self.config = config
        self.ready = threading.Event()  # connected *and* subscribed
        self._things: dict[str, Callable[[str], None]] = {}  # prefix -> on_event(kind)
        self._waiters: dict[str, _Waiter] = {}
        self._lock = threading.Lock()
        self._pending_subs: set[int] = set()
        self._listeners: list[Callable[[bool], None]] = []
        self._client: Any = None
        self.connects = 0  # successful (re)connections, for logs and tests
        self.published = 0  # messages sent (AWS meters each)
        self.received = 0

    def add_thing(self, prefix: str, on_event: Callable[[str], None]) -> None:
        """`on_event("delta")` for each delta; called on paho's thread, so it must not block."""
        self._things[prefix] = on_event

    def on_state(self, listener: Callable[[bool], None]) -> None:
        """Told True once subscribed after every (re)connect, False on every disconnect."""
        self._listeners.append(listener)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background; paho keeps retrying (with back-off) until close()."""
        from paho.mqtt import client as paho  # the bridge's own dependency, not the skill's

        cfg = self.config
        transport: Literal["tcp", "websockets"] = "websockets" if cfg.websocket_path else "tcp"
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=cfg.client_id,
            clean_session=True,
            transport=transport,
        )
        if cfg.tls:
            context = ssl.create_default_context(cafile=cfg.ca_file)
            if cfg.cert_file:
                context.load_cert_chain(cfg.cert_file, cfg.key_file)
            client.tls_set_context(context)
        sign = cfg.websocket_path
        if sign is not None:
            client.ws_set_options(path=sign())
        client.reconnect_delay_set(cfg.reconnect_min_s, cfg.reconnect_max_s)  # type: ignore[arg-type]
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.on_socket_open = _no_delay
        if sign is not None:
            # A presigned path expires (AWS: at most 24 h); sign afresh before each reconnect.
            client.on_pre_connect = lambda c, _u: c.ws_set_options(path=sign())
        self._client = client
        client.connect_async(cfg.host, cfg.port, keepalive=cfg.keepalive_s)
        client.loop_start()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        self.ready.clear()
        client.disconnect()
        client.loop_stop()
        self._fail_waiters()

    # --- requests ----------------------------------------------------------------------------

    def request(
        self, prefix: str, op: str, body: dict[str, Any], timeout_s: float | None = None
    ) -> tuple[bool, dict[str, Any]]:
        """Publish `prefix/op` and wait for its accepted/rejected answer (by clientToken)."""
        if not self.ready.is_set() or self._client is None:
            raise ConnectionError("not connected")
        token = uuid.uuid4().hex
        waiter = _Waiter()
        with self._lock:
            self._waiters[token] = waiter
        try:
            info = self._client.publish(f"{prefix}/{op}", json.dumps(body | {"clientToken": token}))
            self.published += 1
            if info.rc != 0:
                raise ConnectionError(f"publish failed (rc {info.rc})")
            if not waiter.done.wait(timeout_s or self.config.request_timeout_s):
                raise TimeoutError(f"no answer to {op} in time")
            if waiter.accepted is None:
                raise ConnectionError("disconnected while waiting")
            return waiter.accepted, waiter.payload
        finally:
            with self._lock:
                self._waiters.pop(token, None)

    # --- paho callbacks (paho's network thread) -----------------------------------------------

    def _on_connect(
        self, client: Any, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            log.warning("bridge: MQTT connection to %s refused: %s", self.config.host, reason)
            return
        topics = [(f"{p}/{r}", 0) for p in self._things for r in RESPONSES]
        with self._lock:
            self._pending_subs.clear()
            for i in range(0, len(topics), SUBSCRIBE_BATCH):
                _rc, mid = client.subscribe(topics[i : i + SUBSCRIBE_BATCH])
                if mid is not None:
                    self._pending_subs.add(mid)
            if not topics:
                self._subscribed()

    def _on_subscribe(self, _c: Any, _u: Any, mid: int, reasons: Any, _props: Any) -> None:
        refused = [r for r in reasons if getattr(r, "is_failure", False)]
        if refused:
            # AWS answers 0x80 for a topic the policy does not allow: say which, stay polling.
            log.warning(
                "bridge: MQTT subscription refused (%s); check the bridge's policy", refused
            )
            return
        with self._lock:
            self._pending_subs.discard(mid)
            if not self._pending_subs:
                self._subscribed()

    def _subscribed(self) -> None:
        self.connects += 1
        self.ready.set()
        log.info("bridge: MQTT connected to %s", self.config.host)
        for listener in self._listeners:
            listener(True)

    def _on_disconnect(self, _c: Any, _u: Any, _flags: Any, reason: Any, _props: Any) -> None:
        was_ready = self.ready.is_set()
        self.ready.clear()
        self._fail_waiters()
        if was_ready:
            log.warning("bridge: MQTT disconnected (%s); polling until it is back", reason)
            for listener in self._listeners:
                listener(False)

    def _fail_waiters(self) -> None:
        with self._lock:
            waiters = list(self._waiters.values())
        for waiter in waiters:
            waiter.done.set()

    def _on_message(self, _c: Any, _u: Any, message: Any) -> None:
        self.received += 1
        topic: str = message.topic
        prefix, _, kind = topic.rpartition("/shadow/")
        prefix, kind = (f"{prefix}/shadow", kind)
        if kind.startswith("name/"):  # a named shadow: .../shadow/name/<shadow>/<kind>
            _name, shadow, rest = kind.split("/", 2)
            prefix, kind = f"{prefix}/name/{shadow}", rest
        try:
            payload = json.loads(message.payload or b"{}")
        except ValueError:
            log.warning("bridge: ignoring a message on %s that is not JSON", topic)
            return
        if kind == "update/delta":
            on_event = self._things.get(prefix)
            if on_event is not None:
                on_event("delta")
            return
        token = payload.get("clientToken") if isinstance(payload, dict) else None
        with self._lock:
            waiter = self._waiters.get(token) if isinstance(token, str) else None
        if waiter is None:
            return  # someone else's request (the skill, the console): not ours to answer
        waiter.accepted = kind.endswith("/accepted")
        waiter.payload = payload
        waiter.done.set()


def _no_delay(_client: Any, _userdata: Any, sock: Any) -> None:
    """Small messages go out at once: Nagle would hold a request behind an un-ACKed one."""
    raw = getattr(sock, "_socket", sock)  # paho wraps the socket for WebSocket
    with contextlib.suppress(AttributeError, OSError):
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class MqttShadow:
    """The same get/update as `Shadow` (HTTPS), over the shared MQTT connection."""

    def __init__(
        self,
        connection: ShadowConnection,
        thing_name: str,
        shadow_name: str | None,
        device: Device,
    ) -> None:
        self.connection = connection
        self.prefix = topic_prefix(thing_name, shadow_name)
        self.thing_name = thing_name
        self.device = device

    @property
    def usable(self) -> bool:
        return self.connection.ready.is_set()

    def _request(self, op: str, body: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        try:
            return self.connection.request(self.prefix, op, body)
        except (ConnectionError, TimeoutError) as exc:
            raise Unreachable(f"AWS IoT over MQTT: {exc}", self.device) from None

    def get(self) -> ShadowDoc | None:
        accepted, payload = self._request("get", {})
        if accepted:
            return ShadowDoc.parse(payload)
        if payload.get("code") == 404:
            return None  # no shadow yet
        raise _rejected(payload, self.device)

    def update(self, state: dict[str, Any], version: int | None = None) -> int | None:
        body: dict[str, Any] = {"state": state}
        if version is not None:
            body["version"] = version
        accepted, payload = self._request("update", body)
        if accepted:
            version = payload.get("version")
            return version if isinstance(version, int) else None
        if payload.get("code") == 409:
            raise Conflict(self.thing_name)
        raise _rejected(payload, self.device)


def _rejected(payload: dict[str, Any], device: Device) -> DeviceError:
    """An error response document (code is an HTTP status) as a device error."""
    code, message = payload.get("code"), payload.get("message")
    if code in (401, 403):
        return AuthFailed(f"AWS IoT refused the bridge ({code} {message})", device)
    if code in (429, 500, 503):
        return Unreachable(f"AWS IoT is busy ({code} {message})", device)
    return DeviceFault(f"AWS IoT rejected the request ({code} {message})", device)
