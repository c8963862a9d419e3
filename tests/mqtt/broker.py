"""Debian's mosquitto on a free port of 127.0.0.1, configured for the tests alone.

`make test` installs it when missing (scripts/ensure-mosquitto.sh). amqtt was not an
option: it refuses topics starting with `$`, and every shadow topic does.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def binary() -> str | None:
    # Debian puts it in /usr/sbin, which is not on a normal user's PATH.
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mosquitto:
    """`start()` / `stop()` may be called again and again: the port stays the same."""

    def __init__(self, port: int | None = None, websockets_port: int | None = None) -> None:
        exe = binary()
        if exe is None:
            raise RuntimeError("mosquitto is not installed (scripts/ensure-mosquitto.sh)")
        self.exe = exe
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="mosquitto-"))
        self.config = self.dir / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "set_tcp_nodelay true\n"
            "persistence false\n"
            "log_dest none\n"
        )
        self.websockets_port = websockets_port
        if websockets_port:  # MQTT over WebSocket, as AWS IoT serves it on 443 (minus TLS)
            with self.config.open("a") as config:
                config.write(f"listener {websockets_port} 127.0.0.1\nprotocol websockets\n")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Mosquitto:
        self.process = subprocess.Popen(
            [self.exe, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"mosquitto exited ({self.process.returncode})") from None
                time.sleep(0.02)
        raise RuntimeError("mosquitto did not start listening in 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
