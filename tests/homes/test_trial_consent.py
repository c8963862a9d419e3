"""A person's say over the trial log: by voice, and when an OT deletes them."""

from __future__ import annotations

import pytest

from skill.services import build_services
from skill.web import create_app
from tests import alexa


@pytest.fixture
def logged(settings, clock):
    services = build_services(settings.with_(trial_log=True), clock=clock)
    client = create_app(services.settings, services).test_client()

    def say(name: str, slots: dict | None = None) -> str:
        response = client.post("/alexa", json=alexa.intent(name, slots))
        assert response.status_code == 200
        return alexa.speech_text(response.get_json())

    return services, say


def test_stop_recording_me_stops_the_log_and_start_brings_it_back(logged):
    services, say = logged
    store = services.trial_log.store
    say("TurnOnIntent", {"device": "lamp"})
    assert len(store.entries()) == 1
    say("StopRecordingMeIntent")
    say("TurnOffIntent", {"device": "lamp"})
    assert len(store.entries()) == 1  # neither the "stop" answer nor the later command
    say("StartRecordingMeIntent")
    say("TurnOffIntent", {"device": "lamp"})
    assert [e.intent for e in store.entries()][1:] == ["StartRecordingMeIntent", "TurnOffIntent"]


def test_deleting_a_person_also_stops_future_recording(logged):
    services, say = logged
    store = services.trial_log.store
    say("TurnOnIntent", {"device": "lamp"})
    (entry,) = store.entries()
    assert store.delete_user(entry.user) == 1
    say("TurnOffIntent", {"device": "lamp"})
    assert store.entries() == []
    say("StartRecordingMeIntent")  # their own word wins over the deletion
    assert [e.intent for e in store.entries()] == ["StartRecordingMeIntent"]
