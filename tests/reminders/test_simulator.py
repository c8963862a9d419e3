"""Reminder conversations in words: the shipped model, the simulator playing Alexa's part
(including its own permission question), the real skill and the fake Reminders API."""

from __future__ import annotations

import pytest

from skill.alexa.builder import build_skill
from skill.simulator.session import Simulator
from tests.reminders.conftest import CONSENT, TOKEN

SET_3D = "OK. I'll remind you about 3D printing today at ten to two, ten minutes before it starts."


@pytest.fixture
def make_sim(services, reminders_api):
    def make(**kw) -> Simulator:
        kw.setdefault("api_endpoint", reminders_api.endpoint)
        kw.setdefault("api_access_token", TOKEN)
        return Simulator(build_skill(services), services.clock, services.settings.timezone, **kw)

    return make


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_asked_by_voice_approved_then_listed_and_cancelled(make_sim, reminders_api, locale):
    sim = make_sim(locale=locale)
    opened = sim.say("open learning week demo")
    asked = sim.say("remind me about 3d printing")
    assert asked.intent == "RemindMeIntent"
    assert (
        asked.speech == "To remind you about 3D printing, I need your permission to set reminders."
    )
    assert asked.alexa_says.startswith("Do you give learning week demo permission")
    approved = sim.say("i approve")
    assert approved.intent == "Connections.Response"
    assert approved.speech == SET_3D + " Anything else?"
    assert reminders_api.methods() == ["POST"]
    listed = sim.say("what reminders do i have")
    assert listed.speech == (
        "You have one reminder, each ten minutes before: 3D printing today at two o'clock. "
        "Anything else?"
    )
    cancelled = sim.say("cancel my reminder for 3d printing")
    assert cancelled.speech == "OK, I've cancelled your reminder for 3D printing. Anything else?"
    assert reminders_api.methods() == ["POST", "GET", "DELETE"] and reminders_api.reminders == {}
    assert not any(x.ends_session for x in (opened, approved, listed, cancelled))


def test_saying_no_to_alexa_gets_the_card_and_the_way_to_allow_it(make_sim, reminders_api):
    sim = make_sim()
    sim.say("open learning week demo")
    sim.say("set a reminder for the coding session")
    refused = sim.say("no")
    assert refused.speech.startswith("All right, I won't set a reminder. To allow them later")
    assert refused.response["response"]["card"]["type"] == "AskForPermissionsConsent"
    assert reminders_api.calls == []


def test_a_one_shot_request_with_permission_sets_it_straight_away(make_sim, reminders_api):
    sim = make_sim(consent_token=CONSENT)
    done = sim.say("ask learning week demo to remind me about 3d printing")
    assert done.speech == SET_3D and done.ends_session
    assert reminders_api.methods() == ["POST"]
