"""The baseline: a bare ask-sdk hello-world skill on the same flask-ask-sdk adapter."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from flask import Flask

from skill.web.compat import SkillAdapter


class HelloHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return (
            handler_input.response_builder.speak("<speak>Hello world</speak>")
            .set_should_end_session(False)
            .response
        )


def create_app() -> Flask:
    builder = SkillBuilder()
    builder.add_request_handler(HelloHandler())
    app = Flask("hello_world")
    app.config["ASK_SDK_VERIFY_SIGNATURE"] = False
    app.config["ASK_SDK_VERIFY_TIMESTAMP"] = False
    SkillAdapter(skill=builder.create(), skill_id="hello", app=app).register(app, "/alexa")
    return app
