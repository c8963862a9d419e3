"""Fake plugs that speak the real wire protocols, served on 127.0.0.1 by pytest-httpserver.

Each keeps a relay state and has the knobs a test needs: a password, a refusal, a lost
entity, a slow answer, firmware variants. They check requests the way the real firmware
does (digest SHA-256 for Shelly Gen2, Basic for Gen1, query credentials for Tasmota, bearer
tokens for Home Assistant). Payloads are the real bytes; each knob names its source.

A slow fake *applies* the command and then answers late, as a real plug on bad Wi-Fi or
Home Assistant waiting for Zigbee does: the relay has switched, the answer hasn't arrived.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug.http import parse_dict_header
from werkzeug.wrappers import Request, Response


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _drip(seconds: float) -> Response:
    """A JSON body that starts and never finishes (bounded here so the server thread ends)."""

    def body():
        yield b'{"id": 0, "output": '
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.2)
            yield b" "

    return Response(body(), status=200, content_type="application/json")


def _huge(mib: int) -> Response:
    """A body of `mib` MiB (a device fault: firmware dumping memory, a wrong service)."""

    def body():
        yield b'{"id": 0, "output": false, "junk": "'
        for _ in range(mib):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    return Response(body(), status=200, content_type="application/json")


@dataclass
class Slow:
    """Answer switch commands (and optionally reads) late: after applying them."""

    switch_s: float = 0.0
    read_s: float = 0.0
    drip_s: float = 0.0  # reads answer with a body that never finishes, for this long
    huge_mib: int = 0  # reads answer with a body this many MiB long

    def before_switch_answer(self) -> None:
        if self.switch_s:
            time.sleep(self.switch_s)

    def read_answer(self) -> Response | None:
        if self.read_s:
            time.sleep(self.read_s)
        if self.drip_s:
            return _drip(self.drip_s)
        if self.huge_mib:
            return _huge(self.huge_mib)
        return None


# GET /shelly of a Shelly Plus Plug S (Gen2), byte for byte the "shelly" object of
# github.com/home-assistant-libs/aioshelly fixtures/
# "gen2_Shelly Plus Plug S_SNPL-00112EU_20231219-134003-1.1.0-g34b5d4f.json" (commit 75b7e94).
SHELLY_GEN2_INFO = {
    "app": "PlusPlugS",
    "auth_domain": None,
    "auth_en": False,
    "fw_id": "20231219-134003/1.1.0-g34b5d4f",
    "gen": 2,
    "id": "shellyplusplugs-aabbccddeeff",
    "mac": "AABBCCDDEEFF",
    "model": "SNPL-00112EU",
    "name": "Test Name",
    "slot": 0,
    "ver": "1.1.0",
}
# The same fixture's status "switch:0" (Switch.GetStatus answers with this object).
SHELLY_GEN2_SWITCH = {
    "aenergy": {"by_minute": [34.786, 45.552, 45.552], "minute_ts": 1707326925, "total": 7258.589},
    "apower": 2.7,
    "current": 0.121,
    "id": 0,
    "output": True,
    "source": "init",
    "temperature": {"tC": 32.1, "tF": 89.7},
    "voltage": 227.9,
}


@dataclass
class FakeShelly:
    """Gen2+ RPC over HTTP: /shelly, /rpc/Switch.Set and /rpc/Switch.GetStatus.

    Errors as shelly-api-docs.shelly.cloud/gen2/General/CommonErrors documents them
    (-105 NOT FOUND for a switch id the plug doesn't have); `errors` in the status as
    .../gen2/ComponentsAndServices/Switch#status ("overtemp", "overpower", "overvoltage",
    "undervoltage"), shown only when one is present.
    """

    password: str | None = None
    output: bool = False
    refuse: bool = False  # answer Switch.Set with an RPC error (e.g. overtemperature)
    status_broken: bool = False  # Switch.Set works but the state can't be read back
    trips: str | None = None  # e.g. "overpower": switching on trips it straight off again
    slow: Slow = field(default_factory=Slow)
    realm: str = "shellyplusplugs-fake"
    calls: list[dict[str, str]] = field(default_factory=list)
    timer: tuple[float, float] | None = None

    def install(self, server) -> str:
        server.expect_request("/shelly").respond_with_json(SHELLY_GEN2_INFO)
        server.expect_request(re.compile(r"^/rpc/.*")).respond_with_handler(self.handle)
        return f"127.0.0.1:{server.port}"

    @property
    def switch_commands(self) -> int:
        return sum(1 for c in self.calls if c["method"] == "Switch.Set")

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
            if self.output and self.trips:
                self.output = False  # the load is too much: it switches itself off at once
            self.timer = (
                (time.time(), float(args["toggle_after"]))
                if self.output and "toggle_after" in args
                else None
            )
            self.slow.before_switch_answer()
            return _json({"was_on": was_on})
        if method == "Switch.GetStatus":
            if self.status_broken:
                return Response("busy", status=503)
            late = self.slow.read_answer()
            if late is not None:
                return late
            status: dict[str, Any] = SHELLY_GEN2_SWITCH | {"source": "http", "output": self.output}
            if self.timer:
                status |= {"timer_started_at": self.timer[0], "timer_duration": self.timer[1]}
            if self.trips:
                status["errors"] = [self.trips]
            return _json(status)
        return _json({"code": 404, "message": f"No handler for {method}"}, 404)


# GET /shelly of an original Shelly Plug S (Gen1), from the "shelly" object of
# github.com/home-assistant-libs/aioshelly fixtures/
# "gen1_Shelly Plug S_SHPLG-S_20230913-113421-v1.14.0-gcb84623.json" (commit 75b7e94);
# `auth` is true when login is enabled (shelly-api-docs.shelly.cloud/gen1/#shelly).
SHELLY_GEN1_INFO = {
    "auth": False,
    "discoverable": True,
    "fw": "20230913-113421/v1.14.0-gcb84623",
    "mac": "AABBCCDDEEFF",
    "name": "Test Name",
    "num_meters": 1,
    "num_outputs": 1,
    "type": "SHPLG-S",
}


@dataclass
class FakeShellyGen1:
    """Gen1 HTTP API: /shelly and /relay/0[?turn=on|off][&timer=s], HTTP Basic login.

    The relay object is the fixture's status "relays"[0] (aioshelly, as above):
    {"has_timer", "ison", "overpower", "source", "timer_duration", "timer_remaining",
    "timer_started"}; `timer` is the one-shot flip-back in seconds
    (shelly-api-docs.shelly.cloud/gen1/#shelly-plug-plugs-relay-0).
    """

    password: str | None = None
    ison: bool = False
    overpower: bool = False  # switching on trips it straight off again
    slow: Slow = field(default_factory=Slow)
    turns: list[dict[str, str]] = field(default_factory=list)
    timer: tuple[int, int] | None = None

    def install(self, server) -> str:
        server.expect_request("/shelly").respond_with_handler(self.info)
        server.expect_request(re.compile(r"^/relay/\d+$")).respond_with_handler(self.handle)
        return f"127.0.0.1:{server.port}"

    @property
    def switch_commands(self) -> int:
        return len(self.turns)

    def info(self, request: Request) -> Response:
        return _json(SHELLY_GEN1_INFO | {"auth": self.password is not None})

    def _relay(self) -> dict[str, Any]:
        started, duration = self.timer or (0, 0)
        return {
            "has_timer": self.timer is not None,
            "ison": self.ison,
            "overpower": self.overpower and not self.ison,
            "source": "http",
            "timer_duration": duration,
            "timer_remaining": max(0, started + duration - int(time.time())) if self.timer else 0,
            "timer_started": started,
        }

    def handle(self, request: Request) -> Response:
        if self.password is not None:
            auth = request.authorization
            if (
                not auth
                or auth.type != "basic"
                or (auth.username, auth.password)
                != (
                    "admin",
                    self.password,
                )
            ):
                return Response(
                    "401 Unauthorized", 401, {"WWW-Authenticate": 'Basic realm="shellyplug-s"'}
                )
        if request.path != "/relay/0":
            return Response("Not Found", status=404)
        turn = request.args.get("turn")
        if turn:
            self.turns.append(dict(request.args))
            self.ison = turn == "on" if turn in ("on", "off") else not self.ison
            if self.ison and self.overpower:
                self.ison = False
            timer = request.args.get("timer")
            self.timer = (int(time.time()), int(timer)) if self.ison and timer else None
            self.slow.before_switch_answer()
        else:
            late = self.slow.read_answer()
            if late is not None:
                return late
        return _json(self._relay())


@dataclass
class FakeTasmota:
    """`GET /cm?cmnd=…` with optional `user=`/`password=`; wrong ones get the WARNING body.

    The WARNING texts are Tasmota's own: github.com/arendst/Tasmota sonoff/xdrv_01_webserver.ino
    (commit 77c07a2, HandleHttpCommand, the 6.x web server): D_NEED_USER_AND_PASSWORD "Need
    user=<username>&password=<password>", and D_ENABLE_WEBLOG_FOR_RESPONSE "Enable weblog 2 if
    response expected" after running the command when the web log level is below 2. The
    state words are StateText1/StateText2 (default OFF/ON; users set "0"/"1", e.g.
    jneilliii/OctoPrint-Tasmota#150). In WiFi manager mode CaptivePortal() answers 302 with
    `Location: http://<its ip>` and an empty body.
    """

    password: str | None = None
    power: bool = False
    refuse: bool = False  # answer commands with {"Command": "Error"}
    pulse_time: int = 0
    state_text: tuple[str, str] = ("OFF", "ON")
    key: str = "POWER"  # "POWER1" on firmware/devices that number even a single relay
    weblog: int = 2
    captive_portal: bool = False
    slow: Slow = field(default_factory=Slow)
    commands: list[str] = field(default_factory=list)

    def install(self, server) -> str:
        server.expect_request("/cm").respond_with_handler(self.handle)
        return f"127.0.0.1:{server.port}"

    @property
    def switch_commands(self) -> int:
        return sum(1 for c in self.commands if re.fullmatch(r"(?i)power1?\s+\S+", c))

    def handle(self, request: Request) -> Response:
        if self.captive_portal:
            return Response("", status=302, headers={"Location": "http://192.168.4.1"})
        if self.password is not None and (
            request.args.get("user") != "admin" or request.args.get("password") != self.password
        ):
            return _json({"WARNING": "Need user=<username>&password=<password>"})
        command = request.args.get("cmnd", "")
        self.commands.append(command)
        answer = self._run(command)
        if self.weblog < 2:
            return _json({"WARNING": "Enable weblog 2 if response expected"})
        return answer

    def _run(self, command: str) -> Response:
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
            if value:
                self.slow.before_switch_answer()
            return _json({self.key: self.state_text[self.power]})
        if name.lower() == "pulsetime1":
            self.pulse_time = int(value)
            return _json({"PulseTime1": {"Set": self.pulse_time, "Remaining": 0}})
        return _json({"Command": "Unknown"})


@dataclass
class FakeHomeAssistant:
    """The REST API: service calls and states, behind a long-lived bearer token.

    As github.com/home-assistant/core homeassistant/components/api/__init__.py
    (commit 55899cb) answers: a service call returns the states that changed during it
    (after the service ran: "or after 10 seconds", developers.home-assistant.io/docs/api/rest),
    and an unknown service or invalid data raises aiohttp's HTTPBadRequest, whose body is
    "400: Bad Request". `assumed_state: true` is the entity attribute HA sets when it can't
    read the device (homeassistant/helpers/entity.py ATTR_ASSUMED_STATE).
    """

    token: str = "ha-token"
    states: dict[str, str] = field(default_factory=lambda: {"switch.lamp": "off"})
    refuse: bool = False  # service calls fail as HA does when an integration raises
    assumed: set[str] = field(default_factory=set)  # entities whose state HA only assumes
    domains: set[str] = field(default_factory=lambda: {"switch", "light", "homeassistant"})
    https_only: bool = False  # behind a proxy that redirects plain http to https
    slow: Slow = field(default_factory=Slow)
    service_calls: list[str] = field(default_factory=list)

    def install(self, server) -> str:
        server.expect_request(re.compile(r"^/api/.*")).respond_with_handler(self.handle)
        return f"http://127.0.0.1:{server.port}"

    @property
    def switch_commands(self) -> int:
        return len(self.service_calls)

    def _state(self, entity_id: str) -> dict[str, Any]:
        attributes: dict[str, Any] = {"friendly_name": entity_id.split(".")[-1].title()}
        if entity_id in self.assumed:
            attributes["assumed_state"] = True
        return {
            "entity_id": entity_id,
            "state": self.states[entity_id],
            "attributes": attributes,
            "last_changed": "2026-05-19T09:40:00+00:00",
            "last_updated": "2026-05-19T09:40:00+00:00",
            "context": {"id": "01HXYZ", "parent_id": None, "user_id": None},
        }

    def handle(self, request: Request) -> Response:
        if self.https_only:
            location = f"https://{request.host}{request.full_path.rstrip('?')}"
            return Response("", status=301, headers={"Location": location})
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return Response("401: Unauthorized", status=401)
        if request.method == "GET" and request.path.startswith("/api/states/"):
            late = self.slow.read_answer()
            if late is not None:
                return late
            entity_id = request.path.removeprefix("/api/states/")
            if entity_id not in self.states:
                return _json({"message": "Entity not found."}, 404)
            return _json(self._state(entity_id))
        match = re.fullmatch(r"/api/services/(\w+)/(\w+)", request.path)
        if request.method == "POST" and match:
            if match.group(1) not in self.domains or match.group(2) not in ("turn_on", "turn_off"):
                return Response("400: Bad Request", status=400, content_type="text/plain")
            if self.refuse:
                return Response("500 Internal Server Error", status=500)
            self.service_calls.append(f"{match.group(1)}.{match.group(2)}")
            entity_id = (request.get_json(silent=True) or {}).get("entity_id")
            if entity_id not in self.states or self.states[entity_id] == "unavailable":
                return _json([])
            self.states[entity_id] = "on" if match.group(2) == "turn_on" else "off"
            self.slow.before_switch_answer()
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


class HangUp:
    """Reads each HTTP request, then closes the connection without a word.

    A plug rebooting or losing Wi-Fi mid-answer: the request arrived (it may have switched),
    the answer never comes. Counts the request lines it received. `GET /shelly` alone is
    answered (as the Gen2 plug above), so the driver gets as far as switching.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def switch_commands(self) -> int:
        return sum(1 for line in self.requests if "Switch.Set" in line)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                line = data.split(b"\r\n", 1)[0].decode("latin-1")
                if line.startswith("GET /shelly "):
                    body = json.dumps(SHELLY_GEN2_INFO).encode()
                    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                    conn.sendall(head.encode() + body)
                elif line:
                    self.requests.append(line)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=2)
