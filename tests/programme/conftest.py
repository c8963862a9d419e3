"""Fixtures for the programme: the shipped demo week, stores, and DynamoDB over real HTTP.

DynamoDB runs as moto in server mode on 127.0.0.1. moto checks a transaction's conditions
and applies its writes without a lock, so two requests arriving together could interleave
inside one transaction, which real DynamoDB never allows. The server here therefore
handles one request at a time (the per-request atomicity DynamoDB gives); the clients
still race each other over HTTP from separate threads.
"""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
import requests
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from skill import aws
from skill.programme.model import Session
from skill.programme.service import demo_sessions as load_demo
from skill.settings import SHIPPED_PROGRAMME
from tests.aws.conftest import aws_env, create_tables


class _OneAtATime:
    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return list(self.app(environ, start_response))


class SerialMotoServer(ThreadedMotoServer):
    """ThreadedMotoServer (threaded HTTP) whose backend applies one request at a time."""

    def _server_entry(self) -> None:
        app = _OneAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, threaded=True)
        self._server_ready_event.set()
        self._server.serve_forever()


@pytest.fixture(scope="session")
def programme_moto_url():
    server = SerialMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def dynamodb(programme_moto_url, monkeypatch, tmp_path):
    """A clean moto with this process's boto3 pointed at it, and the programme table
    created from template.yaml. Yields the table name."""
    requests.post(f"{programme_moto_url}/moto-api/reset", timeout=5).raise_for_status()
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in aws_env(programme_moto_url, tmp_path).items():
        monkeypatch.setenv(name, value)
    aws.reset_clients()
    create_tables(aws.client("dynamodb"), {"ProgrammeTable": "test-programme"})
    yield "test-programme"
    aws.reset_clients()


@pytest.fixture(scope="session")
def demo() -> tuple[Session, ...]:
    """The shipped Learning at Work week, Mon 18 - Fri 22 May 2026, unshifted."""
    return load_demo(SHIPPED_PROGRAMME, "Europe/London")


def session(day: date, start: str, end: str, title: str, **kw) -> Session:
    """A session for hand-made programmes (ids are assigned on publish)."""
    return Session(
        id=kw.pop("id", ""),
        date=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        title=title,
        **kw,
    )
