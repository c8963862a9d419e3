from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from skill.services import Services, build_services
from skill.settings import Settings
from tests.browser import browser  # noqa: F401 - one shared Chromium for every browser test

# A fixed "now": Tuesday 19 May 2026 (the demo Learning at Work week), 10:40 in London (BST).
FIXED_NOW = datetime(2026, 5, 19, 9, 40, tzinfo=UTC)
# A Learning at Work week with the awkward cases of issue 19: a 9-to-4 drop-in, a
# cancelled Thursday talk, a presenter called "Learning & Development", emoji in admin
# text, rooms named by number or letter.
LAW_WEEK = Path(__file__).parent / "data" / "law_week.csv"


@pytest.fixture(scope="session")
def moto_server():
    """The session's moto server (see tests/moto_server.py); yields its URL."""
    from tests.moto_server import SerialMotoServer

    server = SerialMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", verify=False)


@pytest.fixture
def clock():
    """A settable clock: `clock.now = datetime(...)` moves time for the skill."""

    class Clock:
        now = FIXED_NOW

        def __call__(self) -> datetime:
            return self.now

    return Clock()


@pytest.fixture
def services(settings: Settings, clock) -> Services:
    return build_services(settings, clock=clock)


@pytest.fixture
def app(settings: Settings, services: Services):
    from skill.web import create_app

    application = create_app(settings, services)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def post(client):
    """POST an envelope to /alexa and return the response JSON (asserting HTTP 200)."""

    def send(body):
        response = client.post("/alexa", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return send
