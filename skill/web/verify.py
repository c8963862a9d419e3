"""Alexa request verification for a self-hosted endpoint, on `cryptography` alone.

Amazon's rules: the cert chain URL is https://s3.amazonaws.com/echo.api/… (port 443);
the chain is valid now, leads to a trusted root and names echo-api.amazon.com; the
`Signature-256` header is an RSA/SHA-256 signature of the raw body; the request
timestamp is within 150 s. Every failure raises VerificationException, which the
endpoint turns into HTTP 400 — never 500.

The certificate URL is parsed once, by one strict pattern, into a normal form; that
normal form is what is checked, cached and fetched (always from s3.amazonaws.com:443,
whatever the header tried to smuggle). The fetch has one monotonic deadline for
connect, TLS, headers and body, follows no redirects, and at most a few run at once.
Every URL or fetch problem is refused as just "bad certificate URL": the reason is
logged, never told to the client (it would map our network for an attacker).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import posixpath
import re
import select
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

from skill.alexa.envelope import BadEnvelope, application_id, request_timestamp
from skill.clock import utc_now
from skill.web.compat import AbstractVerifier, VerificationException

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Signature-256"
CERT_URL_HEADER = "SignatureCertChainUrl"
ALEXA_CERT_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
# The only requests Amazon documents as arriving up to an hour late (Skill Events).
SKILL_EVENT_TYPES = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)
MAX_CERT_BYTES = 64 * 1024
MAX_HEADER_BYTES = 16 * 1024
FETCH_DEADLINE_S = 0.8
BAD_URL = "bad certificate URL"

Clock = Callable[[], datetime]


class BadCertUrl(ValueError):
    """Why a certificate URL or its fetch was refused (logged only)."""


# The whole URL in one pattern: no userinfo, no backslash, no query or fragment, no other
# port, nothing before the host or after the path. Scheme and host are case-insensitive.
_CERT_URL = re.compile(
    r"(?i:https)://(?i:s3\.amazonaws\.com)(?::443)?(?P<path>/[A-Za-z0-9._~%/-]*)"
)
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]")


def _unescape(match: re.Match[str]) -> str:
    char = chr(int(match[1], 16))
    if not _UNRESERVED.fullmatch(char):  # %2f, %5c, %00, %25…: never a legitimate cert path
        raise BadCertUrl(f"escaped {match[0]!r} in the path")
    return char


def normalise_cert_url(url: object) -> str:
    """The one URL that is checked, cached and fetched; BadCertUrl if Amazon's rules fail.

    Unreserved escapes are decoded (`%2e` is a dot) before dot segments are resolved, so
    `/echo.api/%2e%2e/x` is seen as `/x` and refused, rather than checked as one path
    and fetched as another.
    """
    if not isinstance(url, str) or len(url) > 1024:
        raise BadCertUrl("not a string of a sensible length")
    match = _CERT_URL.fullmatch(url)
    if match is None:
        raise BadCertUrl("not https://s3.amazonaws.com[:443]/… with a plain path")
    path = _ESCAPE.sub(_unescape, match["path"])
    if "%" in path:
        raise BadCertUrl("stray % in the path")
    path = posixpath.normpath(path)
    if not path.startswith(CERT_PATH_PREFIX) or path == CERT_PATH_PREFIX.rstrip("/"):
        raise BadCertUrl("path does not start with /echo.api/")
    return f"https://{CERT_HOST}{path}"


def check_cert_url(url: object) -> str:
    """normalise_cert_url, refusing with the one reason the client is told."""
    try:
        return normalise_cert_url(url)
    except BadCertUrl as exc:
        log.warning("refused certificate URL %.200r: %s", url, exc)
        raise VerificationException(BAD_URL) from None


# --- fetching -------------------------------------------------------------------------


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise BadCertUrl("certificate fetch deadline passed")
    return left


def _wait(sock: socket.socket, *, write: bool, deadline: float) -> None:
    readers, writers = ([], [sock]) if write else ([sock], [])
    ready = select.select(readers, writers, [], _remaining(deadline))
    if not ready[0] and not ready[1]:
        raise BadCertUrl("certificate fetch deadline passed")


def _handshake(sock: ssl.SSLSocket, deadline: float) -> None:
    while True:
        try:
            sock.do_handshake()
            return
        except ssl.SSLWantReadError:
            _wait(sock, write=False, deadline=deadline)
        except ssl.SSLWantWriteError:
            _wait(sock, write=True, deadline=deadline)


def _send_all(sock: socket.socket, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        try:
            sent = sock.send(view)
        except (BlockingIOError, ssl.SSLWantWriteError):
            _wait(sock, write=True, deadline=deadline)
            continue
        except ssl.SSLWantReadError:
            _wait(sock, write=False, deadline=deadline)
            continue
        view = view[sent:]


def _body_complete(buffer: bytes) -> bool:
    """True once a Content-Length response is all here (the server may not close)."""
    head, sep, body = buffer.partition(b"\r\n\r\n")
    if not sep:
        return False
    found = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return found is not None and len(body) >= int(found[1])


def _read_all(sock: socket.socket, deadline: float, limit: int) -> bytes:
    buffer = bytearray()
    while not _body_complete(bytes(buffer)):
        try:
            chunk = sock.recv(16384)
        except (BlockingIOError, ssl.SSLWantReadError):
            _wait(sock, write=False, deadline=deadline)
            continue
        except ssl.SSLWantWriteError:
            _wait(sock, write=True, deadline=deadline)
            continue
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            break
        if not chunk:
            break
        buffer += chunk
        if len(buffer) > limit:
            raise BadCertUrl("certificate response too large")
    return bytes(buffer)


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    while True:
        line, sep, body = body.partition(b"\r\n")
        if not sep:
            raise BadCertUrl("truncated chunked body")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadCertUrl("bad chunk size") from None
        if size == 0:
            return bytes(out)
        if len(body) < size + 2:
            raise BadCertUrl("truncated chunked body")
        out += body[:size]
        body = body[size + 2 :]


def parse_response(raw: bytes) -> bytes:
    """The body of a 200 answer; anything else (a redirect too) is refused."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise BadCertUrl("no complete HTTP response")
    lines = head.split(b"\r\n")
    status = re.fullmatch(rb"HTTP/1\.[01] (\d{3})(?: .*)?", lines[0])
    if status is None:
        raise BadCertUrl("not an HTTP/1.x response")
    if status[1] != b"200":
        raise BadCertUrl(f"HTTP {status[1].decode()} (redirects are not followed)")
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        return _dechunk(body)
    if b"content-length" in headers:
        try:
            length = int(headers[b"content-length"])
        except ValueError:
            raise BadCertUrl("bad Content-Length") from None
        if len(body) < length:
            raise BadCertUrl("truncated body")
        return body[:length]
    return body


def default_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


class CertFetcher:
    """GET one normalised certificate URL within one deadline, however slow the server.

    `connect_to` overrides the address dialled (tests point it at a loopback "S3"); the
    Host header, SNI and the TLS name check still say s3.amazonaws.com. The wait for
    every byte — connect, handshake, headers, body — counts against the same deadline.
    """

    def __init__(
        self,
        connect_to: tuple[str, int] | None = None,
        *,
        tls: bool = True,
        tls_context: ssl.SSLContext | None = None,
        deadline_s: float = FETCH_DEADLINE_S,
        max_bytes: int = MAX_CERT_BYTES,
    ) -> None:
        self.connect_to = connect_to
        self.tls = tls
        self._context = tls_context
        self._context_lock = threading.Lock()
        self.deadline_s = deadline_s
        self.max_bytes = max_bytes

    def _tls_context(self) -> ssl.SSLContext:
        with self._context_lock:
            if self._context is None:
                self._context = default_tls_context()
            return self._context

    def __call__(self, url: str) -> bytes:
        deadline = time.monotonic() + self.deadline_s
        parts = urlsplit(normalise_cert_url(url))
        host = parts.hostname or CERT_HOST
        address = self.connect_to or (host, 443)
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n"
            "User-Agent: voice-demo\r\nConnection: close\r\n\r\n"
        ).encode("ascii")
        try:
            sock: socket.socket = socket.create_connection(address, timeout=_remaining(deadline))
        except OSError as exc:
            raise BadCertUrl(f"connect failed: {exc.__class__.__name__}") from None
        try:
            sock.setblocking(False)
            if self.tls:
                sock = self._tls_context().wrap_socket(
                    sock, server_hostname=host, do_handshake_on_connect=False
                )
                _handshake(sock, deadline)
            _send_all(sock, request, deadline)
            raw = _read_all(sock, deadline, self.max_bytes + MAX_HEADER_BYTES)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            if isinstance(exc, BadCertUrl):
                raise
            raise BadCertUrl(f"fetch failed: {exc.__class__.__name__}") from None
        finally:
            sock.close()
        body = parse_response(raw)
        if len(body) > self.max_bytes:
            raise BadCertUrl("certificate chain too large")
        return body


def system_trust_store() -> Store:
    """Mozilla's roots from certifi, parsed one by one so one odd root can't break all."""
    roots = []
    for block in certifi.contents().split("-----END CERTIFICATE-----"):
        if "-----BEGIN CERTIFICATE-----" in block:
            try:
                roots.append(
                    x509.load_pem_x509_certificate(
                        (block + "-----END CERTIFICATE-----").strip().encode()
                    )
                )
            except ValueError:
                continue
    return Store(roots)


class CertChainCache:
    """Signing keys by normalised URL: bounded, and never kept past the leaf's expiry or a
    day. The verifier keeps two: keys that have signed a request (the genuine certificate
    lives there, and only a correctly signed request can add to it), and a small one for
    chains that verified but have signed nothing yet — where unsigned floods churn."""

    def __init__(self, max_entries: int = 32, max_age: timedelta = timedelta(days=1)) -> None:
        self._entries: OrderedDict[str, tuple[datetime, rsa.RSAPublicKey]] = OrderedDict()
        self._max = max_entries
        self._max_age = max_age
        self._lock = threading.Lock()

    def get(self, url: str, now: datetime) -> rsa.RSAPublicKey | None:
        entry = self.entry(url, now)
        return None if entry is None else entry[1]

    def entry(self, url: str, now: datetime) -> tuple[datetime, rsa.RSAPublicKey] | None:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return entry

    def put(self, url: str, key: rsa.RSAPublicKey, expires: datetime, now: datetime) -> None:
        with self._lock:
            self._entries[url] = (min(expires, now + self._max_age), key)
            self._entries.move_to_end(url)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class FailureCache:
    """URLs whose fetch or chain failed lately: refused without another fetch (bounded)."""

    def __init__(
        self,
        ttl_s: float = 10.0,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._until: OrderedDict[str, float] = OrderedDict()
        self._ttl = ttl_s
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()

    def failed_lately(self, url: str) -> bool:
        with self._lock:
            until = self._until.get(url)
            if until is None:
                return False
            if until <= self._clock():
                del self._until[url]
                return False
            return True

    def add(self, url: str) -> None:
        with self._lock:
            self._until[url] = self._clock() + self._ttl
            self._until.move_to_end(url)
            while len(self._until) > self._max:
                self._until.popitem(last=False)


class FetchSlots:
    """At most `limit` fetches in flight, and one per URL (later askers wait for it)."""

    def __init__(self, limit: int = 4) -> None:
        self.limit = limit
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def claim(self, url: str) -> threading.Event | None:
        """None: the caller fetches and must `release`. An Event: wait for that fetch.
        BadCertUrl when all slots are busy (refused at once, never queued)."""
        with self._lock:
            running = self._running.get(url)
            if running is not None:
                return running
            if len(self._running) >= self.limit:
                raise BadCertUrl(f"{self.limit} certificate fetches already in flight")
            self._running[url] = threading.Event()
            return None

    def release(self, url: str) -> None:
        with self._lock:
            self._running.pop(url).set()

    def in_flight(self) -> int:
        with self._lock:
            return len(self._running)


class SignatureVerifier(AbstractVerifier):
    """Checks `Signature-256` against the certificate chain Alexa points to."""

    def __init__(
        self,
        fetch: Callable[[str], bytes] | None = None,
        trust: Store | Callable[[], Store] = system_trust_store,
        clock: Clock = utc_now,
        cache: CertChainCache | None = None,
        *,
        failures: FailureCache | None = None,
        slots: FetchSlots | None = None,
    ) -> None:
        self._fetch = fetch or CertFetcher()
        self._trust = trust
        self._trust_lock = threading.Lock()
        self._clock = clock
        self._cache = cache or CertChainCache()
        self._unproven = CertChainCache(max_entries=8)
        self._failures = failures or FailureCache()
        self._slots = slots or FetchSlots()

    def _store(self) -> Store:
        with self._trust_lock:
            if not isinstance(self._trust, Store):
                self._trust = self._trust()
            return self._trust

    def signing_key(self, url: object) -> rsa.RSAPublicKey:
        """The key behind a certificate URL, fetched and verified if not known yet."""
        return self._key(check_cert_url(url))[0]

    def _key(self, normalised: str) -> tuple[rsa.RSAPublicKey, datetime, bool]:
        """(key, expiry, proven): proven once the key has signed a request."""
        now = self._clock()
        for cache, proven in ((self._cache, True), (self._unproven, False)):
            entry = cache.entry(normalised, now)
            if entry is not None:
                return entry[1], entry[0], proven
        try:
            key, expires = self._fetch_once(normalised, now)
        except BadCertUrl as exc:
            log.warning("refused certificate URL %s: %s", normalised, exc)
            raise VerificationException(BAD_URL) from None
        return key, expires, False

    def _fetch_once(self, url: str, now: datetime) -> tuple[rsa.RSAPublicKey, datetime]:
        if self._failures.failed_lately(url):
            raise BadCertUrl("failed moments ago; not fetched again yet")
        running = self._slots.claim(url)
        if running is not None:  # someone is fetching this very URL: share their answer
            running.wait(FETCH_DEADLINE_S + 0.5)
            entry = self._unproven.entry(url, now) or self._cache.entry(url, now)
            if entry is None:
                raise BadCertUrl("the fetch this request waited for failed")
            return entry[1], entry[0]
        try:
            key, expires = self._verified_key(self._fetch(url), now)
        except BadCertUrl:
            self._failures.add(url)
            raise
        except Exception as exc:  # noqa: BLE001 - a custom fetcher may raise anything
            self._failures.add(url)
            raise BadCertUrl(f"fetch failed: {exc.__class__.__name__}") from None
        else:
            self._unproven.put(url, key, expires, now)
            return key, expires
        finally:
            self._slots.release(url)

    def _verified_key(self, pem: bytes, now: datetime) -> tuple[rsa.RSAPublicKey, datetime]:
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError:
            raise BadCertUrl("certificate chain is not valid PEM") from None
        leaf, intermediates = certs[0], certs[1:]
        verifier = (
            PolicyBuilder()
            .store(self._store())
            .time(now)
            .build_server_verifier(DNSName(ALEXA_CERT_NAME))
        )
        try:
            verifier.verify(leaf, intermediates)
        except VerificationError as exc:
            raise BadCertUrl(f"certificate chain rejected: {exc}") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise BadCertUrl("signing certificate does not hold an RSA key")
        return key, leaf.not_valid_after_utc

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str | bytes,
        deserialized_request_env: Any,
    ) -> None:
        url = headers.get(CERT_URL_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not url or not signature:
            raise VerificationException(f"missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        try:
            raw_signature = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise VerificationException("signature is not valid base64") from None
        normalised = check_cert_url(url)
        key, expires, proven = self._key(normalised)
        body = serialized_request_env
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            key.verify(raw_signature, body, padding.PKCS1v15(), SHA256())
        except InvalidSignature:
            raise VerificationException("signature does not match the request") from None
        if not proven:
            self._cache.put(normalised, key, expires, self._clock())


class TimestampVerifier(AbstractVerifier):
    """Refuses replays: the request must be recent (skill events may be up to an hour old).

    Read from the signed body itself, not the SDK's object: the request `type` decides the
    tolerance (an extra `object_type` key cannot), and a timestamp must be a full date and
    time with a real offset.
    """

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str | bytes,
        deserialized_request_env: Any,
    ) -> None:
        try:
            payload = json.loads(serialized_request_env)
            request = payload["request"]
            stamp = request_timestamp(request)
        except (BadEnvelope, ValueError, TypeError, KeyError, RecursionError):
            raise VerificationException("request timestamp is missing or malformed") from None
        if stamp is None:
            raise VerificationException("request has no timestamp")
        kind = request.get("type")
        tolerance = SKILL_EVENT_TOLERANCE if kind in SKILL_EVENT_TYPES else REQUEST_TOLERANCE
        if abs(self._clock() - stamp) > tolerance:
            raise VerificationException("request timestamp is too old or in the future")


class SkillIdVerifier(AbstractVerifier):
    """Only our skill may call us (the SDK's own check raises, which would mean a 500)."""

    def __init__(self, skill_id: str) -> None:
        self._skill_id = skill_id

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str | bytes,
        deserialized_request_env: Any,
    ) -> None:
        if application_id(deserialized_request_env) != self._skill_id:
            raise VerificationException("request is for another skill")
