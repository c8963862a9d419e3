"""One contract, two stores: SQLite (local) and DynamoDB (moto over HTTP) behave the same."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from skill.programme.dynamo_store import DynamoProgrammeStore
from skill.programme.sqlite_store import SqliteProgrammeStore
from skill.programme.store import (
    PUBLISH,
    ROLLBACK,
    ProgrammeConflict,
    VersionNotFound,
)
from skill.storage import dynamodb as aws
from tests.programme.conftest import session

WHEN = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = WHEN

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(params=["sqlite", "dynamodb"])
def make_store(request, tmp_path):
    """A factory: each call is a new client of the same stored data (another process)."""
    clock = Clock()
    if request.param == "sqlite":
        path = tmp_path / "programme.sqlite3"
        return lambda: SqliteProgrammeStore(path, clock=clock)
    table = request.getfixturevalue("dynamodb")
    return lambda: DynamoProgrammeStore(table, aws.client("dynamodb"), clock=clock)


@pytest.fixture
def store(make_store):
    return make_store()


def week(n: int = 3, title: str = "Talk") -> list:
    return [session(date(2026, 5, 18 + i % 5), "10:00", "11:00", f"{title} {i}") for i in range(n)]


def test_an_empty_store_has_nothing_live(store):
    assert store.live() is None
    assert store.live_version_id() is None
    assert store.versions() == []
    assert store.audit() == []


def test_the_first_publish_becomes_version_one_and_reads_back_whole(store, demo):
    info = store.publish(demo, base=None, author="ana", note="first cut")
    assert (info.id, info.author, info.note, info.session_count) == (1, "ana", "first cut", 25)
    live = store.live()
    assert live.version == 1 and store.live_version_id() == 1
    assert live.sessions == tuple(sorted(demo, key=lambda s: (s.date, s.start)))
    assert store.get(1).sessions == live.sessions
    assert live.zone_name == "Europe/London"


def test_text_survives_exactly(store):
    odd = [
        session(
            date(2026, 5, 18),
            "10:00",
            "11:00",
            "Q&A <live> — “quotes” café",
            room="Room 3",
            presenter="Zoë O'Neill",
            description="Tea & <cake>\nline two",
            aliases=("q and a", "qa"),
            status="cancelled",
        ),
    ]
    store.publish(odd, base=None, author="a")
    (got,) = store.live().sessions
    assert got == odd[0].__class__(**{**odd[0].__dict__, "id": "q-a-live-quotes-cafe"})


def test_a_stale_base_is_refused_and_changes_nothing(make_store):
    alice, bob = make_store(), make_store()
    alice.publish(week(), base=None, author="alice")
    bob.publish(week(4), base=1, author="bob")
    with pytest.raises(ProgrammeConflict) as caught:
        alice.publish(week(5), base=1, author="alice")
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert alice.live_version_id() == 2 and len(alice.live()) == 4
    assert [v.id for v in alice.versions()] == [2, 1]
    assert [a.author for a in alice.audit()] == ["alice", "bob"]


def test_publishing_over_nothing_when_something_is_live_is_a_conflict(store):
    store.publish(week(), base=None, author="a")
    with pytest.raises(ProgrammeConflict):
        store.publish(week(), base=None, author="b")


def test_versions_list_newest_first_with_who_when_and_size(store):
    store.publish(week(2), base=None, author="ana", note="draft one")
    store.publish(week(7), base=1, author="ben", note="added Friday")
    first, second = store.versions()[1], store.versions()[0]
    assert (second.id, second.author, second.note, second.session_count) == (
        2,
        "ben",
        "added Friday",
        7,
    )
    assert (first.id, first.session_count) == (1, 2)
    assert first.published_at < second.published_at


def test_rollback_is_one_recorded_step_and_numbers_are_never_reused(store):
    store.publish(week(2), base=None, author="ana")
    store.publish(week(3), base=1, author="ben")
    entry = store.rollback(1, base=2, author="cat", note="Friday was wrong")
    assert (entry.action, entry.version, entry.previous) == (ROLLBACK, 1, 2)
    assert store.live_version_id() == 1 and len(store.live()) == 2
    info = store.publish(week(4), base=1, author="dan")
    assert info.id == 3
    assert [(a.action, a.version, a.previous, a.author) for a in store.audit()] == [
        (PUBLISH, 1, None, "ana"),
        (PUBLISH, 2, 1, "ben"),
        (ROLLBACK, 1, 2, "cat"),
        (PUBLISH, 3, 1, "dan"),
    ]
    assert store.audit()[2].note == "Friday was wrong"


def test_rollback_to_a_missing_version_or_from_a_stale_base_changes_nothing(store):
    store.publish(week(2), base=None, author="ana")
    store.publish(week(3), base=1, author="ben")
    with pytest.raises(VersionNotFound):
        store.rollback(9, base=2, author="cat")
    with pytest.raises(ProgrammeConflict):
        store.rollback(1, base=1, author="cat")
    assert store.live_version_id() == 2
    assert len(store.audit()) == 2
    with pytest.raises(VersionNotFound):
        store.get(9)


@pytest.mark.parametrize("writers", [2, 6])
def test_concurrent_publishes_exactly_one_wins(make_store, writers):
    make_store().publish(week(), base=None, author="seed")
    start = threading.Barrier(writers)
    won, lost, failed = [], [], []

    def publish(n: int) -> None:
        store = make_store()
        start.wait()
        try:
            won.append(store.publish(week(10 + n), base=1, author=f"w{n}").id)
        except ProgrammeConflict as exc:
            lost.append(exc.actual)
        except Exception as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failed == []
    assert won == [2] and lost == [2] * (writers - 1)
    store = make_store()
    assert store.live_version_id() == 2
    assert [v.id for v in store.versions()] == [2, 1]  # losers left no version behind
    assert [a.version for a in store.audit()] == [1, 2]


def test_readers_always_see_a_whole_version(make_store):
    """While versions are being published, every read is one complete version."""
    writer = make_store()
    writer.publish(week(50), base=None, author="w")
    stop, reading = threading.Event(), threading.Event()
    reads, bad = [], []

    def read() -> None:
        reader = make_store()
        while not stop.is_set():
            live = reader.live()
            reads.append(live.version)
            reading.set()
            if len(live) != 50 * live.version:  # version n has 50 n sessions
                bad.append((live.version, len(live)))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        assert reading.wait(timeout=30)
        for n in range(2, 8):
            writer.publish(week(50 * n), base=n - 1, author="w")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert bad == []
    assert len(reads) > 1 and reads == sorted(reads)  # never back to an older version


def test_ten_thousand_sessions_round_trip(store):
    big = [
        session(
            date(2026, 1, 1) + timedelta(days=i // 30),
            f"{8 + i % 10:02d}:00",
            f"{8 + i % 10:02d}:45",
            f"Session number {i} with a longer title",
            room=f"Room {i % 40}",
            presenter="Someone Long-Named",
            description="A description long enough to matter. " * 3,
            aliases=("alias",),
        )
        for i in range(10_000)
    ]
    store.publish(big, base=None, author="bulk")
    live = store.live()
    assert len(live) == 10_000
    assert {s.title for s in live.sessions} == {s.title for s in big}
