"""An admin's publish or rollback reaches the reminders the skill made: through Skill
Messaging (LWA client credentials, then POST /v1/skillmessages/users/{userId}) when it is
configured, then the Messaging.MessageReceived request Alexa delivers."""

from __future__ import annotations

import time as clock_time
from dataclasses import replace
from datetime import time

import pytest
from pytest_httpserver import HTTPServer

from skill.cli import main
from skill.reminders import Kept
from skill.reminders.publish import LAZY
from skill.reminders.store import SqliteReminderStore
from skill.services import build_services
from skill.simulator import envelopes
from skill.web import create_app
from tests import alexa
from tests.admin.conftest import PASSWORD, AdminClient
from tests.reminders.conftest import Talk, envelope_kw
from tests.reminders.fakes import FakeSkillMessaging
from tests.smarthome.fakes import FakeLwa


@pytest.fixture
def amazon():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def messaging(amazon):
    lwa = FakeLwa()
    token_url = lwa.install(amazon)
    fake = FakeSkillMessaging(lwa)
    return fake, token_url, fake.install(amazon)


def _messaging_settings(settings, messaging):
    fake, token_url, api_url = messaging
    return settings.with_(
        admin_password=PASSWORD,
        skill_messaging_client_id=fake.lwa.client_id,
        skill_messaging_client_secret=fake.lwa.client_secret,
        lwa_token_url=token_url,
        skill_messaging_url=api_url,
    )


def _move_3d_printing(services) -> None:
    prog = services.programme.current()
    moved = [
        replace(s, start=time(15, 0), end=time(16, 30)) if s.id == "3d-printing-2" else s
        for s in prog.sessions
    ]
    services.programme.publish(moved, base=prog.version, author="admin")


def test_an_admin_rollback_messages_the_user_and_the_reminder_moves_back(
    settings, clock, messaging, reminders_api
):
    fake, _, _ = messaging
    services = build_services(_messaging_settings(settings, messaging), clock=clock)
    app = create_app(services.settings, services)
    app.config["TESTING"] = True
    client = app.test_client()

    def post(body):
        response = client.post("/alexa", json=body)
        assert response.status_code == 200
        return response.get_json()

    _move_3d_printing(services)  # version 2: 3D printing at three o'clock
    talk = Talk(post, **envelope_kw(reminders_api))
    assert talk.ask("RemindMeIntent", {"session": "3D printing"}).startswith(
        "OK. I'll remind you about 3D printing today at ten to three"
    )
    admin = AdminClient(app.test_client())
    assert admin.login().status_code == 302
    admin.page("/admin/versions/1/rollback")  # the confirmation page
    rolled = admin.form("/admin/versions/1/rollback", {"base": "2", "reason": "Wrong week"})
    assert rolled.status_code == 302

    for _ in range(100):  # the page doesn't wait for Amazon: a background thread sends
        if fake.received:
            break
        clock_time.sleep(0.05)
    assert fake.received == [
        (
            alexa.USER_ID,
            {"data": {"reason": "programme_changed", "version": 1}, "expiresAfterSeconds": 3600},
        )
    ]
    assert fake.lwa.count("client_credentials") == 1
    # Alexa delivers the message with a fresh token for that user.
    post(
        alexa.envelope(
            envelopes.message_received(fake.received[0][1]["data"]),
            session=False,
            **envelope_kw(reminders_api),
        )
    )
    assert reminders_api.methods() == ["POST", "PUT"]
    assert reminders_api.scheduled() == ["2026-05-19T13:50:00.000"]


@pytest.fixture
def data_with_a_reminder(tmp_path, monkeypatch, settings, clock):
    """A data folder with versions 1 and 2 live in turn and one person's reminder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOICE_DEMO_DATA", str(settings.data_dir))
    services = build_services(settings, clock=clock)
    _move_3d_printing(services)
    store = SqliteReminderStore(settings.data_dir / "reminders.sqlite3")
    store.put(Kept(alexa.USER_ID, "amzn1.alert.a", "3d-printing-2", clock.now))
    return settings


def test_the_cli_rollback_messages_users_with_reminders(
    data_with_a_reminder, messaging, monkeypatch, capsys
):
    fake, token_url, api_url = messaging
    monkeypatch.setenv("VOICE_DEMO_SKILL_MESSAGING_CLIENT_ID", fake.lwa.client_id)
    monkeypatch.setenv("VOICE_DEMO_SKILL_MESSAGING_CLIENT_SECRET", fake.lwa.client_secret)
    monkeypatch.setenv("VOICE_DEMO_LWA_TOKEN_URL", token_url)
    monkeypatch.setenv("VOICE_DEMO_SKILL_MESSAGING_URL", api_url)
    assert main(["programme", "rollback", "1"]) == 0
    out = capsys.readouterr().out
    assert "Asked Alexa to update the reminders of 1 person." in out
    assert [user for user, _ in fake.received] == [alexa.USER_ID]


def test_without_skill_messaging_the_cli_says_reminders_update_lazily(data_with_a_reminder, capsys):
    assert main(["programme", "rollback", "1"]) == 0
    assert LAZY in capsys.readouterr().out
