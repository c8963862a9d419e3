"""/stand: the demo stand's big screen — what's on now and next, and every device's state.

No login (it is on show), nothing secret (see `feed`). The page is rendered complete on the
server, then `stand.js` polls /stand/state.json a little under once a second with
If-None-Match, so a voice command shows within a second and an idle screen costs a 304.
Short polling rather than server-sent events: under waitress each open event stream would
hold one of its few worker threads for as long as the screen is on.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request

from skill.services import Services
from skill.settings import Settings
from skill.web.stand.feed import StandFeed

log = logging.getLogger(__name__)

POLL_MS = 500  # worst case from a change to the screen: one interval plus one request
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def example_phrases(locale: str = "en-GB") -> list[str]:
    """What to suggest saying: skill/model/suggest.py, the one source the card and the admin
    preview share (the manifest's phrases, so it follows the invocation name)."""
    try:
        from skill.model.suggest import stand_phrases

        return stand_phrases(locale)
    except Exception:  # noqa: BLE001 - only a hint on the screen
        log.debug("no example phrases for the stand", exc_info=True)
        return []


def invocation_name(locale: str = "en-GB") -> str:
    """How visitors name the skill in a one-shot request ("tell learning week demo how …")."""
    try:
        from skill.model import load

        return load(locale).invocation_name
    except Exception:  # noqa: BLE001 - only a hint on the screen
        log.debug("no invocation name for the stand", exc_info=True)
        return "learning week demo"


class NotModified(Response):
    """A 304 that keeps the connection open.

    Werkzeug strips Content-Length from a 304 (pallets/werkzeug#1191), and waitress closes
    any HTTP/1.1 response without one, so every poll of an idle screen cost a new TCP
    connection. `Content-Length: 0` is what waitress needs; a 304 has no body whatever
    it says, and caches do not take Content-Length from a 304 (RFC 9111, 3.2).
    """

    def __init__(self) -> None:
        super().__init__(status=304)

    def get_wsgi_headers(self, environ: Any) -> Any:
        headers = super().get_wsgi_headers(environ)
        headers["Content-Length"] = "0"
        return headers


def register(app: Flask, settings: Settings, services: Services) -> None:
    feed = StandFeed(services, settings.timezone)
    app.extensions["stand_feed"] = feed
    phrases = example_phrases()
    invocation = invocation_name()
    bp = Blueprint(
        "stand",
        __name__,
        url_prefix="/stand",
        template_folder="templates",
        static_folder="static",
    )

    @bp.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @bp.get("")
    @bp.get("/")
    def page():
        snap = feed.snapshot()
        state: dict[str, Any] = json.loads(snap.body)
        html = render_template(
            "stand/index.html",
            s=state,
            etag=snap.etag,
            poll_ms=POLL_MS,
            phrases=phrases,
            invocation=invocation,
        )
        return Response(html, headers={"Cache-Control": "no-store"})

    @bp.get("/state.json")
    def state():
        snap = feed.snapshot()
        if request.if_none_match.contains(snap.etag):
            response: Response = NotModified()
        else:
            response = Response(snap.body, mimetype="application/json")
        response.set_etag(snap.etag)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.register_blueprint(bp)
