"""Amazon's side of the smart-home skill, served on 127.0.0.1 by pytest-httpserver.

- `FakeCognito`: a user pool's JWKS at `{issuer}/.well-known/jwks.json`, and access tokens
  signed with a throwaway RSA key, with the claims Cognito puts in them (sub, iss,
  client_id, token_use "access", scope, exp…). Source: AWS docs, "Understanding the access
  token" (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html)
  and "Verifying a JSON web token" (the JWKS URL and the checks).
- `FakeLwa`: Login with Amazon's token endpoint (`POST /auth/o2/token`, form-encoded
  authorization_code and refresh_token grants; JSON answer with access_token, refresh_token,
  token_type "bearer", expires_in 3600; 400 {"error": "invalid_grant"}). Source: Alexa docs,
  "Authenticate a Customer to Your Skill / AcceptGrant" (developer.amazon.com/docs/smarthome/
  authenticate-a-customer-permissions.html).
- `FakeEventGateway`: `POST /v3/events` with a bearer token; 202 accepted, 401 for a token
  LWA didn't issue (or one scripted), 403 {"header": …, "payload": {"code":
  "SKILL_DISABLED_EXCEPTION", …}}, 429 with Retry-After. Source: Alexa docs, "Send Events to
  the Event Gateway" (developer.amazon.com/docs/smarthome/send-events.html).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug.wrappers import Request, Response

CLIENT_ID = "5example0cognito0app0client"
POOL = "eu-west-1_TestPool"
# From Amazon's sample AcceptGrant request (sample_messages/Authorization).
SAMPLE_GRANT_CODE = "ANUbUKCJqlBOpMhwYWxU"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, content_type="application/json", headers=headers
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def sign(key: rsa.RSAPrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


@dataclass
class FakeCognito:
    key: rsa.RSAPrivateKey
    kid: str = "test-key-1"
    issuer: str = ""
    jwks_requests: int = 0

    def install(self, server) -> str:
        self.issuer = f"http://127.0.0.1:{server.port}/{POOL}"
        server.expect_request(f"/{POOL}/.well-known/jwks.json").respond_with_handler(self.jwks)
        return self.issuer

    def jwks(self, request: Request) -> Response:
        self.jwks_requests += 1
        public = self.key.public_key().public_numbers()
        return _json(
            {
                "keys": [
                    {
                        "alg": "RS256",
                        "e": _uint(public.e),
                        "kid": self.kid,
                        "kty": "RSA",
                        "n": _uint(public.n),
                        "use": "sig",
                    }
                ]
            }
        )

    def token(self, sub: str, *, key: rsa.RSAPrivateKey | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "sub": sub,
            "iss": self.issuer,
            "client_id": CLIENT_ID,
            "origin_jti": str(uuid.uuid4()),
            "event_id": str(uuid.uuid4()),
            "token_use": "access",
            "scope": "openid",
            "auth_time": now,
            "exp": now + 3600,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "username": f"user-{sub[:8]}",
        }
        header = {"kid": overrides.pop("kid", self.kid), "alg": overrides.pop("alg", "RS256")}
        claims.update(overrides)
        return sign(key or self.key, header, claims)


@dataclass
class FakeLwa:
    client_id: str = "amzn1.application-oa2-client.testclient"
    client_secret: str = "lwa-secret"
    codes: set[str] = field(default_factory=lambda: {SAMPLE_GRANT_CODE})
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: set[str] = field(default_factory=set)
    grants: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, server) -> str:
        server.expect_request("/auth/o2/token", method="POST").respond_with_handler(self.handle)
        return f"http://127.0.0.1:{server.port}/auth/o2/token"

    def handle(self, request: Request) -> Response:
        form = dict(request.form)
        with self.lock:
            self.grants.append(form)
            if (form.get("client_id"), form.get("client_secret")) != (
                self.client_id,
                self.client_secret,
            ):
                return _json({"error": "invalid_client"}, 401)
            grant = form.get("grant_type")
            if grant == "authorization_code" and form.get("code") in self.codes:
                self.codes.discard(form["code"])  # single use
            elif grant == "refresh_token" and form.get("refresh_token") in self.refresh_tokens:
                pass
            elif grant == "client_credentials" and form.get("scope") == "alexa:skill_messaging":
                # The skill's own token for Skill Messaging: no refresh token (Alexa docs,
                # "Get access token with skill credentials").
                access = "Atc|" + secrets.token_urlsafe(16)
                self.access_tokens.add(access)
                return _json(
                    {
                        "access_token": access,
                        "expires_in": 3600,
                        "scope": "alexa:skill_messaging",
                        "token_type": "bearer",
                    }
                )
            else:
                return _json({"error": "invalid_grant", "error_description": "bad code"}, 400)
            access = "Atza|" + secrets.token_urlsafe(16)
            refresh = form.get("refresh_token") or "Atzr|" + secrets.token_urlsafe(16)
            self.access_tokens.add(access)
            self.refresh_tokens.add(refresh)
        return _json(
            {
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 3600,
            }
        )

    def count(self, grant_type: str) -> int:
        return sum(1 for g in self.grants if g.get("grant_type") == grant_type)


@dataclass
class FakeEventGateway:
    lwa: FakeLwa
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # next answers
    events: list[dict[str, Any]] = field(default_factory=list)  # accepted ones
    attempts: list[tuple[float, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, server) -> str:
        server.expect_request("/v3/events", method="POST").respond_with_handler(self.handle)
        return f"http://127.0.0.1:{server.port}/v3/events"

    def handle(self, request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            status, headers = self.script.pop(0) if self.script else (202, {})
            if status == 202 and token not in self.lwa.access_tokens:
                status = 401
            self.attempts.append((time.monotonic(), status, token))
            if status == 202:
                self.events.append(request.get_json())
                return Response(status=202)
        if status == 401:
            return _json(_exception("INVALID_ACCESS_TOKEN_EXCEPTION", "token invalid"), 401)
        if status == 403:
            return _json(_exception("SKILL_DISABLED_EXCEPTION", "skill disabled"), 403)
        if status == 429:
            return _json(_exception("THROTTLING_EXCEPTION", "slow down"), 429, headers)
        return _json(_exception("INTERNAL_SERVICE_EXCEPTION", "oops"), status)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.events) >= count:
                    return list(self.events)
            time.sleep(0.02)
        with self.lock:
            return list(self.events)


def _exception(code: str, description: str) -> dict[str, Any]:
    return {
        "header": {"messageId": str(uuid.uuid4())},
        "payload": {"code": code, "description": description},
    }
