"""One contract for the reminders store: in memory, SQLite, and DynamoDB (moto over HTTP),
the last as built from settings in cloud mode, in the state table template.yaml defines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from skill.reminders import Kept, MemoryReminderStore, StoreUnavailable
from skill.reminders.dynamo import DynamoReminderStore, item_key
from skill.reminders.store import SqliteReminderStore
from skill.services import open_reminders
from skill.settings import Settings
from skill.storage import dynamodb as aws
from tests.aws.conftest import create_tables, moto  # noqa: F401 - moto over HTTP

ALICE = "amzn1.ask.account.ALICE"
BOB = "amzn1.ask.account.BOB"
AT = datetime(2026, 5, 19, 12, 50, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "memory":
        return MemoryReminderStore()
    if request.param == "sqlite":
        return SqliteReminderStore(tmp_path / "reminders.sqlite3")
    request.getfixturevalue("moto")
    create_tables(aws.client("dynamodb"), {"StateTable": "test-state"})
    settings = Settings(data_dir=tmp_path, store="dynamodb", state_table="test-state")
    built = open_reminders(settings).store
    assert isinstance(built, DynamoReminderStore)
    return built


def test_reminders_are_kept_per_user_soonest_first(store):
    later = Kept(ALICE, "amzn1.alert.b", "learn-to-code-2", AT + timedelta(days=1))
    sooner = Kept(ALICE, "amzn1.alert.a", "3d-printing-2", AT)
    store.put(later)
    store.put(sooner)
    store.put(Kept(BOB, "amzn1.alert.c", "3d-printing-2", AT))
    assert store.for_user(ALICE) == [sooner, later]
    assert store.for_user(BOB) == [Kept(BOB, "amzn1.alert.c", "3d-printing-2", AT)]
    assert store.for_user("amzn1.ask.account.NOBODY") == []
    assert store.users() == [ALICE, BOB]


def test_put_replaces_the_same_reminder_and_forget_removes_it(store):
    store.put(Kept(ALICE, "amzn1.alert.a", "3d-printing-2", AT))
    moved = Kept(ALICE, "amzn1.alert.a", "3d-printing-2", AT + timedelta(hours=1))
    store.put(moved)
    assert store.for_user(ALICE) == [moved]
    store.forget(ALICE, "amzn1.alert.a")
    store.forget(ALICE, "amzn1.alert.never")  # forgetting twice is fine
    assert store.for_user(ALICE) == []
    assert store.users() == []


def test_times_come_back_aware_and_in_utc(store):
    store.put(Kept(ALICE, "amzn1.alert.a", "s", AT.astimezone(LONDON)))
    [kept] = store.for_user(ALICE)
    assert kept.remind_at == AT and kept.remind_at.utcoffset() == timedelta(0)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        Kept(ALICE, "a", "s", datetime(2026, 5, 19, 13, 50))


@pytest.mark.usefixtures("moto")
def test_dynamodb_numbers_written_as_decimals_read_back():
    """An item written by another tool (boto3's resource API hands Decimals around) is read."""
    import boto3

    create_tables(aws.client("dynamodb"), {"StateTable": "test-state"})
    table = boto3.resource("dynamodb").Table("test-state")
    table.put_item(
        Item={
            "user_id": item_key(ALICE)["user_id"]["S"],
            "r#amzn1.alert.a": {"session": "3d-printing-2", "at": Decimal(int(AT.timestamp()))},
            "r#broken": {"session": "x"},  # damaged: skipped, not fatal
        }
    )
    store = DynamoReminderStore("test-state", aws.client("dynamodb"))
    assert store.for_user(ALICE) == [Kept(ALICE, "amzn1.alert.a", "3d-printing-2", AT)]


@pytest.mark.usefixtures("moto")
def test_dynamodb_unreachable_is_a_store_error():
    store = DynamoReminderStore("no-such-table", aws.client("dynamodb"))
    with pytest.raises(StoreUnavailable):
        store.for_user(ALICE)
    with pytest.raises(StoreUnavailable):
        store.put(Kept(ALICE, "a", "s", AT))
