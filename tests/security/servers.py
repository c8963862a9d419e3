"""Loopback servers that play S3, an attacker's host and slow clients, on real sockets.

The fake S3 answers as S3's GetObject does (status line and headers as in
https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Response Syntax":
`x-amz-id-2`, `x-amz-request-id`, `ETag`, `Accept-Ranges`, `Server: AmazonS3`), over TLS
with a certificate for s3.amazonaws.com from the tests' throwaway CA.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.ca import TestCA

Responder = Callable[[socket.socket, bytes], None]


def s3_headers(length: int, status: str = "200 OK", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\n"
        "x-amz-id-2: ef8yU9AS1ed4OpIszj7UDNEHGran\r\n"
        "x-amz-request-id: 318BC8BC143432E5\r\n"
        "Date: Tue, 19 May 2026 09:40:00 GMT\r\n"
        'ETag: "fba9dede5f27731c9771645a39863328"\r\n'
        "Accept-Ranges: bytes\r\n"
        "Content-Type: application/x-pem-file\r\n"
        f"Content-Length: {length}\r\n"
        f"{extra}"
        "Server: AmazonS3\r\n\r\n"
    ).encode()


def serve_object(body: bytes) -> Responder:
    def respond(conn: socket.socket, request: bytes) -> None:
        conn.sendall(s3_headers(len(body)) + body)

    return respond


def not_found() -> Responder:
    body = b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code></Error>"

    def respond(conn: socket.socket, request: bytes) -> None:
        conn.sendall(s3_headers(len(body), "404 Not Found") + body)

    return respond


def redirect_to(location: str) -> Responder:
    def respond(conn: socket.socket, request: bytes) -> None:
        conn.sendall(s3_headers(0, "301 Moved Permanently", f"Location: {location}\r\n"))

    return respond


def trickle(body: bytes, every_s: float = 0.05, stop: threading.Event | None = None) -> Responder:
    """Headers, then the body one byte at a time: each byte in time, the whole never."""

    def respond(conn: socket.socket, request: bytes) -> None:
        conn.sendall(s3_headers(len(body)))
        for byte in body:  # bounded by the body's length; the client hangs up long before
            if stop is not None and stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(every_s)

    return respond


def silent(conn: socket.socket, request: bytes) -> None:
    time.sleep(3)


class LoopbackServer:
    """Accepts on 127.0.0.1, optionally over TLS, reads one request, lets `respond` answer.

    Records every connection and request, and the most connections open at once.
    """

    def __init__(self, respond: Responder, tls: ssl.SSLContext | None = None) -> None:
        self.respond = respond
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self.open_now = 0
        self.most_open = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._accepter.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._accepter.join(2)
        for thread in self._threads:
            thread.join(2)
        self._listener.close()

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with self._lock:
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            conn.settimeout(2)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            with self._lock:
                self.requests.append(request)
            self.respond(conn, request)
        except OSError:
            pass  # the client gave up on us: that is what several tests want
        finally:
            with self._lock:
                self.open_now -= 1
            conn.close()


def s3_tls(ca: TestCA, folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context for the fake S3, client context trusting only the test CA)."""
    leaf = ca.leaf(dns="s3.amazonaws.com")
    cert = folder / "s3.pem"
    key = folder / "s3.key"
    cert.write_bytes(leaf.pem_chain)
    key.write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(
        cadata=ca.cert.public_bytes(serialization.Encoding.PEM).decode()
    )
    return server, client
