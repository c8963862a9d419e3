"""DynamoDB specifics the store contract suite cannot see: item sizes and an unreachable table."""

from __future__ import annotations

import socket
import time
from datetime import date, timedelta

import pytest

from skill.programme.dynamo_store import CHUNK_BYTES, PK, DynamoProgrammeStore, chunks
from skill.programme.store import StoreUnavailable
from skill.storage import dynamodb as aws
from tests.programme.conftest import session


def test_chunks_never_split_a_character():
    text = "café ☕ " * 50_000
    pieces = chunks(text, size=1000)
    assert "".join(pieces) == text
    assert all(len(p.encode("utf-8")) <= 1000 for p in pieces)
    assert chunks("") == [""]


def test_a_large_version_is_stored_in_items_well_under_400_kb(dynamodb):
    store = DynamoProgrammeStore(dynamodb, aws.client("dynamodb"))
    big = [
        session(
            date(2026, 1, 1) + timedelta(days=i // 30),
            "10:00",
            "11:00",
            f"Session {i}",
            description="Ünïcödé description " * 8,
        )
        for i in range(10_000)
    ]
    store.publish(big, base=None, author="bulk")
    items = aws.client("dynamodb").query(
        TableName=dynamodb,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :body)",
        ExpressionAttributeValues={":pk": {"S": PK}, ":body": {"S": "body#"}},
    )["Items"]
    sizes = [len(i["data"]["S"].encode("utf-8")) for i in items]
    assert len(items) > 1 and max(sizes) <= CHUNK_BYTES < 400_000
    assert len(store.live()) == 10_000


def test_an_unreachable_table_is_a_typed_error_inside_the_budget(monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens: connection refused
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    client = aws.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}")
    store = DynamoProgrammeStore("programme", client)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.live_version_id()
    assert time.monotonic() - started < 5
