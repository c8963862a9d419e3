"""What the admin views share for one app: password check, login throttle, programme desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, session

from skill.services import Services
from skill.settings import Settings
from skill.web.admin.auth import LoginThrottle, PasswordCheck

KEY = "voice_demo_admin"
UPLOAD_LIMIT = 1024 * 1024  # bytes of file; the request may carry a little form overhead


@dataclass
class AdminContext:
    settings: Settings
    services: Services
    password: PasswordCheck
    throttle: LoginThrottle
    desk: Any  # skill.programme.desk.ProgrammeDesk


def admin() -> AdminContext:
    return current_app.extensions[KEY]


def current_user() -> str | None:
    """The logged-in admin's name, or None (also when the password changed since login)."""
    if session.get("pw") != admin().password.fingerprint:
        return None
    return session.get("user")
