"""POST /alexa: verify, then hand the request to the skill through flask-ask-sdk."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException

from skill.alexa.builder import build_skill
from skill.alexa.envelope import BadEnvelope, EnvelopeSerializer
from skill.services import Services
from skill.settings import Settings
from skill.web.compat import AbstractVerifier, SkillAdapter
from skill.web.verify import SignatureVerifier, SkillIdVerifier, TimestampVerifier

log = logging.getLogger(__name__)


def _refuse(reason: str):
    log.warning("refused Alexa request: %s", reason)
    return jsonify(error="bad request", reason=reason), 400


def create_blueprint(
    app: Flask,
    settings: Settings,
    services: Services,
    signature_verifier: SignatureVerifier | None = None,
) -> Blueprint:
    verifiers: list[AbstractVerifier] = []
    if settings.verify:
        verifiers.append(signature_verifier or SignatureVerifier(clock=services.clock))
        verifiers.append(TimestampVerifier(clock=services.clock))
    if settings.skill_id:
        verifiers.append(SkillIdVerifier(settings.skill_id))
    # Our verifiers replace the SDK's (its own answer 500 on malformed input and can't load here).
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = False
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = False
    skill = build_skill(services)
    skill.serializer = EnvelopeSerializer()  # shape checked, body parsed once
    adapter = SkillAdapter(
        skill=skill,
        skill_id=settings.skill_id or "voice-demo",
        verifiers=verifiers,
        app=app,
    )
    bp = Blueprint("alexa", __name__)

    @bp.post("/alexa")
    def alexa():
        try:
            request.get_data().decode("utf-8")  # the adapter decodes without asking
        except UnicodeDecodeError:
            return _refuse("body is not JSON")
        try:
            return adapter.dispatch_request()
        except BadRequest as exc:
            cause = exc.__context__
            return _refuse(str(cause) if cause else "verification failed")
        except HTTPException as exc:
            if isinstance(exc.__context__, BadEnvelope):
                return _refuse(str(exc.__context__))
            log.exception("skill dispatch failed")
            return jsonify(error="skill error"), 500

    return bp
