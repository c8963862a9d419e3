"""Log in and out. Failed attempts are throttled per name at an address, and per address."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from skill.homes import Role
from skill.web.admin import csrf
from skill.web.admin.context import admin
from skill.web.admin.cookies import plain_http_on_loopback


def _safe_next(target: str | None, role: Role) -> str:
    """Only return to our own admin pages (no open redirect); an OT starts at the homes."""
    if target and target.startswith("/admin/") and not target.startswith("//"):
        return target
    return url_for("admin_homes.index" if role is Role.OT else "admin.home")


def _minutes(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def register_routes(bp: Blueprint) -> None:
    @bp.route("/login", methods=["GET", "POST"])
    def login():
        errors: dict[str, str] = {}
        name = ""
        status = 200
        client = request.remote_addr or "unknown"
        if request.method == "POST":
            ctx = admin()
            name = " ".join(request.form.get("name", "").split())[:60]
            wait = ctx.throttle.retry_after(client, name)
            if wait:
                errors["password"] = (
                    f"Too many wrong passwords from this device. Try again in {_minutes(wait)}."
                )
                status = 429
            elif not name or not request.form.get("password"):
                if not name:
                    errors["name"] = "Enter your name or account name (it goes in the change log)."
                if not request.form.get("password"):
                    errors["password"] = "Enter your password."
                status = 400
            elif (account := ctx.accounts.log_in(name, request.form.get("password", ""))) is None:
                ctx.throttle.failed(client, name)
                errors["password"] = "That password is not right. Check it and try again."
                status = 401
            else:
                ctx.throttle.succeeded(client, name)
                target = _safe_next(request.args.get("next"), account.role)
                ctx.sessions.close(session.get("sid"))  # logging in again ends the old one
                session.clear()
                session.permanent = True
                session.update(
                    user=account.name,
                    pw=ctx.accounts.fingerprint(account),
                    sid=ctx.sessions.open(),
                )
                csrf.rotate()
                return redirect(target)
        page = render_template(
            "admin/login.html",
            errors=errors,
            name=name,
            insecure=not request.is_secure and not plain_http_on_loopback(),
        )
        return page, status

    @bp.post("/logout")
    def logout():
        admin().sessions.close(session.get("sid"))  # the server forgets it: copies are void
        session.clear()
        return redirect(url_for("admin.login"))
