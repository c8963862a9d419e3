"""A fake of AWS IoT's Device Shadow service: MQTT topics on a real broker, and its REST API.

One source of truth for both faces, as in AWS: the skill (Lambda) writes `desired` over
HTTPS with boto3's iot-data client (here plain HTTP on 127.0.0.1), the bridge listens on
MQTT and answers over MQTT, and every accepted update publishes the same messages whichever
face it came through. That is why the bridge tests use this fake rather than moto: moto
serves the REST API only, and a second copy of the shadow there would drift from this one.

Shapes follow the AWS IoT Developer Guide, "Device Shadow service documents"
(https://docs.aws.amazon.com/iot/latest/developerguide/device-shadow-document.html;
awsdocs/aws-iot-docs developerguide/device-shadow-document.md and
device-shadow-document-syntax.md): request state documents with `clientToken`/`version`;
/accepted responses with only the fields of the request and their metadata; /delta with the
desired keys that differ from reported (also those missing from reported), their metadata,
`version`, `timestamp`; /documents with `previous` and `current`; error documents
`{code, message, timestamp, clientToken}` where `code` is an HTTP status (409 for a version
conflict, 404 for no shadow). Topics per "Device Shadow MQTT topics"
(developerguide/device-shadow-mqtt.md). Metadata timestamps are epoch seconds, AWS's clock,
which `offset_s` moves (a command "written 31 s ago").

Metered like AWS: `operations` counts shadow operations (each get/update, either face),
`messages` counts MQTT messages to and from the bridge's side (AWS meters a message
published by the service per subscriber it reaches, so `update/documents`, which no client
of this project subscribes to, is not counted).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from paho.mqtt import client as paho

from skill.devices.mqtt import _no_delay

Key = tuple[str, str | None]  # (thing, named shadow or None for the classic one)


def _merge(section: dict[str, Any], meta: dict[str, Any], changes: dict[str, Any], ts: int):
    """Apply one section of a request: null deletes, objects merge, values replace."""
    for name, value in changes.items():
        if value is None:
            section.pop(name, None)
            meta.pop(name, None)
        elif isinstance(value, dict) and isinstance(section.get(name), dict):
            _merge(section[name], meta.setdefault(name, {}), value, ts)
        else:
            section[name] = copy.deepcopy(value)
            meta[name] = {"timestamp": ts}


def _stamps(changes: dict[str, Any], ts: int) -> dict[str, Any]:
    return {k: {"timestamp": ts} for k in changes}


class ShadowService:
    def __init__(self, broker_port: int) -> None:
        self.docs: dict[Key, dict[str, Any]] = {}  # {state: {desired, reported}, metadata, version}
        self.lock = threading.Lock()
        self.offset_s = 0.0
        self.operations: dict[str, int] = {}  # thing -> shadow operations
        self.messages: dict[str, int] = {}  # thing -> MQTT messages in and out
        self.updates: list[tuple[str, dict[str, Any]]] = []  # (thing, request), for assertions
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id="fake-aws-iot")
        self.client.reconnect_delay_set(0.1, 0.5)  # type: ignore[arg-type]
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_socket_open = _no_delay  # as AWS's broker answers: at once
        self.subscribed = threading.Event()
        self.client.on_subscribe = lambda *_: self.subscribed.set()
        self.client.connect_async("127.0.0.1", broker_port, keepalive=30)
        self.client.loop_start()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        if not self.subscribed.wait(10):
            raise RuntimeError("the fake shadow service could not subscribe")

    def now(self) -> int:
        return int(time.time() + self.offset_s)

    def reset(self) -> None:
        with self.lock:
            self.docs.clear()
            self.operations.clear()
            self.messages.clear()
            self.updates.clear()
            self.offset_s = 0.0

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.http.shutdown()
        self.http.server_close()

    # --- the shadow itself --------------------------------------------------------------------

    def _count(self, table: dict[str, int], thing: str, n: int = 1) -> None:
        table[thing] = table.get(thing, 0) + n

    def get(self, key: Key, token: str | None = None) -> tuple[bool, dict[str, Any]]:
        with self.lock:
            self._count(self.operations, key[0])
            doc = self.docs.get(key)
            ts = self.now()
            if doc is None:
                name = key[1] or "Unnamed Shadow"
                return False, self._error(404, f"No shadow exists with name: '{name}'", ts, token)
            state = copy.deepcopy(doc["state"])
            delta = self._delta(doc)
            if delta:
                state["delta"] = delta
            answer = {
                "state": state,
                "metadata": copy.deepcopy(doc["metadata"]),
                "version": doc["version"],
                "timestamp": ts,
            }
        if token is not None:
            answer["clientToken"] = token
        return True, answer

    def update(self, key: Key, request: Any) -> tuple[bool, dict[str, Any], list[tuple[str, Any]]]:
        """(accepted, answer, [(topic suffix, message)] to publish)."""
        token = request.get("clientToken") if isinstance(request, dict) else None
        with self.lock:
            self._count(self.operations, key[0])
            ts = self.now()
            state = request.get("state") if isinstance(request, dict) else None
            if not isinstance(state, dict):
                return False, self._error(400, "Missing required node: state", ts, token), []
            doc = self.docs.get(key)
            version = request.get("version")
            if version is not None and version != (doc or {}).get("version"):
                return False, self._error(409, "Version conflict", ts, token), []
            previous = copy.deepcopy(doc) if doc else None
            if doc is None:
                doc = {"state": {}, "metadata": {}, "version": 0}
                self.docs[key] = doc
            for section in ("desired", "reported"):
                if section not in state:
                    continue
                if state[section] is None:
                    doc["state"].pop(section, None)
                    doc["metadata"].pop(section, None)
                    continue
                _merge(
                    doc["state"].setdefault(section, {}),
                    doc["metadata"].setdefault(section, {}),
                    state[section],
                    ts,
                )
                if not doc["state"][section]:
                    doc["state"].pop(section)
                    doc["metadata"].pop(section, None)
            doc["version"] += 1
            self.updates.append((key[0], copy.deepcopy(request)))
            accepted = {
                "state": copy.deepcopy(state),
                "metadata": {s: _stamps(v, ts) for s, v in state.items() if isinstance(v, dict)},
                "version": doc["version"],
                "timestamp": ts,
            }
            if token is not None:
                accepted["clientToken"] = token
            current = {k: copy.deepcopy(doc[k]) for k in ("state", "metadata", "version")}
            documents = {"previous": previous, "current": current, "timestamp": ts}
            if token is not None:
                documents["clientToken"] = token
            out: list[tuple[str, Any]] = [("update/documents", documents)]
            delta = self._delta(doc)
            if isinstance(state.get("desired"), dict) and delta:
                meta = doc["metadata"].get("desired", {})
                message = {
                    "version": doc["version"],
                    "timestamp": ts,
                    "state": delta,
                    "metadata": {k: meta.get(k, {"timestamp": ts}) for k in delta},
                }
                if token is not None:
                    message["clientToken"] = token
                out.append(("update/delta", message))
        return True, accepted, out

    @staticmethod
    def _delta(doc: dict[str, Any]) -> dict[str, Any]:
        desired = doc["state"].get("desired", {})
        reported = doc["state"].get("reported", {})
        return {k: v for k, v in desired.items() if reported.get(k) != v}

    @staticmethod
    def _error(code: int, message: str, ts: int, token: str | None) -> dict[str, Any]:
        error: dict[str, Any] = {"code": code, "message": message, "timestamp": ts}
        if token is not None:
            error["clientToken"] = token
        return error

    def document(self, thing: str, shadow: str | None = None) -> dict[str, Any] | None:
        with self.lock:
            return copy.deepcopy(self.docs.get((thing, shadow)))

    # --- MQTT face ----------------------------------------------------------------------------

    def _on_connect(self, client: Any, *_: Any) -> None:
        client.subscribe(
            [
                ("$aws/things/+/shadow/update", 0),
                ("$aws/things/+/shadow/get", 0),
                ("$aws/things/+/shadow/name/+/update", 0),
                ("$aws/things/+/shadow/name/+/get", 0),
            ]
        )

    @staticmethod
    def _parse(topic: str) -> tuple[Key, str, str]:
        parts = topic.split("/")  # $aws things T shadow [name S] op
        thing = parts[2]
        shadow = parts[5] if parts[4] == "name" else None
        prefix = "/".join(parts[:-1])
        return (thing, shadow), prefix, parts[-1]

    def _publish(self, thing: str, topic: str, message: Any) -> None:
        if not topic.endswith("/update/documents"):  # nobody here subscribes: AWS meters none
            with self.lock:
                self._count(self.messages, thing)
        self.client.publish(topic, json.dumps(message))

    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        key, prefix, op = self._parse(message.topic)
        with self.lock:
            self._count(self.messages, key[0])
        try:
            request = json.loads(message.payload) if message.payload else {}
        except ValueError:
            ts = self.now()
            self._publish(
                key[0], f"{prefix}/{op}/rejected", self._error(400, "Invalid JSON", ts, None)
            )
            return
        token = request.get("clientToken") if isinstance(request, dict) else None
        if op == "get":
            accepted, answer = self.get(key, token)
            self._publish(key[0], f"{prefix}/get/{'accepted' if accepted else 'rejected'}", answer)
        elif op == "update":
            self._update_and_publish(key, prefix, request, mqtt=True)

    def _update_and_publish(
        self, key: Key, prefix: str, request: Any, *, mqtt: bool
    ) -> tuple[bool, dict[str, Any]]:
        accepted, answer, out = self.update(key, request)
        self._publish(key[0], f"{prefix}/update/{'accepted' if accepted else 'rejected'}", answer)
        for suffix, body in out:
            self._publish(key[0], f"{prefix}/{suffix}", body)
        return accepted, answer

    # --- REST face (boto3 iot-data: GetThingShadow, UpdateThingShadow) -------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one segment, sent at once: otherwise Nagle plus the
            # client's delayed ACK add 40 ms to a keep-alive request, which AWS doesn't.
            disable_nagle_algorithm = True
            wbufsize = -1

            def log_message(self, *_: Any) -> None:
                pass

            def _key(self) -> tuple[Key, str] | None:
                url = urlparse(self.path)
                parts = url.path.strip("/").split("/")
                if len(parts) != 3 or parts[0] != "things" or parts[2] != "shadow":
                    return None
                names = parse_qs(url.query).get("name")
                shadow = names[0] if names else None
                thing = parts[1]
                prefix = f"$aws/things/{thing}/shadow" + (f"/name/{shadow}" if shadow else "")
                return (thing, shadow), prefix

            def _send(self, status: int, body: dict[str, Any], error: str | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if error:
                    self.send_header("x-amzn-ErrorType", error)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                found = self._key()
                if found is None:
                    return self._send(
                        404, {"message": "no such route"}, "ResourceNotFoundException"
                    )
                accepted, answer = service.get(found[0])
                if accepted:
                    return self._send(200, answer)
                return self._send(404, answer, "ResourceNotFoundException")

            def do_POST(self) -> None:
                found = self._key()
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if found is None:
                    return self._send(
                        404, {"message": "no such route"}, "ResourceNotFoundException"
                    )
                try:
                    request = json.loads(raw)
                except ValueError:
                    return self._send(400, {"message": "Invalid JSON"}, "InvalidRequestException")
                accepted, answer = service._update_and_publish(*found, request, mqtt=False)
                if accepted:
                    return self._send(200, answer)
                if answer.get("code") == 409:
                    return self._send(409, answer, "ConflictException")
                return self._send(400, answer, "InvalidRequestException")

        return Handler
