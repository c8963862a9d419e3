"""The trial log in cloud mode: written by the Lambda with only UpdateItem, read by operators."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from skill.settings import Settings
from skill.storage import dynamodb as aws
from skill.triallog import open_log
from skill.triallog.dynamo import item_key
from tests.aws.conftest import create_tables

USER = "amzn1.ask.account.ALICE"
OTHER = "amzn1.ask.account.BOB"
NOW = datetime(2026, 5, 19, 9, 40, tzinfo=UTC)


@pytest.fixture
def settings(moto, tmp_path) -> Settings:
    create_tables(aws.client("dynamodb"), {"StateTable": "test-state"})
    return Settings(
        data_dir=tmp_path / "data",
        store="dynamodb",
        state_table="test-state",
        trial_log=True,
        trial_retention_days=400,
    )


def record(log, user: str, intent: str = "TurnOnIntent", device=None, outcome="info"):
    log.record(user_id=user, asked=intent, device=device, outcome=outcome, consented=True)


def test_entries_round_trip_by_user_and_day(settings):
    clock = SimpleNamespace(now=NOW)
    log = open_log(settings, lambda: clock.now)
    record(log, USER, device="lamp", outcome="done")
    record(log, USER, "WhatsOnNowIntent")
    clock.now = NOW + timedelta(days=1)
    record(log, OTHER, device="fan", outcome="unreachable")
    # A fresh container (new clients) reads the same secret and the same entries.
    aws.reset_clients()
    again = open_log(settings, lambda: clock.now)
    me = again.hash_user(USER)
    assert me == log.hash_user(USER)
    got = [(e.day, e.intent, e.device, e.outcome) for e in again.store.entries(user=me)]
    assert got == [
        ("2026-05-19", "TurnOnIntent", "lamp", "done"),
        ("2026-05-19", "WhatsOnNowIntent", None, "info"),
    ]
    assert [e.day for e in again.store.entries(start=date(2026, 5, 20))] == ["2026-05-20"]
    raw = aws.client("dynamodb").scan(TableName="test-state")["Items"]
    assert USER not in repr(raw) and OTHER not in repr(raw)


def test_delete_user_and_purge(settings):
    clock = SimpleNamespace(now=NOW)
    log = open_log(settings, lambda: clock.now)
    record(log, USER, device="lamp", outcome="done")
    clock.now = NOW + timedelta(days=10)
    record(log, USER, device="lamp", outcome="done")
    record(log, OTHER, device="lamp", outcome="done")
    assert log.store.purge(NOW + timedelta(days=5)) == 1
    assert log.store.delete_user(log.hash_user(USER)) == 1
    assert [e.user for e in log.store.entries()] == [log.hash_user(OTHER)]
    key = {"user_id": {"S": item_key(log.hash_user(OTHER), "2026-05-29")}}
    item = aws.client("dynamodb").get_item(TableName="test-state", Key=key)["Item"]
    assert int(item["expires"]["N"]) > NOW.timestamp() + 400 * 86400
