"""Session cookies: signed, HttpOnly, SameSite=Lax, and Secure unless plain http on loopback.

Browsers refuse Secure cookies over plain http except on the machine itself, so
`voice-demo serve` on 127.0.0.1 works without TLS while anything reached over the
network only keeps a login over https.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
LIFETIME = timedelta(hours=10)  # one working day at the stand


def plain_http_on_loopback() -> bool:
    if not has_request_context() or request.scheme != "http":
        return False
    return (urlsplit(f"//{request.host}").hostname or "") in LOOPBACK


class AdminSessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or not plain_http_on_loopback()


def configure(app: Flask, secret_key: str) -> None:
    app.secret_key = secret_key
    app.session_interface = AdminSessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="voice_demo_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=LIFETIME,
    )
