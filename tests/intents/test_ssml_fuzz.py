"""Whatever an admin types into a title or a device name, every answer stays valid SSML."""

from __future__ import annotations

from datetime import date, time

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from skill.devices.errors import RegistryError
from skill.programme.model import Session, assign_ids
from skill.services import build_services
from skill.web import create_app
from tests import alexa

# Anything a keyboard or a paste can produce, markup characters made likely.
typed = st.text(
    alphabet=st.one_of(
        st.sampled_from("&<>\"';/\\ ]]>--{}$#"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip())

RELAXED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PROGRAMME_QUESTIONS = [
    ("WhatsOnNowIntent", {}),
    ("WhatsNextIntent", {}),
    ("WhatsOnIntent", {"date": "2026-05-19"}),
    ("WhatsOnIntent", {"date": "2026-W21"}),
]
SESSION_QUESTIONS = [
    "SessionDetailsIntent",
    "SessionTimeIntent",
    "SessionRoomIntent",
    "SessionPresenterIntent",
]


def _answers(post, body) -> None:
    response = post(body)
    alexa.speech_text(response)  # parses the SSML as XML
    if response["response"].get("reprompt"):
        alexa.reprompt_text(response)


@RELAXED
@given(title=typed, room=typed, presenter=typed, alias=typed)
def test_admin_text_never_breaks_a_programme_answer(post, services, title, room, presenter, alias):
    live = services.programme.current()
    added = Session(
        "",
        date(2026, 5, 19),
        time(10, 30),
        time(11, 30),
        title,
        room=room,
        presenter=presenter,
        aliases=(alias,),
    )
    services.programme.publish(
        assign_ids([*live.sessions, added]), base=live.version, author="fuzz"
    )
    for name, slots in PROGRAMME_QUESTIONS:
        _answers(post, alexa.intent(name, slots, new=True))
    for name in SESSION_QUESTIONS:
        _answers(post, alexa.intent(name, {"session": title}, new=True))


@pytest.fixture
def client_for(settings, clock, tmp_path):
    def build(names: list[str]):
        registry = tmp_path / "devices.yaml"
        registry.write_text(
            yaml.safe_dump(
                {
                    "devices": [
                        {"id": f"d{i}", "name": name, "driver": "simulated"}
                        for i, name in enumerate(names)
                    ]
                }
            )
        )
        services = build_services(settings.with_(devices_file=registry), clock=clock)
        client = create_app(services.settings, services).test_client()

        def post(body):
            response = client.post("/alexa", json=body)
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()

        return post

    return build


@RELAXED
@given(names=st.lists(typed, min_size=1, max_size=3, unique_by=lambda n: n.strip().lower()))
def test_device_names_never_break_an_answer(client_for, names):
    try:
        post = client_for(names)
    except RegistryError:
        assume(False)  # the registry refused the names at load: nothing reaches speech
    _answers(post, alexa.launch())
    _answers(post, alexa.intent("AMAZON.HelpIntent"))
    _answers(post, alexa.intent("WhichDevicesOnIntent", new=True))
    _answers(post, alexa.intent("AllOffIntent", new=True))
    for name in names:
        _answers(post, alexa.intent("TurnOnIntent", {"device": name}, new=True))
        _answers(post, alexa.intent("DeviceStateIntent", {"device": name}, new=True))
    _answers(post, alexa.intent("TurnOnIntent", {"device": "toaster & <grill>"}, new=True))
