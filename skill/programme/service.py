"""The programme as one process uses it: a store, the cached live snapshot, the seed.

Voice requests must not pay for a DynamoDB read each time, so the live snapshot is kept
for `ttl_s` (30 s in Lambda); after that one small read of the pointer says whether a
new version needs loading. If the store is unreachable the last snapshot keeps answering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from skill.programme.formats import csv_format
from skill.programme.model import Session, monday_of, shift_dates
from skill.programme.programme import Programme
from skill.programme.store import (
    AuditEntry,
    ProgrammeConflict,
    ProgrammeStore,
    StoreUnavailable,
    VersionInfo,
)

if TYPE_CHECKING:
    from skill.settings import Settings

log = logging.getLogger(__name__)

SEED_AUTHOR = "seed"
DEMO_WEEK_FLAG = "VOICE_DEMO_DEMO_WEEK"


class ProgrammeService:
    """Store + cached live programme. Ask `current()` once per request and query that."""

    def __init__(
        self,
        store: ProgrammeStore,
        *,
        zone: str = "Europe/London",
        ttl_s: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self._empty = Programme(zone=zone)
        self._ttl = ttl_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._snapshot: Programme | None = None
        self._checked = float("-inf")

    def current(self) -> Programme:
        """The live programme (an empty one before the first publish)."""
        with self._lock:
            now = self._monotonic()
            if self._snapshot is not None and now - self._checked < self._ttl:
                return self._snapshot
            try:
                live = self.store.live_version_id()
                if self._snapshot is None or live != self._snapshot.version:
                    self._snapshot = self.store.get(live) if live is not None else self._empty
            except StoreUnavailable:
                if self._snapshot is None:
                    raise
                log.warning(
                    "programme store unavailable; still answering from version %s",
                    self._snapshot.version,
                )
            self._checked = now
            return self._snapshot

    def live_version_id(self) -> int | None:
        """For /healthz: the version visitors are hearing (cached like `current`)."""
        return self.current().version

    def publish(
        self, sessions: Iterable[Session], *, base: int | None, author: str, note: str = ""
    ) -> VersionInfo:
        """Publish through the store (see `ProgrammeStore.publish`) and serve it at once."""
        info = self.store.publish(sessions, base=base, author=author, note=note)
        self._expire()
        return info

    def rollback(
        self, version: int, *, base: int | None, author: str, note: str = ""
    ) -> AuditEntry:
        entry = self.store.rollback(version, base=base, author=author, note=note)
        self._expire()
        return entry

    def _expire(self) -> None:
        with self._lock:
            self._checked = float("-inf")


# --- building one for a process -------------------------------------------------------


def open_store(settings: Settings, clock: Callable[[], datetime] | None = None) -> ProgrammeStore:
    """The store `settings.store` names: SQLite in the data folder, or DynamoDB."""
    kwargs: dict[str, Any] = {"zone": settings.timezone}
    if clock is not None:
        kwargs["clock"] = clock
    if settings.store == "dynamodb":
        from skill.programme.dynamo_store import DynamoProgrammeStore
        from skill.storage import dynamodb

        return DynamoProgrammeStore(settings.programme_table, dynamodb.client("dynamodb"), **kwargs)
    if settings.store != "sqlite":
        raise ValueError(f"unknown store {settings.store!r} (use sqlite or dynamodb)")
    from skill.programme.sqlite_store import SqliteProgrammeStore

    return SqliteProgrammeStore(settings.data_dir / "programme.sqlite3", **kwargs)


def demo_week_start(today: date) -> date:
    """Monday of the week containing `today`; at a weekend, the coming Monday (a stand
    opened on a Sunday needs a week ahead of it, not one just finished)."""
    monday = monday_of(today)
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday


def demo_sessions(path: Path, zone: str, week_of: date | None = None) -> tuple[Session, ...]:
    """The shipped demo week; with `week_of` (a Monday), moved onto that week."""
    result = csv_format.parse(path.read_text(encoding="utf-8"), zone)
    if not result.ok:
        raise ValueError(f"{path}: " + "; ".join(str(e) for e in result.errors))
    sessions = result.sessions
    if week_of is not None and sessions:
        shift = week_of - monday_of(min(s.date for s in sessions))
        sessions = shift_dates(sessions, shift.days)
    return sessions


def seed(store: ProgrammeStore, settings: Settings, now: datetime) -> VersionInfo | None:
    """Publish the shipped demo programme when the store is empty (as version 1).

    With VOICE_DEMO_DEMO_WEEK=current (set by `make run`) the week is moved onto the
    current one so "what's on now?" has an answer at the stand, and a seeded week left
    from an earlier run is moved again. Anything an admin published is never touched.
    Without the flag (tests) the week stays in May 2026.
    """
    from skill.settings import SHIPPED_PROGRAMME

    shifting = settings.demo_week == "current"
    week_of = demo_week_start(now.astimezone(ZoneInfo(settings.timezone)).date())
    live = store.live_version_id()
    if live is not None:
        info = next((v for v in store.versions() if v.id == live), None)
        if not shifting or info is None or info.author != SEED_AUTHOR:
            return None
        first = store.get(live).first_day
        if first is None or monday_of(first) == week_of:
            return None
    sessions = demo_sessions(SHIPPED_PROGRAMME, settings.timezone, week_of if shifting else None)
    note = f"demo programme, moved to the week of {week_of}" if shifting else "demo programme"
    try:
        return store.publish(sessions, base=live, author=SEED_AUTHOR, note=note)
    except ProgrammeConflict:  # another process seeded first
        return None


def open_programme(settings: Settings, clock: Callable[[], datetime]) -> ProgrammeService:
    """The programme for a process: SQLite is seeded at start-up; DynamoDB is only read
    (the Lambda role cannot write; admins publish with the CLI)."""
    store = open_store(settings, clock)
    if settings.store == "sqlite":
        seed(store, settings, clock())
        ttl = 0.0  # a pointer read is microseconds; CLI publishes show up at once
    else:
        ttl = 30.0
    return ProgrammeService(store, zone=settings.timezone, ttl_s=ttl)
