"""Fake plugs that speak the real wire protocols, served on 127.0.0.1 by pytest-httpserver.

Each keeps a relay state and has the knobs a test needs: a password, a refusal, a lost
entity. They check requests the way the real firmware does (digest SHA-256 for Shelly,
query credentials for Tasmota, bearer tokens for Home Assistant).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug.http import parse_dict_header
from werkzeug.wrappers import Request, Response


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class FakeShelly:
    """Gen2+ RPC over HTTP: /rpc/Switch.Set and /rpc/Switch.GetStatus."""

    password: str | None = None
    output: bool = False
    refuse: bool = False  # answer Switch.Set with an RPC error (e.g. overtemperature)
    status_broken: bool = False  # Switch.Set works but the state can't be read back
    realm: str = "shellyplusplugs-fake"
    calls: list[dict[str, str]] = field(default_factory=list)
    timer: tuple[float, float] | None = None

    def install(self, server) -> str:
        server.expect_request(re.compile(r"^/rpc/.*")).respond_with_handler(self.handle)
        return f"127.0.0.1:{server.port}"

    def _authorized(self, request: Request) -> bool:
        if self.password is None:
            return True
        header = request.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return False
        parts = parse_dict_header(header[len("Digest ") :])
        if parts.get("algorithm", "").upper() != "SHA-256" or parts.get("username") != "admin":
            return False
        ha1 = _sha256(f"admin:{self.realm}:{self.password}")
        ha2 = _sha256(f"{request.method}:{parts.get('uri')}")
        expected = _sha256(
            f"{ha1}:{parts.get('nonce')}:{parts.get('nc')}:{parts.get('cnonce')}:auth:{ha2}"
        )
        return parts.get("response") == expected

    def handle(self, request: Request) -> Response:
        if not self._authorized(request):
            challenge = (
                f'Digest qop="auth", realm="{self.realm}", '
                f'nonce="{secrets.token_hex(8)}", algorithm=SHA-256'
            )
            return Response(status=401, headers={"WWW-Authenticate": challenge})
        method = request.path.removeprefix("/rpc/")
        args = dict(request.args)
        self.calls.append({"method": method, **args})
        if args.get("id") != "0":
            return _json(
                {"code": -105, "message": f"Argument 'id', value {args.get('id')} not found!"}, 500
            )
        if method == "Switch.Set":
            if self.refuse:
                return _json({"code": -103, "message": "Overtemperature protection active"}, 500)
            was_on, self.output = self.output, args.get("on") == "true"
            self.timer = (
                (time.time(), float(args["toggle_after"]))
                if self.output and "toggle_after" in args
                else None
            )
            return _json({"was_on": was_on})
        if method == "Switch.GetStatus":
            if self.status_broken:
                return Response("busy", status=503)
            status: dict[str, Any] = {"id": 0, "source": "http", "output": self.output}
            if self.timer:
                status |= {"timer_started_at": self.timer[0], "timer_duration": self.timer[1]}
            return _json(status)
        return _json({"code": 404, "message": f"No handler for {method}"}, 404)


@dataclass
class FakeTasmota:
    """`GET /cm?cmnd=…` with optional `user=`/`password=`; wrong ones get the WARNING body."""

    password: str | None = None
    power: bool = False
    refuse: bool = False  # answer commands with {"Command": "Error"}
    pulse_time: int = 0
    commands: list[str] = field(default_factory=list)

    def install(self, server) -> str:
        server.expect_request("/cm").respond_with_handler(self.handle)
        return f"127.0.0.1:{server.port}"

    def handle(self, request: Request) -> Response:
        if self.password is not None and (
            request.args.get("user") != "admin" or request.args.get("password") != self.password
        ):
            return _json({"WARNING": "Need user=<username>&password=<password>"})
        command = request.args.get("cmnd", "")
        self.commands.append(command)
        if self.refuse:
            return _json({"Command": "Error"})
        name, _, value = command.partition(" ")
        if name.lower() in ("power", "power1"):
            if value.lower() in ("on", "1"):
                self.power = True
            elif value.lower() in ("off", "0"):
                self.power = False
            elif value:
                return _json({"Command": "Error"})
            return _json({"POWER": "ON" if self.power else "OFF"})
        if name.lower() == "pulsetime1":
            self.pulse_time = int(value)
            return _json({"PulseTime1": {"Set": self.pulse_time, "Remaining": 0}})
        return _json({"Command": "Unknown"})


@dataclass
class FakeHomeAssistant:
    """The REST API: service calls and states, behind a long-lived bearer token."""

    token: str = "ha-token"
    states: dict[str, str] = field(default_factory=lambda: {"switch.lamp": "off"})
    refuse: bool = False  # service calls fail as HA does when an integration raises

    def install(self, server) -> str:
        server.expect_request(re.compile(r"^/api/.*")).respond_with_handler(self.handle)
        return f"http://127.0.0.1:{server.port}"

    def _state(self, entity_id: str) -> dict[str, Any]:
        return {
            "entity_id": entity_id,
            "state": self.states[entity_id],
            "attributes": {},
            "last_changed": "2026-05-19T09:40:00+00:00",
        }

    def handle(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return Response("401: Unauthorized", status=401)
        if request.method == "GET" and request.path.startswith("/api/states/"):
            entity_id = request.path.removeprefix("/api/states/")
            if entity_id not in self.states:
                return _json({"message": "Entity not found."}, 404)
            return _json(self._state(entity_id))
        match = re.fullmatch(r"/api/services/(\w+)/(turn_on|turn_off)", request.path)
        if request.method == "POST" and match:
            if self.refuse:
                return Response("500 Internal Server Error", status=500)
            entity_id = (request.get_json(silent=True) or {}).get("entity_id")
            if entity_id not in self.states or self.states[entity_id] == "unavailable":
                return _json([])
            self.states[entity_id] = "on" if match.group(2) == "turn_on" else "off"
            return _json([self._state(entity_id)])
        return _json({"message": "Not found"}, 404)


def refused_port() -> int:
    """A port on 127.0.0.1 with nothing listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentSocket:
    """Accepts TCP connections (the kernel does, from the backlog) and never says a word."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()
