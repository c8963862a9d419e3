"""The programme as a process holds it: cache, stale-but-answering, demo seed, wiring."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from skill.programme.dynamo_store import DynamoProgrammeStore
from skill.programme.service import SEED_AUTHOR, ProgrammeService, seed
from skill.programme.sqlite_store import SqliteProgrammeStore
from skill.programme.store import StoreUnavailable
from skill.services import build_services
from skill.settings import Settings
from skill.storage import dynamodb as aws
from tests.programme.conftest import session


class Counting:
    """A store wrapper that counts reads and can be switched off."""

    def __init__(self, store) -> None:
        self.store = store
        self.pointer_reads = 0
        self.loads = 0
        self.down = False

    def live_version_id(self):
        if self.down:
            raise StoreUnavailable("down")
        self.pointer_reads += 1
        return self.store.live_version_id()

    def get(self, version):
        if self.down:
            raise StoreUnavailable("down")
        self.loads += 1
        return self.store.get(version)

    def __getattr__(self, name):
        return getattr(self.store, name)


class Ticks:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def talk(n: int):
    return [session(date(2026, 5, 18), "10:00", "11:00", f"Talk {i}") for i in range(n)]


@pytest.fixture
def parts(tmp_path):
    store = SqliteProgrammeStore(tmp_path / "p.sqlite3")
    store.publish(talk(1), base=None, author="a")
    counting, ticks = Counting(store), Ticks()
    return store, counting, ticks, ProgrammeService(counting, ttl_s=30, monotonic=ticks)


def test_the_live_version_is_cached_for_the_ttl_then_checked_cheaply(parts):
    store, counting, ticks, service = parts
    assert service.current().version == 1 and service.current().version == 1
    assert (counting.pointer_reads, counting.loads) == (1, 1)
    ticks.t += 31
    assert service.live_version_id() == 1
    assert (counting.pointer_reads, counting.loads) == (2, 1)  # unchanged: no reload

    store.publish(talk(2), base=1, author="another process")
    ticks.t += 10
    assert service.current().version == 1  # still inside the ttl
    ticks.t += 25
    assert service.current().version == 2 and len(service.current()) == 2


def test_publishing_through_the_service_is_heard_at_once(parts):
    _, _, _, service = parts
    service.current()
    service.publish(talk(3), base=1, author="admin")
    assert service.current().version == 2
    service.rollback(1, base=2, author="admin")
    assert service.current().version == 1


def test_an_unreachable_store_keeps_the_last_programme_answering(parts):
    _, counting, ticks, service = parts
    service.current()
    counting.down = True
    ticks.t += 60
    assert service.current().version == 1


def test_with_nothing_cached_an_unreachable_store_is_an_error(tmp_path):
    counting = Counting(SqliteProgrammeStore(tmp_path / "p.sqlite3"))
    counting.down = True
    with pytest.raises(StoreUnavailable):
        ProgrammeService(counting).current()


def test_an_empty_store_is_seeded_once_with_the_may_week(tmp_path):
    settings = Settings(data_dir=tmp_path, verify=False)
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    first = build_services(settings, clock=lambda: now).programme
    assert first.live_version_id() == 1
    assert first.current().first_day == date(2026, 5, 18)
    build_services(settings, clock=lambda: now)
    (info,) = first.store.versions()
    assert (info.author, info.note) == (SEED_AUTHOR, "demo programme")


@pytest.mark.parametrize(
    ("now", "monday"),
    [
        (datetime(2026, 11, 25, 12, tzinfo=UTC), date(2026, 11, 23)),  # a Wednesday
        (datetime(2026, 11, 29, 12, tzinfo=UTC), date(2026, 11, 30)),  # a Sunday: next week
        (datetime(2026, 5, 19, 9, 40, tzinfo=UTC), date(2026, 5, 18)),  # the real week
    ],
)
def test_the_demo_flag_moves_the_week_to_now(tmp_path, now, monday):
    settings = Settings(data_dir=tmp_path, verify=False, demo_week="current")
    programme = build_services(settings, clock=lambda: now).programme.current()
    assert programme.first_day == monday
    assert len(programme) == 25
    assert {s.date.weekday() for s in programme.sessions} == {0, 1, 2, 3, 4}


def test_a_stale_demo_week_moves_but_an_admins_programme_never_does(tmp_path):
    settings = Settings(data_dir=tmp_path, verify=False, demo_week="current")
    store = SqliteProgrammeStore(tmp_path / "p.sqlite3")
    seed(store, settings, datetime(2026, 11, 25, tzinfo=UTC))
    assert seed(store, settings, datetime(2026, 11, 26, tzinfo=UTC)) is None  # same week
    moved = seed(store, settings, datetime(2026, 12, 2, tzinfo=UTC))
    assert moved is not None and moved.id == 2
    assert store.live().first_day == date(2026, 11, 30)
    store.publish(talk(1), base=2, author="admin")
    assert seed(store, settings, datetime(2027, 1, 6, tzinfo=UTC)) is None
    assert store.live().version == 3


def test_in_the_cloud_the_programme_is_only_read(dynamodb, tmp_path):
    settings = Settings(data_dir=tmp_path, verify=False, store="dynamodb", programme_table=dynamodb)
    services = build_services(settings)
    admin = DynamoProgrammeStore(dynamodb, aws.client("dynamodb"))
    assert admin.versions() == []  # no seed written at a cold start
    assert services.programme.current().version is None
    admin.publish(talk(2), base=None, author="cli")
    assert services.programme.current().version is None  # cached: at most 30 s stale
    assert build_services(settings).programme.current().version == 1  # a new container


def test_healthz_names_the_live_version(client):
    assert client.get("/healthz").get_json()["programme_version"] == 1
