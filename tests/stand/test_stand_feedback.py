"""The stand invites feedback on today's last session to finish that asks for it, and the
phrase it shows is one the skill understands (said through the simulator)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from skill.alexa.builder import build_skill
from skill.simulator.session import Simulator
from skill.web import create_app


def stand(settings, services):
    app = create_app(settings, services)
    app.config["TESTING"] = True
    return app


def feed_state(app) -> dict:
    return app.extensions["stand_feed"].state()


def test_no_invitation_before_a_session_has_ended_today(settings, services):
    app = stand(settings, services)  # Tuesday 10:40: Monday's sessions don't count
    assert feed_state(app)["feedback"] is None
    html = app.test_client().get("/stand").get_data(as_text=True)
    assert '<p id="feedback" class="feedback" data-invocation="learning week demo" hidden>' in html


def test_after_a_session_ends_the_stand_shows_how_to_give_feedback(settings, services, clock):
    clock.now = datetime(2026, 5, 19, 10, 35, tzinfo=UTC)  # 11:35: Service design is over
    app = stand(settings, services)
    assert feed_state(app)["feedback"] == "Service design"
    html = app.test_client().get("/stand").get_data(as_text=True)
    phrase = "Alexa, tell learning week demo how Service design went"
    assert 'Tell us how <span class="feedback-title">Service design</span> went' in html
    assert (
        phrase.replace("Service design", '<span class="feedback-title">Service design</span>')
        in html
    )
    assert 'id="feedback" class="feedback" data-invocation="learning week demo">' in html
    sim = Simulator(build_skill(services), services.clock, settings.timezone)
    asked = sim.say(phrase)
    assert asked.intent == "GiveFeedbackIntent"
    assert asked.speech.startswith("How was Service design? Say a number from one to five.")

    clock.now = datetime(2026, 5, 19, 10, 50, tzinfo=UTC)  # 11:50: Excel formulas (cancelled)
    assert feed_state(app)["feedback"] == "Service design"
    clock.now = datetime(2026, 5, 19, 11, 50, tzinfo=UTC)  # 12:50: LinkedIn profile is over
    assert feed_state(app)["feedback"] == "LinkedIn profile"


def test_a_session_not_asking_for_feedback_is_not_offered(settings, services, clock):
    live = services.programme.current()
    off = [replace(s, asks_feedback=s.title != "LinkedIn profile") for s in live.sessions]
    services.programme.publish(off, base=live.version, author="test")
    clock.now = datetime(2026, 5, 19, 11, 50, tzinfo=UTC)
    assert feed_state(stand(settings, services))["feedback"] == "Service design"
