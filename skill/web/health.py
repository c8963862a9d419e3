"""GET /healthz: is the process up, and which stores is it using?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from skill import __version__

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    services = current_app.extensions["voice_demo"]
    status = {"status": "ok", "version": __version__, "store": services.settings.store}
    status["devices"] = len(services.devices.registry)
    status["programme_version"] = services.programme.live_version_id()
    return jsonify(status)
