"""The account-linking access token: a Cognito JWT, checked on every directive.

RS256 is verified here in plain Python (RFC 8017 §8.2.2: rebuild the expected PKCS#1 v1.5
encoding and compare it whole, so no lenient parsing can be fooled) because the Lambda bundle
carries no compiled crypto library (see tests/aws/test_package.py); verifying needs only the
public key and `pow`. The pool's keys come from `{issuer}/.well-known/jwks.json`, cached.

Checked: the signature (RS256 only, key by `kid`), `iss`, `token_use == "access"`,
`client_id`, and `exp` — in that order, so an expired token is reported as expired only when
it is genuinely ours.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)

# DER prefix of DigestInfo for SHA-256 (RFC 8017 §9.2, note 1).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
JWKS_TTL_S = 3600.0
VERIFIED_CACHE = 256  # tokens whose signature and claims were checked (Alexa reuses one an hour)
JWKS_RETRY_S = 30.0  # an unknown kid refetches the keys at most this often
LEEWAY_S = 5  # clock skew between Cognito and us


class TokenError(Exception):
    """The token is not one of ours (bad signature, issuer, client, use, format)."""


class TokenExpired(TokenError):
    """A genuine token of ours whose `exp` has passed: Alexa refreshes and retries."""


class KeysUnavailable(Exception):
    """The pool's JWKS could not be fetched: our fault, not the user's (no relinking)."""


class ConfigError(ValueError):
    """The issuer setting is unusable (e.g. plain http away from 127.0.0.1)."""


@dataclass(frozen=True)
class Account:
    sub: str  # the Cognito user's id: what a home is linked to
    username: str | None
    expires_at: int


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_b64(text), "big")


def check_issuer(issuer: str) -> str:
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname:
        return issuer.rstrip("/")
    if parts.scheme == "http" and parts.hostname == "127.0.0.1":
        return issuer.rstrip("/")  # the tests' fake Cognito
    raise ConfigError(f"VOICE_DEMO_OAUTH_ISSUER must be an https URL, not {issuer!r}")


def rs256_valid(signing_input: bytes, signature: bytes, n: int, e: int) -> bool:
    k = (n.bit_length() + 7) // 8
    if len(signature) != k or k < 256:  # 2048-bit keys or more, as Cognito uses
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = _SHA256_PREFIX + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return hmac.compare_digest(em, expected)


class AccessTokenVerifier:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        *,
        http: requests.Session | None = None,
        wall: Callable[[], float] = time.time,
        timeout: tuple[float, float] = (1.0, 2.0),
    ) -> None:
        self.issuer = check_issuer(issuer)
        self.client_id = client_id
        self.jwks_url = f"{self.issuer}/.well-known/jwks.json"
        self._http = http or requests.Session()
        self._wall = wall
        self._timeout = timeout
        self._keys: dict[str, tuple[int, int]] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()
        self._verified: OrderedDict[str, Account] = OrderedDict()

    def verify(self, token: str) -> Account:
        """The token's account; TokenExpired / TokenError / KeysUnavailable otherwise."""
        with self._lock:
            account = self._verified.get(token) if isinstance(token, str) else None
            if account is not None:
                self._verified.move_to_end(token)
        if account is None:
            account = self._check(token)
            with self._lock:
                self._verified[token] = account
                while len(self._verified) > VERIFIED_CACHE:
                    self._verified.popitem(last=False)
        if account.expires_at + LEEWAY_S <= self._wall():
            raise TokenExpired("token expired")
        return account

    def _check(self, token: str) -> Account:
        """Signature and claims (not expiry, which `verify` checks on every use)."""
        if not isinstance(token, str) or token.count(".") != 2:
            raise TokenError("not a JWT")
        head_b64, body_b64, sig_b64 = token.split(".")
        try:
            head = json.loads(_b64(head_b64))
            claims = json.loads(_b64(body_b64))
            signature = _b64(sig_b64)
        except (ValueError, TypeError) as exc:
            raise TokenError(f"unreadable JWT: {exc.__class__.__name__}") from None
        if not isinstance(head, dict) or not isinstance(claims, dict):
            raise TokenError("JWT parts are not objects")
        if head.get("alg") != "RS256":
            raise TokenError(f"algorithm {head.get('alg')!r} is not accepted")
        key = self._key(head.get("kid"))
        if not rs256_valid(f"{head_b64}.{body_b64}".encode("ascii"), signature, *key):
            raise TokenError("bad signature")
        if claims.get("iss") != self.issuer:
            raise TokenError("token from another issuer")
        if claims.get("token_use") != "access":
            raise TokenError("not an access token")
        if claims.get("client_id") != self.client_id:
            raise TokenError("token for another app client")
        exp, sub = claims.get("exp"), claims.get("sub")
        if not isinstance(exp, int) or not isinstance(sub, str) or not sub:
            raise TokenError("token without exp or sub")
        username = claims.get("username")
        return Account(sub, username if isinstance(username, str) else None, exp)

    def _key(self, kid: Any) -> tuple[int, int]:
        if not isinstance(kid, str):
            raise TokenError("JWT without a key id")
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if kid not in self._keys and age > JWKS_RETRY_S or age > JWKS_TTL_S:
                self._fetch()
            if not self._keys:
                raise KeysUnavailable(f"no signing keys from {self.jwks_url}")
            try:
                return self._keys[kid]
            except KeyError:
                raise TokenError("signed with a key the pool doesn't publish") from None

    def _fetch(self) -> None:
        try:
            reply = self._http.get(self.jwks_url, timeout=self._timeout)
            reply.raise_for_status()
            keys = reply.json()["keys"]
            self._keys = {
                k["kid"]: (_int(k["n"]), _int(k["e"]))
                for k in keys
                if k.get("kty") == "RSA" and k.get("alg", "RS256") == "RS256" and "kid" in k
            }
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            # Keep the keys we had: one failed refresh must not log everybody out.
            log.warning("could not fetch the JWKS from %s: %s", self.jwks_url, exc)
        self._fetched_at = time.monotonic()
