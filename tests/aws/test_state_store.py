"""Per-user state in DynamoDB (moto on 127.0.0.1), as the Lambda sees it across containers."""

from __future__ import annotations

import socket
import threading
import time
from decimal import Decimal

import pytest

from skill.services import build_services
from skill.settings import Settings
from skill.storage import dynamodb as aws
from tests.aws.conftest import create_tables

USER = "amzn1.ask.account.ALICE"
OTHER = "amzn1.ask.account.BOB"


@pytest.fixture
def settings(moto, tmp_path) -> Settings:
    names = {"ProgrammeTable": "test-programme", "StateTable": "test-state"}
    create_tables(aws.client("dynamodb"), names)
    return Settings(
        data_dir=tmp_path / "data",
        verify=False,
        store="dynamodb",
        programme_table=names["ProgrammeTable"],
        state_table=names["StateTable"],
    )


def new_container(settings: Settings):
    """What a fresh Lambda container builds: new clients, new store."""
    aws.reset_clients()
    return build_services(settings).state


def test_a_preference_survives_into_the_next_container(settings):
    new_container(settings).put(USER, "rate", "slow")
    assert new_container(settings).get(USER) == {"rate": "slow"}


def test_numbers_come_back_as_plain_python_numbers(settings):
    store = new_container(settings)
    store.put(USER, "rate", 0.85)
    store.put(USER, "visits", 3)
    store.put(USER, "consent", {"trial_log": True, "versions": [1, 2.5], "note": None})
    got = new_container(settings).get(USER)
    assert got == {
        "rate": 0.85,
        "visits": 3,
        "consent": {"trial_log": True, "versions": [1, 2.5], "note": None},
    }
    assert type(got["rate"]) is float and type(got["visits"]) is int
    assert not any(isinstance(v, Decimal) for v in got["consent"]["versions"])


def test_setting_one_preference_keeps_the_others(settings):
    store = new_container(settings)
    store.put(USER, "rate", "slow")
    store.put(USER, "consent", True)
    store.put(USER, "rate", "normal")
    assert store.get(USER) == {"rate": "normal", "consent": True}


def test_forgetting_a_user_leaves_other_users_alone(settings):
    store = new_container(settings)
    store.put(USER, "rate", "slow")
    store.put(OTHER, "rate", "slow")
    store.delete_user(USER)
    store.delete_user("amzn1.ask.account.NEVER-SEEN")
    assert store.get(USER) == {}
    assert store.get(OTHER) == {"rate": "slow"}


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("user_id", "x", ValueError),
        ("expires", 1, ValueError),
        ("", "x", ValueError),
        ("rate", float("nan"), ValueError),
        ("rate", {1, 2}, TypeError),
    ],
)
def test_values_dynamodb_cannot_hold_are_refused_before_the_call(settings, key, value, error):
    with pytest.raises(error):
        new_container(settings).put(USER, key, value)


def test_unreachable_dynamodb_means_default_preferences_not_a_failed_answer(tmp_path, monkeypatch):
    """A server that accepts and never answers: the read gives up inside Alexa's budget."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
        store = aws.DynamoStateStore("state", aws.client("dynamodb", endpoint_url=endpoint))
        started = time.monotonic()
        assert store.get(USER) == {}
        assert time.monotonic() - started < 7.5  # two 2 s reads and a backoff, inside 8 s
        assert len(held) == 2  # one retry, not boto3's default of several
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
        aws.reset_clients()
