"""Fixtures for the programme: the shipped demo week, stores, and DynamoDB over real HTTP.

DynamoDB runs as moto in server mode on 127.0.0.1, one request at a time as DynamoDB
applies them (tests/moto_server.py); the clients still race each other over HTTP.
"""

from __future__ import annotations

from datetime import date, time

import pytest
import requests

from skill.programme.model import Session
from skill.programme.service import demo_sessions as load_demo
from skill.settings import SHIPPED_PROGRAMME
from skill.storage import dynamodb as aws
from tests.aws.conftest import aws_env, create_tables


@pytest.fixture
def dynamodb(moto_server, monkeypatch, tmp_path):
    """A clean moto with this process's boto3 pointed at it, and the programme table
    created from template.yaml. Yields the table name."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=5).raise_for_status()
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in aws_env(moto_server, tmp_path).items():
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
