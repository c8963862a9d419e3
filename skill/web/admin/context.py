"""What the admin views share for one app: password check, login throttle, programme desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request, session

from skill.homes import Account, Accounts, HomeDirectory, Role
from skill.services import Services
from skill.settings import Settings
from skill.web.admin.auth import LoginThrottle, PasswordCheck, SessionRegistry

KEY = "voice_demo_admin"
UPLOAD_LIMIT = 1024 * 1024  # bytes of file; the request may carry a little form overhead


@dataclass
class AdminContext:
    settings: Settings
    services: Services
    password: PasswordCheck | None  # the shared VOICE_DEMO_ADMIN_PASSWORD, if set
    throttle: LoginThrottle
    sessions: SessionRegistry
    desk: Any  # skill.programme.editing.desk.ProgrammeDesk
    accounts: Accounts
    directory: HomeDirectory


def admin() -> AdminContext:
    return current_app.extensions[KEY]


def current_account() -> Account | None:
    """The logged-in account, or None (also when its password or role changed since login)."""
    name, fingerprint = session.get("user"), session.get("pw")
    if not isinstance(name, str) or not isinstance(fingerprint, str):
        return None
    ctx = admin()
    if not ctx.sessions.is_live(session.get("sid")):  # logged out: the server forgot its id
        return None
    return ctx.accounts.current(name, fingerprint)


def current_user() -> str | None:
    """The logged-in admin's name (for the change log), or None."""
    account = current_account()
    return account.name if account else None


def require_role(*roles: Role) -> Account:
    account = current_account()
    if account is None or account.role not in roles:
        abort(403, "Your account can't use this page. Ask an administrator if you need to.")
    return account


def uploaded_file() -> tuple[str, bytes] | None:
    """The `file` field's name and bytes (HTTP 413 past the limit); None if none was sent."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    data = upload.stream.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        abort(413)
    return upload.filename, data
