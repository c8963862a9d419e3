"""CSRF protection for every form post and state-changing JSON call.

A random token lives in the (signed, HttpOnly) session; pages put it in a hidden field,
scripts send it as `X-CSRF-Token`. Another site can make the browser send the cookie,
but cannot read the page to learn the token.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token() -> str:
    """This session's token, created on first use (a login form needs one too)."""
    value = session.get(FIELD)
    if not value:
        value = secrets.token_urlsafe(32)
        session[FIELD] = value
    return value


def request_is_valid() -> bool:
    """True for safe methods, or when the submitted token matches the session's."""
    if request.method in SAFE_METHODS:
        return True
    expected = session.get(FIELD)
    sent = request.headers.get(HEADER) or request.form.get(FIELD) or ""
    if not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def rotate() -> None:
    """A fresh token after login, so a token seen before login is worthless afterwards."""
    session[FIELD] = secrets.token_urlsafe(32)
