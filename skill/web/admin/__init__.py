"""Admin pages and their JSON API: council staff change what the skill says, safely.

Without `VOICE_DEMO_ADMIN_PASSWORD` the admin pages refuse to start (every /admin URL
explains why) while the skill itself keeps answering.
"""

from __future__ import annotations

import logging
import os

from flask import Blueprint, Flask, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from skill.homes import Accounts, Role
from skill.homes.setup import Homes
from skill.programme.editing.desk import ProgrammeDesk
from skill.services import Services
from skill.settings import Settings
from skill.web.admin import cookies, csrf
from skill.web.admin.auth import (
    LoginThrottle,
    PasswordCheck,
    SessionRegistry,
    load_or_create_secret_key,
)
from skill.web.admin.context import (
    KEY,
    UPLOAD_LIMIT,
    AdminContext,
    current_account,
    current_user,
)
from skill.web.admin.publishing import PUSH_ENV

log = logging.getLogger(__name__)

PUBLIC_ENDPOINTS = frozenset({"admin.login", "admin.static"})
NO_PASSWORD = (
    "The admin pages are switched off because no admin password is set. "
    "Set VOICE_DEMO_ADMIN_PASSWORD and restart (or use `voice-demo serve --demo`)."
)


def register(app: Flask, settings: Settings, services: Services) -> None:
    homes = _homes(settings, services)
    if not settings.admin_password and not homes.accounts.all():
        log.error(NO_PASSWORD)
        app.register_blueprint(_switched_off())
        return
    folder = settings.data_dir / "admin"
    cookies.configure(app, load_or_create_secret_key(folder))
    shared = PasswordCheck(folder, settings.admin_password) if settings.admin_password else None
    app.extensions[KEY] = AdminContext(
        settings=settings,
        services=services,
        password=shared,
        throttle=LoginThrottle(),
        sessions=SessionRegistry(folder, cookies.LIFETIME.total_seconds()),
        desk=ProgrammeDesk.open(
            services.programme, settings.data_dir, settings.timezone, services.clock
        ),
        accounts=Accounts(homes.accounts.store, shared),
        directory=homes.directory,
    )
    # Model push settings are read once, here; a publish starts the push (skill.model.push).
    app.extensions[PUSH_ENV] = {k: v for k, v in os.environ.items() if k.startswith("VOICE_DEMO_")}
    from skill.web.admin import accounts_pages, api, homes_api, homes_pages, login, pages

    bp = Blueprint(
        "admin",
        __name__,
        url_prefix="/admin",
        template_folder="templates",
        static_folder="static",
    )
    protect(bp)
    login.register_routes(bp)
    pages.register_routes(bp)
    app.register_blueprint(bp)

    api_bp = Blueprint("admin_api", __name__, url_prefix="/admin/api")
    protect(api_bp)
    api.register_routes(api_bp)
    app.register_blueprint(api_bp)

    homes_bp = Blueprint("admin_homes", __name__, url_prefix="/admin/homes")
    protect(homes_bp)
    homes_pages.register_routes(homes_bp)
    app.register_blueprint(homes_bp)
    accounts_bp = Blueprint("admin_accounts", __name__, url_prefix="/admin/accounts")
    protect(accounts_bp)
    accounts_pages.register_routes(accounts_bp)
    app.register_blueprint(accounts_bp)
    homes_api_bp = Blueprint("admin_api_homes", __name__, url_prefix="/admin/api/homes")
    protect(homes_api_bp)
    homes_api.register_routes(homes_api_bp)
    app.register_blueprint(homes_api_bp)
    for code in (404, 405):  # an /admin address no route matches: no blueprint answers it
        app.register_error_handler(code, _unrouted)


def _homes(settings: Settings, services: Services) -> Homes:
    found = getattr(services, "homes", None)
    if isinstance(found, Homes):
        return found
    from skill.homes.setup import homes_for

    return homes_for(settings)


def protect(bp: Blueprint) -> None:
    """Put another area's admin blueprint behind the same login, CSRF check and error pages.

    Name a JSON blueprint "admin_api…" to get JSON errors. Register it only when the admin
    pages are on (`KEY in app.extensions`); otherwise the switched-off catch-all answers.
    """
    bp.before_request(_guard)
    bp.after_request(_harden)
    api = bp.name.startswith("admin_api")
    bp.register_error_handler(HTTPException, _api_error if api else _page_error)
    from skill.web.admin import refusals

    for kind in refusals.REFUSALS:
        bp.register_error_handler(kind, refusals.api_answer if api else refusals.page_answer)
    bp.context_processor(_template_globals)


def _template_globals() -> dict:
    return {
        "csrf_token": csrf.token,
        "current_user": current_user,
        "current_account": current_account,
    }


# Admin responses: never framed (clickjacking), only our own scripts and styles, not cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _harden(response):
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint != "admin.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_api() -> bool:
    return (request.blueprint or "").startswith("admin_api")


def _guard():
    """Every admin request: size limit, CSRF on anything that changes state, login."""
    request.max_content_length = UPLOAD_LIMIT + 64 * 1024
    if not csrf.request_is_valid():
        message = "This form has expired or came from another site. Reload the page and try again."
        if _is_api():
            return jsonify(error="csrf", message=message), 403
        return render_template("admin/error.html", title="Please try again", message=message), 403
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    account = current_account()
    if account is None:
        if _is_api():
            return jsonify(error="login", message="Log in first."), 401
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if request.endpoint in ANY_ROLE or account.role in _allowed(request.blueprint or ""):
        return None
    if request.endpoint == "admin.home" and account.role is Role.OT:
        return redirect(url_for("admin_homes.index"))
    message = "Your account can't use this page. Ask an administrator if you need to."
    if _is_api():
        return jsonify(error="forbidden", message=message), 403
    return render_template("admin/error.html", title="Not for your account", message=message), 403


# Who may use which area. Pages inside an area check more (an OT's own homes, admin-only
# actions); this is the floor.
# The printable card is for everyone: OTs leave it with the people they support.
ANY_ROLE = frozenset({"admin.logout", "admin.card", "admin.card_css"})
_AREAS = {
    "admin": (Role.EDITOR, Role.ADMIN),  # the programme
    "admin_api": (Role.EDITOR, Role.ADMIN),
    "admin_homes": (Role.OT, Role.ADMIN),
    "admin_api_homes": (Role.OT, Role.ADMIN),
    "admin_trial": (Role.ADMIN,),  # every home's log; an OT sees their homes' on the home page
    "admin_api_trial": (Role.ADMIN,),
    "admin_feedback": (Role.EDITOR, Role.ADMIN),  # visitors' feedback on the programme
}


def _allowed(blueprint: str) -> tuple[Role, ...]:
    return _AREAS.get(blueprint, (Role.ADMIN,))


# Page titles for HTTP errors in plain words, never werkzeug's "Not Found" or "Bad Request".
PAGE_TITLES = {
    400: "Sorry, there is a problem",
    403: "You cannot use this page",
    404: "Page not found",
    405: "Page not found",
    413: "The file is too large",
    429: "Too many tries",
}
PLAIN_DESCRIPTIONS = {
    404: "Check the address, or go back to the programme.",
    405: "Check the address, or go back to the programme.",
}


def _describe(exc: HTTPException) -> str:
    if exc.code == 413:
        return f"The file is too large. The limit is {UPLOAD_LIMIT // 1024 // 1024} MB."
    if exc.description == type(exc).description:  # werkzeug's own words, not ours
        return PLAIN_DESCRIPTIONS.get(exc.code or 0, exc.description or exc.name)
    return exc.description or exc.name


def _page_error(exc: HTTPException):
    title = PAGE_TITLES.get(exc.code or 0, "Sorry, there is a problem")
    return render_template("admin/error.html", title=title, message=_describe(exc)), exc.code


def _api_error(exc: HTTPException):
    return jsonify(error=exc.name.lower().replace(" ", "_"), message=_describe(exc)), exc.code


def _unrouted(exc: HTTPException):
    """Our error page for a mistyped /admin address; the rest of the app keeps Flask's."""
    if request.path.startswith("/admin/api"):
        return _api_error(exc)
    if request.path.startswith("/admin"):
        title = PAGE_TITLES.get(exc.code or 0, "Sorry, there is a problem")
        page = render_template(
            "admin/error.html", title=title, message=_describe(exc), **_template_globals()
        )
        return page, exc.code
    return exc


def _switched_off() -> Blueprint:
    bp = Blueprint("admin", __name__, url_prefix="/admin")

    @bp.route("/", defaults={"rest": ""}, methods=["GET", "POST"])
    @bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def off(rest: str):
        return NO_PASSWORD, 503, {"Content-Type": "text/plain; charset=utf-8"}

    return bp
