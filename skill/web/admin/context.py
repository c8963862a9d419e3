"""What the admin views share for one app: password check, login throttle, programme desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request, session

from skill.services import Services
from skill.settings import Settings
from skill.web.admin.auth import LoginThrottle, PasswordCheck, SessionRegistry

KEY = "voice_demo_admin"
UPLOAD_LIMIT = 1024 * 1024  # bytes of file; the request may carry a little form overhead


@dataclass
class AdminContext:
    settings: Settings
    services: Services
    password: PasswordCheck
    throttle: LoginThrottle
    sessions: SessionRegistry
    desk: Any  # skill.programme.editing.desk.ProgrammeDesk


def admin() -> AdminContext:
    return current_app.extensions[KEY]


def current_user() -> str | None:
    """The logged-in admin's name, or None: also when the password changed since login, and
    when the session was logged out (the server forgot its id), whatever the cookie says."""
    ctx = admin()
    if session.get("pw") != ctx.password.fingerprint or not ctx.sessions.is_live(
        session.get("sid")
    ):
        return None
    user = session.get("user")
    return user if isinstance(user, str) else None


def uploaded_file() -> tuple[str, bytes] | None:
    """The `file` field's name and bytes (HTTP 413 past the limit); None if none was sent."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    data = upload.stream.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        abort(413)
    return upload.filename, data
