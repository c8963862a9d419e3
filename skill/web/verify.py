"""Alexa request verification for a self-hosted endpoint, on `cryptography` alone.

Amazon's rules: the cert chain URL is https://s3.amazonaws.com/echo.api/… (port 443);
the chain is valid now, leads to a trusted root and names echo-api.amazon.com; the
`Signature-256` header is an RSA/SHA-256 signature of the raw body; the request
timestamp is within 150 s. Every failure raises VerificationException, which the
endpoint turns into HTTP 400 — never 500 — and the cert fetch is bounded in time.
"""

from __future__ import annotations

import base64
import binascii
import logging
import posixpath
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import certifi
import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

from skill.alexa.envelope import application_id
from skill.clock import utc_now
from skill.web.compat import AbstractVerifier, VerificationException

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Signature-256"
CERT_URL_HEADER = "SignatureCertChainUrl"
ALEXA_CERT_NAME = "echo-api.amazon.com"
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
MAX_CERT_BYTES = 64 * 1024

Clock = Callable[[], datetime]


def check_cert_url(url: str) -> None:
    """Amazon's URL rules: scheme and host case-insensitive, path case-sensitive."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationException(f"malformed certificate URL: {exc}") from None
    if parts.scheme.lower() != "https":
        raise VerificationException("certificate URL must use https")
    if (parts.hostname or "").lower() != "s3.amazonaws.com":
        raise VerificationException("certificate URL must be on s3.amazonaws.com")
    if port not in (None, 443):
        raise VerificationException("certificate URL must use port 443")
    if not parts.path.startswith("/echo.api/") or not posixpath.normpath(parts.path).startswith(
        "/echo.api/"
    ):
        raise VerificationException("certificate URL path must start with /echo.api/")


def http_fetch(url: str, timeout_s: float = 0.8) -> bytes:
    """Fetch a PEM chain within `timeout_s` in all, however slowly the server drips it."""
    deadline = time.monotonic() + timeout_s
    try:
        with requests.get(url, timeout=(timeout_s / 2, timeout_s / 2), stream=True) as response:
            response.raise_for_status()
            data = bytearray()
            for chunk in response.iter_content(8192):
                data += chunk
                if len(data) > MAX_CERT_BYTES:
                    raise VerificationException("certificate chain too large")
                if time.monotonic() > deadline:
                    raise VerificationException("certificate fetch too slow")
            return bytes(data)
    except requests.RequestException as exc:
        raise VerificationException(
            f"certificate chain unreachable: {exc.__class__.__name__}"
        ) from None


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
    """Verified signing keys by URL: bounded, and never kept past the leaf's expiry or a day."""

    def __init__(self, max_entries: int = 32, max_age: timedelta = timedelta(days=1)) -> None:
        self._entries: OrderedDict[str, tuple[datetime, rsa.RSAPublicKey]] = OrderedDict()
        self._max = max_entries
        self._max_age = max_age
        self._lock = threading.Lock()

    def get(self, url: str, now: datetime) -> rsa.RSAPublicKey | None:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            if entry[0] <= now:
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return entry[1]

    def put(self, url: str, key: rsa.RSAPublicKey, expires: datetime, now: datetime) -> None:
        with self._lock:
            self._entries[url] = (min(expires, now + self._max_age), key)
            self._entries.move_to_end(url)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


class SignatureVerifier(AbstractVerifier):
    """Checks `Signature-256` against the certificate chain Alexa points to."""

    def __init__(
        self,
        fetch: Callable[[str], bytes] = http_fetch,
        trust: Store | Callable[[], Store] = system_trust_store,
        clock: Clock = utc_now,
        cache: CertChainCache | None = None,
    ) -> None:
        self._fetch = fetch
        self._trust = trust
        self._trust_lock = threading.Lock()
        self._clock = clock
        self._cache = cache or CertChainCache()

    def _store(self) -> Store:
        with self._trust_lock:
            if not isinstance(self._trust, Store):
                self._trust = self._trust()
            return self._trust

    def signing_key(self, url: str) -> rsa.RSAPublicKey:
        check_cert_url(url)
        now = self._clock()
        key = self._cache.get(url, now)
        if key is not None:
            return key
        try:
            certs = x509.load_pem_x509_certificates(self._fetch(url))
        except ValueError:
            raise VerificationException("certificate chain is not valid PEM") from None
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
            raise VerificationException(f"certificate chain rejected: {exc}") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationException("signing certificate does not hold an RSA key")
        self._cache.put(url, key, leaf.not_valid_after_utc, now)
        return key

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        url = headers.get(CERT_URL_HEADER)
        signature = headers.get(SIGNATURE_HEADER)
        if not url or not signature:
            raise VerificationException(f"missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        try:
            raw_signature = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise VerificationException("signature is not valid base64") from None
        key = self.signing_key(url)
        body = serialized_request_env
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            key.verify(raw_signature, body, padding.PKCS1v15(), SHA256())
        except InvalidSignature:
            raise VerificationException("signature does not match the request") from None


class TimestampVerifier(AbstractVerifier):
    """Refuses replays: the request must be recent (skill events may be up to an hour old)."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if not isinstance(stamp, datetime):
            raise VerificationException("request has no timestamp")
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        kind = getattr(request, "object_type", "") or ""
        tolerance = (
            SKILL_EVENT_TOLERANCE if kind.startswith("AlexaSkillEvent.") else REQUEST_TOLERANCE
        )
        if abs(self._clock() - stamp) > tolerance:
            raise VerificationException("request timestamp is too old or in the future")


class SkillIdVerifier(AbstractVerifier):
    """Only our skill may call us (the SDK's own check raises, which would mean a 500)."""

    def __init__(self, skill_id: str) -> None:
        self._skill_id = skill_id

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        if application_id(deserialized_request_env) != self._skill_id:
            raise VerificationException("request is for another skill")
