"""Local mode: the Flask app factory. Blueprints do the work; this only wires them."""

from __future__ import annotations

import logging

from flask import Flask

from skill.services import Services, build_services
from skill.settings import Settings

log = logging.getLogger(__name__)

MAX_BODY = 2 * 1024 * 1024  # the largest request any page or /alexa takes (waitress too)


def create_app(
    settings: Settings | None = None,
    services: Services | None = None,
    *,
    signature_verifier=None,
) -> Flask:
    settings = settings or Settings.from_env()
    services = services or build_services(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["voice_demo"] = services
    if not settings.verify:
        log.warning("VOICE_DEMO_VERIFY=0: Alexa signatures and timestamps are NOT checked")
    if not settings.skill_id:
        log.warning("VOICE_DEMO_SKILL_ID is unset: requests for any skill id are accepted")

    from skill.web import alexa, health

    app.register_blueprint(alexa.create_blueprint(app, settings, services, signature_verifier))
    app.register_blueprint(health.bp)
    for register in _BLUEPRINTS:
        register(app, settings, services)
    return app


def _register_admin(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import admin

    admin.register(app, settings, services)


def _register_trial_log(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import triallog

    triallog.register(app, settings, services)  # after admin: it reuses the admin login


def _register_feedback(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import feedback

    feedback.register(app, settings, services)  # after admin: it reuses the admin login


def _register_stand(app: Flask, settings: Settings, services: Services) -> None:
    from skill.web import stand

    stand.register(app, settings, services)


def _report_to_alexa(app: Flask, settings: Settings, services: Services) -> None:
    """With the smart-home skill's LWA client set, this process tells the Alexa app what
    changes here too: plugs an OT adds or removes, and switches by voice or "test this plug"."""
    if not (settings.lwa_client_id and settings.lwa_client_secret):
        return
    from skill import smarthome

    app.extensions["voice_demo_smart_home"] = smarthome.build(services)


# Later areas (admin pages, stand page) add a `register(app, settings, services)` here.
_BLUEPRINTS: list = [
    _register_admin,
    _register_trial_log,
    _register_feedback,
    _register_stand,
    _report_to_alexa,
]
